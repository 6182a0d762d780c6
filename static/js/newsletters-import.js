// The back-issue import form (admin): upload with a real progress bar, then go to the
// dry-run page the server names. Without JavaScript the form posts as usual and the
// server redirects; if anything here fails, the plain post is the fallback.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload-progress]");
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var box = document.getElementById(form.getAttribute("data-upload-progress"));
  var bar = box.querySelector("progress");
  var text = box.querySelector("[role=status]");
  var button = form.querySelector("[type=submit]");

  function plainPost() {
    form.submit(); // does not fire "submit" again: the browser shows the server's page
  }

  form.addEventListener("submit", function (event) {
    var file = form.querySelector("input[type=file]");
    if (!file.files.length) {
      return; // let the server say what is missing
    }
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-Upload-Progress", "1");
    request.responseType = "json";
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.max = progress.total;
        bar.value = progress.loaded;
        text.textContent = Math.floor((100 * progress.loaded) / progress.total) + "% uploaded";
      }
    });
    request.upload.addEventListener("load", function () {
      text.textContent = "Uploaded; reading the archive…";
    });
    request.addEventListener("load", function () {
      var answer = request.response;
      if (request.status === 200 && answer && answer.next) {
        window.location.assign(answer.next);
      } else {
        plainPost(); // the form has an error to show: post it the ordinary way
      }
    });
    request.addEventListener("error", plainPost);
    box.hidden = false;
    button.disabled = true;
    text.textContent = "0% uploaded";
    request.send(new FormData(form));
  });
})();

// Real progress for large uploads: a form marked data-upload-progress is sent with
// XMLHttpRequest, and its <progress> shows the bytes sent so far (upload.onprogress).
// Once every byte is sent the bar becomes indeterminate while the server checks the
// rows (it cannot tell how far it is), and the answer replaces the page. Without
// JavaScript, or if the request fails to start, the form is sent the ordinary way.
(function () {
  "use strict";

  function bind(root) {
    root.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      form.addEventListener("submit", function (event) { send(event, form); });
    });
  }

  function show(bar, text, sent, total) {
    bar.hidden = false;
    if (total) {
      bar.value = Math.round((100 * sent) / total);
      text.textContent = "Sending: " + bar.value + "%";
    }
  }

  function replacePage(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    bind(document);
    var heading = document.querySelector("#content h1, #content h2, [role=alert]");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  function send(event, form) {
    var bar = form.querySelector("progress");
    var text = form.querySelector("[data-progress-text]");
    if (!bar || !text || !window.FormData) return;
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", function (e) {
      show(bar, text, e.loaded, e.lengthComputable ? e.total : 0);
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      text.textContent = "Sent. Checking the rows…";
    });
    request.addEventListener("load", function () { replacePage(request.responseText); });
    request.addEventListener("error", function () { form.submit(); });
    form.querySelectorAll("[type=submit]").forEach(function (b) { b.disabled = true; });
    show(bar, text, 0, 1);
    request.send(new FormData(form));
  }

  bind(document);
})();

// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // <time data-local> elements also show the reader's own time zone.
  document.querySelectorAll("time[data-local]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    var local = document.createElement("span");
    local.className = "local-time text-body-secondary";
    // dateStyle/timeStyle cannot be combined with timeZoneName; "long" time shows the zone.
    local.textContent = " (your time: " + when.toLocaleString(undefined, {
      dateStyle: "medium", timeStyle: "long"
    }) + ")";
    el.after(local);
  });
  // Buttons marked data-confirm ask before submitting their form.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
  // Forms marked data-once disable their submit buttons after the first submit.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();

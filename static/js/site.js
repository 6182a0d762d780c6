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
  // After a failed submit the error summary takes the focus, so a screen reader reads it
  // and the keyboard starts from it (issue 23, items 2 and 3); a page with something else
  // to say first after a submit (a preview, a refusal) marks it data-focus-on-load.
  var first = document.querySelector("[data-error-summary], [data-focus-on-load]");
  if (first) first.focus();
  // A summary link moves the focus to its field; for a radio or tick-box group the link
  // names the group's wrapper, and the focus goes to its first box.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-error-link]");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var control = target && (target.matches("input, select, textarea, button") ? target :
      target.querySelector("input:not([type=hidden]), select, textarea"));
    if (!control) return;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    control.focus({ preventScroll: true });
  });
  // Buttons marked data-confirm ask before submitting their form.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
  // Escape closes the phone menu and gives the focus back to its toggle, as it would
  // close a dialog (issue 23 item 5). Bootstrap's collapse has no key handling of its own.
  var menu = document.getElementById("main-nav");
  var toggle = document.querySelector("[data-bs-target='#main-nav']");
  if (menu && toggle && window.bootstrap) {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      if (window.getComputedStyle(toggle).display === "none") return;  // wide screen: no menu
      var collapse = window.bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false });
      // Bootstrap ignores hide() while the menu is still opening: close it once open.
      if (menu.classList.contains("collapsing")) {
        menu.addEventListener("shown.bs.collapse", function () { collapse.hide(); }, { once: true });
      } else {
        collapse.hide();
      }
      toggle.focus();
    });
  }
  // A display equation is a scroll box; it is a tab stop (with a name, as a region) only
  // while it is too wide for the column, so keyboard users can scroll it and nobody
  // tabs through equations that fit (issue 23 item 5). Without this script every one
  // stays reachable, as the server renders it.
  function reachableWhenScrolling(box) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Equation (scrolls sideways)");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
  var equations = document.querySelectorAll(".math-display");
  if (equations.length) {
    var checkEquations = function () { equations.forEach(reachableWhenScrolling); };
    checkEquations();
    window.addEventListener("load", checkEquations);  // fonts can change the widths
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(checkEquations, 150);
    });
  }
  // Forms marked data-once disable their submit buttons after the first submit.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();

// Meetings: progressive enhancements for the call page and the abstract form.
// Every page works without this file; it only makes them quicker to use.
(function () {
  "use strict";

  // --- Call page: a live countdown to the deadline. ---------------------------
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var deadline = new Date(el.getAttribute("data-countdown"));
    if (isNaN(deadline)) return;
    function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
    function tick() {
      var left = Math.floor((deadline - new Date()) / 1000);
      if (left <= 0) {
        el.textContent = "The deadline has passed. Reload the page to see the call's state.";
        return;
      }
      var days = Math.floor(left / 86400), hours = Math.floor(left % 86400 / 3600);
      var minutes = Math.floor(left % 3600 / 60), seconds = left % 60;
      el.textContent = "Time left: " + [plural(days, "day"), plural(hours, "hour"),
        plural(minutes, "minute"), plural(seconds, "second")].join(", ") + ".";
      window.setTimeout(tick, 1000);
    }
    tick();
  });

  // --- Abstract form ------------------------------------------------------------
  var form = document.getElementById("abstract-form");

  // A page reached after a successful save forgets the copy kept in this browser.
  document.querySelectorAll("[data-clear-autosave]").forEach(function (el) {
    el.getAttribute("data-clear-autosave").split(" ").forEach(function (key) {
      try { window.localStorage.removeItem("gds-autosave:" + key); } catch (e) { /* private mode */ }
    });
  });
  if (!form) return;

  var rows = form.querySelector("[data-author-rows]");
  var total = form.querySelector("[name=authors-TOTAL_FORMS]");
  var template = document.getElementById("author-empty-form");

  function renumber() {
    var n = 0;
    rows.querySelectorAll("[data-author-row]").forEach(function (row) {
      if (row.hidden) return;
      n += 1;
      row.querySelector("[data-author-title]").textContent = "Author " + n;
      var remove = row.querySelector("[data-remove-author]");
      if (remove) remove.textContent = "Remove author " + n;
    });
  }

  function enhanceRow(row) {
    var fallback = row.querySelector("[data-remove-fallback]");
    var box = fallback && fallback.querySelector("input[type=checkbox]");
    if (!box) return;
    fallback.hidden = true;
    if (box.checked) row.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-danger btn-sm";
    button.textContent = "Remove author";  // numbered by renumber()
    button.setAttribute("data-remove-author", "");
    button.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
      renumber();
      save();
      var add = form.querySelector("[data-add-author]");
      if (add) add.focus();
    });
    fallback.after(button);
    // Exactly one presenting author: ticking one unticks the others, as in a radio group;
    // the rule above the rows (#authors-help, each box's description) says so.
    var presenting = row.querySelector("input[name$='-is_presenting']");
    if (presenting) {
      presenting.addEventListener("change", function () {
        if (!presenting.checked) return;
        form.querySelectorAll("input[name$='-is_presenting']").forEach(function (other) {
          if (other !== presenting) other.checked = false;
        });
      });
    }
  }

  function addRow() {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var holder = document.createElement("ol");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    enhanceRow(row);
    renumber();
    return row;
  }

  if (rows && total && template) {
    var help = document.getElementById("authors-help");
    if (help) help.textContent += " Ticking one author's \u201cPresenting author\u201d box unticks the others.";
    rows.querySelectorAll("[data-author-row]").forEach(enhanceRow);
    renumber();
    var addButton = form.querySelector("[data-add-author]");
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var row = addRow();
      var first = row.querySelector("input[type=text]");
      if (first) first.focus();
    });
  }

  // Characters counted as typed, like the server counts them. The count on screen follows
  // every keystroke; a screen reader hears it only near the limit, once typing pauses, and
  // never the same words twice in a row (issue 23, item 4).
  var body = form.querySelector("textarea[name=body]");
  var counter = form.querySelector("[data-char-count]");
  var status = form.querySelector("[data-char-count-status]");
  if (body && counter) {
    var limit = parseInt(body.getAttribute("data-max-length"), 10);
    var near = Math.max(50, Math.floor(limit / 10));  // "near the limit": the last tenth
    var pause = null;
    var said = "";
    var announce = function () {
      var used = body.value.length;
      var words = used > limit ? (used - limit) + " characters too many" :
        limit - used <= near ? (limit - used) + " characters left" : "";
      if (words !== said && status) status.textContent = words;
      said = words;
    };
    var count = function () {
      var used = body.value.length;
      counter.textContent = used + " of " + limit + " characters" +
        (used > limit ? " — " + (used - limit) + " too many" : "");
      counter.classList.toggle("text-danger", used > limit);
    };
    body.addEventListener("input", function () {
      count();
      window.clearTimeout(pause);
      pause = window.setTimeout(announce, 1000);
    });
    count();
  }

  // --- Keep what was typed in this browser until the server has saved it. ---------
  // If the session expires or the CSRF check fails on the way, the member logs in
  // again, opens the same form, and gets an offer to restore the text.
  var key = "gds-autosave:" + form.getAttribute("data-autosave");
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "token" &&
        el.type !== "submit" && el.type !== "button";
    });
  }
  function snapshot() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox") values[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) values[el.name] = el.value; }
      else values[el.name] = el.value;
    });
    return values;
  }
  function save() {
    try {
      window.localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), values: snapshot() }));
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  }
  function restore(values) {
    var wanted = parseInt(values["authors-TOTAL_FORMS"], 10) || 0;
    while (parseInt(total.value, 10) < wanted) addRow();
    fields().forEach(function (el) {
      if (!(el.name in values) || el.name === "authors-TOTAL_FORMS" || el.name === "authors-INITIAL_FORMS") return;
      if (el.type === "checkbox") el.checked = values[el.name];
      else if (el.type === "radio") el.checked = values[el.name] === el.value;
      else el.value = values[el.name];
    });
    rows.querySelectorAll("[data-author-row]").forEach(function (row) {
      var box = row.querySelector("input[name$='-DELETE']");
      row.hidden = Boolean(box && box.checked);
    });
    renumber();
    if (body) body.dispatchEvent(new Event("input"));
  }

  var stored = null;
  try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  var offer = document.querySelector("[data-autosave-offer]");
  var current = JSON.stringify(snapshot());
  // Either answer hides the offer, and with it the button that had the focus: say what
  // was done and put the focus on the form's first field, never on the page itself.
  var done = document.querySelector("[data-autosave-done]");
  function answered(message) {
    offer.classList.add("d-none");
    if (done) done.textContent = message;
    var first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }
  if (stored && stored.values && JSON.stringify(stored.values) !== current && offer) {
    offer.classList.remove("d-none");
    offer.querySelector("[data-autosave-restore]").addEventListener("click", function () {
      restore(stored.values);
      answered("The text you typed earlier is back in the form.");
    });
    offer.querySelector("[data-autosave-discard]").addEventListener("click", function () {
      try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
      answered("The text this browser kept is discarded.");
    });
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();

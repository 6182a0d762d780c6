// CRRG questionnaires: show a conditional question only while the answer it
// depends on is picked. The server applies the same rule, so without this
// script every question shows (with a note saying when to answer it).
// With it, the note is no longer needed on screen but stays for screen readers,
// and a polite live region says which questions appeared or went away (issue 23, item 4).
(function () {
  "use strict";
  var form = document.querySelector(".crrg-questionnaire form");
  if (!form) return;
  form.classList.add("crrg-js");
  var conditionals = Array.prototype.slice.call(form.querySelectorAll(".crrg-conditional"));
  if (!conditionals.length) return;
  var status = document.querySelector("[data-crrg-status]");

  conditionals.forEach(function (wrapper) {
    var note = wrapper.querySelector(".crrg-condition-note");
    if (note) note.classList.add("visually-hidden");
  });

  function picked(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.checked && !input.disabled) values.push(input.value);
    });
    return values;
  }

  // The question's own words: its label or legend, without the asterisk only the eye needs.
  function question(wrapper) {
    var label = wrapper.querySelector("legend, label");
    return label ? label.textContent.replace(/\*\s*$/, "").trim() : "";
  }

  function update() {
    var changes = [];
    // Document order: a question's controller is always earlier, so chains settle in one pass.
    conditionals.forEach(function (wrapper) {
      var show = picked(wrapper.dataset.showIf).indexOf(wrapper.dataset.showValue) !== -1;
      if (wrapper.hidden === show) {
        changes.push((show ? "New question below: " : "Question removed: ") + question(wrapper));
      }
      wrapper.hidden = !show;
      wrapper.querySelectorAll("input, textarea, select").forEach(function (input) {
        input.disabled = !show;
      });
    });
    return changes;
  }

  form.addEventListener("change", function () {
    var changes = update();
    if (changes.length && status) status.textContent = changes.join(" ");
  });
  // On load the questions simply are as they are: nothing to announce.
  conditionals.forEach(function (wrapper) { wrapper.hidden = true; });
  update();
})();

// CRRG questionnaires: show a conditional question only while the answer it
// depends on is picked. The server applies the same rule, so without this
// script every question shows (with a note saying when to answer it).
(function () {
  "use strict";
  var form = document.querySelector(".crrg-questionnaire form");
  if (!form) return;
  form.classList.add("crrg-js");
  var conditionals = Array.prototype.slice.call(form.querySelectorAll(".crrg-conditional"));

  function picked(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.checked && !input.disabled) values.push(input.value);
    });
    return values;
  }

  function update() {
    // Document order: a question's controller is always earlier, so chains settle in one pass.
    conditionals.forEach(function (wrapper) {
      var show = picked(wrapper.dataset.showIf).indexOf(wrapper.dataset.showValue) !== -1;
      wrapper.hidden = !show;
      wrapper.querySelectorAll("input, textarea, select").forEach(function (input) {
        input.disabled = !show;
      });
    });
  }

  form.addEventListener("change", update);
  update();
})();

// The admin's accessibility repairs, for markup that Django's own templates write.
(function () {
  "use strict";
  // A tabular inline heads the column that holds each saved row's name with an empty
  // <th> (axe: empty-table-header). Django's edit_inline/tabular.html has no block to
  // fill it from a template, so it is named here, for screen readers only.
  document.querySelectorAll(".inline-group .tabular th.original").forEach(function (th) {
    if (th.textContent.trim()) return;
    var name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = "Saved entry";
    th.appendChild(name);
  });

  // A tabular inline's "delete" checkboxes have no label of their own (axe: label).
  function labelDeleteBoxes() {
    document
      .querySelectorAll('.inline-group .tabular input[type="checkbox"][name$="-DELETE"]')
      .forEach(function (box) {
        if (!box.labels.length && !box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", "Delete this row");
        }
      });
  }

  // An autocomplete box (select2) is named only by its current choice, so an empty one has
  // no name (axe: aria-input-field-name). Name it by its <select>'s label too.
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var holder = select.nextElementSibling;
      var box = holder && holder.querySelector('[role="combobox"]');
      if (!box || box.dataset.named) return;
      var label = select.getAttribute("aria-label") || (select.labels[0] || {}).textContent;
      if (!label) return;
      var name = document.createElement("span");
      name.id = select.id + "-a11y-name";
      name.className = "visually-hidden";
      name.textContent = label.replace(/:\s*$/, "");
      holder.appendChild(name);
      var before = box.getAttribute("aria-labelledby") || "";
      box.setAttribute("aria-labelledby", (name.id + " " + before).trim());
      // Its text box too (named by itself, its choice, once the label is in front).
      var shown = holder.querySelector('[role="textbox"]');
      if (shown && shown.id) {
        shown.setAttribute("aria-labelledby", name.id + " " + shown.id);
      }
      box.dataset.named = "1";
    });
  }

  function repair() {
    labelDeleteBoxes();
    nameAutocompletes();
  }
  repair();
  // select2 draws its boxes after this script runs, and "Add another" draws new rows.
  new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
})();

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
})();

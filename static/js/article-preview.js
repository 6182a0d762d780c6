// The article's admin page: keep the preview beside the body up to date. The server
// renders it with the portal's one Markdown renderer and sanitises it (the same HTML the
// public page shows), so the answer is inserted as it comes.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const pane = document.getElementById("article-preview");
  const body = document.getElementById("id_body");
  if (!pane || !body) {
    return;
  }
  const output = document.getElementById("article-preview-output");
  const status = document.getElementById("article-preview-status");
  const button = document.getElementById("article-preview-update");
  const token = body.form.querySelector("[name=csrfmiddlewaretoken]").value;
  let pending = null;

  async function update(announce) {
    const data = new FormData();
    data.append("body", body.value);
    output.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(pane.dataset.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "X-Preview": "fragment" },
      });
      if (!response.ok) {
        status.textContent = "The preview could not be updated (error " + response.status + ").";
        return;
      }
      output.innerHTML = await response.text();
      // Said aloud only when asked for: not after every pause in typing.
      status.textContent = announce === true ? "Preview updated." : "";
    } catch (error) {
      status.textContent = "The preview could not be updated: the site did not answer.";
    } finally {
      output.removeAttribute("aria-busy");
    }
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    update(true);
  });
  body.addEventListener("input", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 700);
  });
  update();
});

// Webinar archive: suggest speakers' names while the reader types in the Speaker box.
// Without this script the box still works (the server matches the words typed);
// the script only fills a <datalist> from the small JSON endpoint, ten names at most.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggestions]");
  var list = input && document.getElementById(input.dataset.suggestionList);
  if (!list || !window.fetch || !window.AbortController) return;
  var url = input.dataset.suggestions;
  var timer = null;
  var pending = null;
  var asked = null;
  input.setAttribute("list", list.id);

  function show(speakers) {
    var options = speakers.map(function (speaker) {
      var option = document.createElement("option");
      option.value = speaker.name;
      // Shown beside the name: tells apart two speakers who share a name.
      if (speaker.affiliation) option.label = speaker.affiliation;
      return option;
    });
    list.replaceChildren.apply(list, options);
  }

  function letters(text) {
    return text.replace(/[^\p{L}\p{N}]/gu, "").length;
  }

  function ask() {
    var text = input.value.trim();
    if (text === asked) return;
    asked = text;
    if (pending) pending.abort();
    if (letters(text) < 2) {
      show([]);
      return;
    }
    pending = new AbortController();
    fetch(url + "?" + new URLSearchParams({ q: text }), {
      headers: { Accept: "application/json" },
      signal: pending.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { speakers: [] };
      })
      .then(function (data) {
        show(data.speakers);
      })
      .catch(function () {
        // Aborted by the next keystroke, or offline: typing works without suggestions.
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 150);
  });
})();

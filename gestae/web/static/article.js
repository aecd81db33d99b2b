// Selecting an event (click or Enter on its row, or a click on a trigger in the text) highlights its
// trigger, its span and every mention of its parties; selecting it again clears the selection.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".event-row"));
  if (!text || !rows.length) return;

  function clear() {
    ["is-trigger", "is-span", "is-party"].forEach(function (name) {
      document.querySelectorAll("." + name).forEach(function (el) { el.classList.remove(name); });
    });
    rows.forEach(function (row) { row.classList.remove("selected"); row.setAttribute("aria-selected", "false"); });
  }

  function mark(selector, name) {
    var found = text.querySelectorAll(selector);
    found.forEach(function (el) { el.classList.add(name); });
    return found;
  }

  function select(row) {
    var wasSelected = row.classList.contains("selected");
    clear();
    if (wasSelected) { document.body.classList.remove("has-selection"); return; }
    var id = row.getAttribute("data-event");
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    document.body.classList.add("has-selection");
    mark('[data-span~="' + id + '"]', "is-span");
    var triggers = mark('[data-trigger~="' + id + '"]', "is-trigger");
    (row.getAttribute("data-parties") || "").split(" ").filter(Boolean).forEach(function (actor) {
      mark('[data-actor~="' + actor + '"]', "is-party");
      row.querySelectorAll('.party[data-actor="' + actor + '"]').forEach(function (el) { el.classList.add("is-party"); });
    });
    if (triggers.length && triggers[0].scrollIntoView) triggers[0].scrollIntoView({block: "center", behavior: "smooth"});
    if (history.replaceState) history.replaceState(null, "", "#event-" + id);
  }

  rows.forEach(function (row) {
    row.addEventListener("click", function () { select(row); });
    row.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(row); } });
  });
  text.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-trigger]") : null;
    if (!el) return;
    var row = document.getElementById("event-" + el.getAttribute("data-trigger").split(" ")[0]);
    if (row) { select(row); row.scrollIntoView({block: "nearest"}); }
  });
  var hash = decodeURIComponent(location.hash || "");
  if (hash.indexOf("#event-") === 0) {
    var row = document.getElementById(hash.slice(1));
    if (row) select(row);
  }
})();

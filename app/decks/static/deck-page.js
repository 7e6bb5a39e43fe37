/* The deck page (app/decks/pages.py), its one inline script (allowed by its CSP hash): the presenter (key in
   this browser) reorders, captions and removes slides. assets/deck.js, loaded before it, keeps the key and the
   deck in this browser's storage (window.barometerDecks). */
(function () {
  "use strict";
  var FOCUS = "barometer.deckFocus";  // this page only: where focus returns after saving
  var decks = window.barometerDecks;
  var main = document.getElementById("deck"), deck = main.getAttribute("data-deck");
  var found = decks.deckKey(deck), status = document.getElementById("status");
  if (found.fresh) {
    var panel = document.getElementById("created");
    document.getElementById("presenter-link").value =
      location.origin + main.getAttribute("data-present") + "#key=" + encodeURIComponent(found.key);
    panel.hidden = false;
  }
  if (!found.key) { document.getElementById("no-key").hidden = false; return; }
  decks.remember(deck, main.getAttribute("data-lang"));
  Array.prototype.forEach.call(document.querySelectorAll(".edit"), function (el) { el.hidden = false; });
  Array.prototype.forEach.call(document.querySelectorAll(".view-only"), function (el) { el.hidden = true; });
  function send(url, body, focusId) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-Deck-Key": found.key},
                       body: JSON.stringify(body || {})}).then(function (r) {
      if (r.ok) { sessionStorage.setItem(FOCUS, focusId || ""); location.reload(); return; }
      status.textContent = main.getAttribute(r.status === 403 ? "data-wrong-key" : "data-failed");
    });
  }
  main.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-act]");
    if (!button) { return; }
    if (button.getAttribute("data-act") === "title") {
      send("/api/decks/" + deck + "/title", {title: document.getElementById("deck-title").value}, "deck-title");
      return;
    }
    var item = button.closest("li"), index = +item.getAttribute("data-index");
    var base = "/api/decks/" + deck + "/slides/" + index;
    var act = button.getAttribute("data-act");
    if (act === "up") { send(base + "/move", {to: index - 1}, "up-" + (index - 1)); }
    if (act === "down") { send(base + "/move", {to: index + 1}, "down-" + (index + 1)); }
    if (act === "remove") { send(base + "/remove", {}, "slides"); }
    if (act === "caption") {
      send(base + "/caption", {caption: item.querySelector("input").value}, "caption-" + index);
    }
  });
  var focusId = sessionStorage.getItem(FOCUS);
  sessionStorage.removeItem(FOCUS);
  var target = focusId && document.getElementById(focusId);
  if (target) { target.focus(); }
})();

/* The presenter's entry (app/decks/pages.py), its one inline script (allowed by its CSP hash): starts
   presentation mode on the presenter's slide. assets/deck.js, loaded before it, keeps the key in this browser
   and moves through the deck from there (window.barometerDecks). */
(function () {
  "use strict";
  var decks = window.barometerDecks;
  var main = document.getElementById("present-entry"), deck = main.getAttribute("data-deck");
  var info = JSON.parse(document.getElementById("deck-data").textContent);
  var found = decks.deckKey(deck);
  if (!found.key) { document.getElementById("no-key").hidden = false; return; }
  if (!info.slides.length) { return; }
  info.key = found.key;
  decks.present(info);
  location.replace(info.slides[info.index]);
})();

/* Decks on the dashboard's pages: "Add to deck" (app/components/deck_button.py), and presenting a deck in
   presentation mode: ArrowRight, PageDown and Space (clickers send PageDown/PageUp) go to the next slide,
   ArrowLeft and PageUp back, Esc leaves to the deck page. Each move is sent with the presenter key
   (X-Deck-Key) before the slide changes, so the audience's phones follow (app/decks/api.py). The presenter
   entry page (/<lang>/decks/<id>/present) puts the deck into sessionStorage. The deck page and the presenter
   entry load this file too (app/decks/pages.py): window.barometerDecks keeps the storage names spelled here only. */
(function () {
  "use strict";
  var PRESENTING = "barometer.presenting", KEYS = "barometer.deckKeys", CURRENT = "barometer.deck";
  var busy = false;

  function read(storage, name, fallback) {
    try { return JSON.parse(storage.getItem(name) || "null") || fallback; } catch (e) { return fallback; }
  }

  function post(url, body, key) {
    return fetch(url, {method: "POST", body: JSON.stringify(body),
                       headers: {"Content-Type": "application/json", "X-Deck-Key": key || ""}});
  }

  /* The presenter key of a deck: from the address fragment (remembered in this browser, then taken out of the
     address bar) or from what this browser remembers. */
  function deckKey(deck) {
    var keys = JSON.parse(localStorage.getItem(KEYS) || "{}");
    var match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
    if (match) {
      keys[deck] = decodeURIComponent(match[1]);
      localStorage.setItem(KEYS, JSON.stringify(keys));
      history.replaceState(history.state, "", location.pathname + location.search);
      return {key: keys[deck], fresh: true};
    }
    return {key: keys[deck] || null, fresh: false};
  }

  /* For the deck page and the presenter entry (app/decks/static/deck-page.js and present.js). */
  window.barometerDecks = {
    deckKey: deckKey,
    remember: function (deck, lang) { localStorage.setItem(CURRENT, JSON.stringify({deck: deck, lang: lang})); },
    present: function (info) { sessionStorage.setItem(PRESENTING, JSON.stringify(info)); }
  };

  /* Add to deck: to this browser's deck, or a new one (whose page then shows the presenter link once). */
  function addToDeck(button) {
    var box = button.closest(".deck-add"), input = box.querySelector("input"), status = box.querySelector(".deck-status");
    var current = read(localStorage, CURRENT, null), keys = read(localStorage, KEYS, {});
    var body = {path: window.location.pathname + window.location.search, caption: input ? input.value : "",
                lang: button.getAttribute("data-lang")};
    var existing = current && keys[current.deck];
    var request = existing ? post("/api/decks/" + current.deck + "/slides", body, keys[current.deck])
                           : post("/api/decks", body, "");
    request.then(function (response) {
      if (existing && (response.status === 403 || response.status === 404)) {
        localStorage.removeItem(CURRENT);  /* that deck is gone or not ours: start a new one */
        return post("/api/decks", body, "");
      }
      return response;
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, status: response.status, data: data}; });
    }).then(function (result) {
      if (!result.ok) {
        status.textContent = button.getAttribute(result.status === 429 ? "data-limited" : "data-failed");
        return;
      }
      var deck = result.data;
      if (deck.key) {
        keys[deck.deck] = deck.key;
        localStorage.setItem(KEYS, JSON.stringify(keys));
        localStorage.setItem(CURRENT, JSON.stringify({deck: deck.deck, lang: deck.lang}));
        window.location.href = deck.deck_url + "#key=" + encodeURIComponent(deck.key);
        return;
      }
      if (input) { input.value = ""; }
      status.textContent = button.getAttribute("data-added") + " (" + deck.count + ") ";
      var link = document.createElement("a");
      link.href = "/" + (current.lang || deck.lang) + "/decks/" + deck.deck;
      link.textContent = button.getAttribute("data-open");
      status.appendChild(link);
    }).catch(function () { status.textContent = button.getAttribute("data-failed"); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".deck-add-button") : null;
    if (button) { addToDeck(button); }
  });

  function presenting() {
    return document.getElementById("presentation") ? read(sessionStorage, PRESENTING, null) : null;
  }

  function setText(element, text) {  /* unchanged text is not written: the observer below would see it */
    if (element.textContent !== text) { element.textContent = text; }
  }

  /* The counter ("3 / 10") and the deck's follow address; the view's QR code becomes the deck's. */
  function paint() {
    var deck = presenting(), counter = document.getElementById("deck-counter");
    if (document.body) { document.body.classList.toggle("deck-presenting", !!deck); }
    if (!deck) { if (counter) { counter.remove(); } return; }
    if (!counter) {
      counter = document.createElement("div");
      counter.id = "deck-counter";
      counter.className = "deck-counter";
      counter.setAttribute("aria-live", "polite");
      counter.innerHTML = '<span class="deck-position"></span><span class="deck-follow"></span><span class="deck-error"></span>';
      document.body.appendChild(counter);
    }
    setText(counter.querySelector(".deck-position"), (deck.index + 1) + " / " + deck.slides.length);
    setText(counter.querySelector(".deck-follow"), deck.qrCaption + ": " + deck.follow);
    var qr = document.getElementById("qr-code");
    if (qr && qr.getAttribute("src") !== deck.qr) {
      qr.setAttribute("src", deck.qr);
      qr.setAttribute("data-url", deck.follow);
      qr.setAttribute("alt", deck.qrCaption);
    }
  }

  function go(deck, index) {
    if (busy || index < 0 || index >= deck.slides.length || index === deck.index) { return; }
    busy = true;
    post("/api/decks/" + deck.deck + "/current", {slide: index}, deck.key).then(function (response) {
      busy = false;
      var error = document.querySelector("#deck-counter .deck-error");
      if (!response.ok) { if (error) { setText(error, deck.wrongKey); } return; }
      if (error) { setText(error, ""); }
      deck.index = index;
      sessionStorage.setItem(PRESENTING, JSON.stringify(deck));
      window.history.pushState({}, "", deck.slides[index]);
      window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
      paint();
    }).catch(function () { busy = false; });
  }

  /* Capturing on window: runs before the page's own Esc handler (assets/app.js), which it replaces here. */
  window.addEventListener("keydown", function (event) {
    var deck = presenting();
    if (!deck || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var step = 0;
    if (event.key === "ArrowRight" || event.key === "PageDown" || (event.key === " " && tag !== "BUTTON" && tag !== "A")) {
      step = 1;
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      step = -1;
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopImmediatePropagation();
      sessionStorage.removeItem(PRESENTING);
      window.location.href = deck.deckUrl;
      return;
    }
    if (!step) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    go(deck, deck.index + step);
  }, true);

  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; paint(); });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();

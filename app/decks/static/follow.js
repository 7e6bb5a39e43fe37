/* The follow page (app/decks/follow.py), its one inline script (allowed by its CSP hash): polls the deck's
   state and swaps in the slide the presenter shows. Deck, language and texts come from data-* attributes. */
(function () {
  "use strict";
  var main = document.getElementById("follow"), box = document.getElementById("slide");
  var counter = document.getElementById("counter"), liveButton = document.getElementById("live");
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var deck = main.getAttribute("data-deck"), lang = main.getAttribute("data-lang");
  var every = +main.getAttribute("data-poll");
  var state = {slide: +main.getAttribute("data-slide"), count: +main.getAttribute("data-count"),
               updated: main.getAttribute("data-updated")};
  var shown = state.slide, live = true, etag = null, asked = 0;
  function paint() {
    counter.textContent = state.count ? (shown + 1) + " / " + state.count : "";
    liveButton.setAttribute("aria-pressed", live ? "true" : "false");
    prev.disabled = shown <= 0;
    next.disabled = shown >= state.count - 1;
    main.className = live ? "live" : "browsing";
  }
  function show(index) {
    var ask = ++asked;
    fetch("/follow/" + deck + "/slides/" + index + "?lang=" + lang).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html === null || ask !== asked) { return; }
      box.innerHTML = html;
      shown = index;
      paint();
    }).catch(function () {});
  }
  function poll() {
    var headers = etag ? {"If-None-Match": etag} : {};
    fetch("/api/decks/" + deck + "/state", {headers: headers, cache: "no-store"}).then(function (r) {
      if (r.status !== 200) { return null; }
      etag = r.headers.get("ETag");
      return r.json();
    }).then(function (s) {
      if (!s) { return; }
      var edited = s.updated !== state.updated;
      state = s;
      if (live && (s.slide !== shown || edited)) { show(s.slide); } else { paint(); }
    }).catch(function () {}).then(function () {
      setTimeout(poll, document.hidden ? every * 4 : every);
    });
  }
  prev.addEventListener("click", function () { live = false; show(Math.max(0, shown - 1)); });
  next.addEventListener("click", function () { live = false; show(Math.min(state.count - 1, shown + 1)); });
  liveButton.addEventListener("click", function () { live = true; show(state.slide); });
  paint();
  setTimeout(poll, every);
})();

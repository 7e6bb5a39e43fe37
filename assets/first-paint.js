/* The first view of a shared link, from the document itself (app/web/first_paint.py): the page as static HTML,
   its chart the server's SVG drawing, shown with no script of Dash or plotly run. Their bundles are fetched on
   the visitor's first interaction, or once the page has been idle for a while; the live page then lays itself
   out behind the first paint, at the same place, and takes over in one frame when its charts are drawn. */
(function () {
  "use strict";
  var paint = document.getElementById("first-paint");
  var data = document.getElementById("first-paint-layout");
  if (!paint || !data) { return; }
  var root = document.getElementById("react-entry-point");
  var IDLE_MS = 4000;  /* after the load event: a visitor who only reads gets the live page after this */
  var INTERACTIONS = ["pointerdown", "pointermove", "keydown", "touchstart", "wheel", "scroll", "focusin"];
  var FOCUSABLE = "a[href], summary, [tabindex]:not(input)";  /* what the first paint and the live page share */

  /* the view's canonical address in the address bar at once (as the router's syncUrl would, later) */
  var canonical = paint.getAttribute("data-address");
  if (canonical && canonical !== window.location.pathname + window.location.search) {
    window.history.replaceState(window.history.state, "", canonical);
  }

  /* the renderer asks for the layout once: answer with the page already in the document */
  var originalFetch = window.fetch;
  var served = false;
  window.fetch = function (input) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    if (!served && /\/_dash-layout$/.test(url.split("?")[0])) {
      served = true;
      return Promise.resolve(new Response(data.textContent, {status: 200, headers: {"Content-Type": "application/json"}}));
    }
    return originalFetch.apply(this, arguments);
  };

  var started = false;
  function start() {
    if (started) { return; }
    started = true;
    INTERACTIONS.forEach(function (name) { window.removeEventListener(name, start, true); });
    /* from now on the ids are the live page's */
    Array.prototype.forEach.call(paint.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
    /* plotly.js and Dash's bundles, in their order, then the renderer */
    var held = document.querySelectorAll('script[type="text/x-after-first-paint"]');
    var sources = Array.prototype.map.call(held, function (script) { return script.src; });
    sources.forEach(function (src, i) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;  /* run in the order given */
      if (i === sources.length - 1) { script.onload = function () { window.barometerStartDash(); }; }
      document.body.appendChild(script);
    });
    watch();
  }
  INTERACTIONS.forEach(function (name) { window.addEventListener(name, start, {capture: true, passive: true}); });
  function whenIdle() {
    window.setTimeout(function () {
      if (window.requestIdleCallback) { window.requestIdleCallback(start, {timeout: 2000}); } else { start(); }
    }, IDLE_MS);
  }
  if (document.readyState === "complete") { whenIdle(); } else { window.addEventListener("load", whenIdle); }

  /* the live page is ready when it has drawn every chart and control the first paint shows */
  function ready() {
    if (!root.querySelector("#main")) { return false; }
    var live = root.querySelectorAll(".js-plotly-plot");
    if (live.length < paint.querySelectorAll(".dash-graph").length) { return false; }
    if (root.querySelectorAll(".dash-dropdown").length < paint.querySelectorAll(".dash-dropdown").length) { return false; }
    return Array.prototype.every.call(live, function (gd) {
      return gd._fullLayout && gd.querySelector("svg.main-svg g.trace, svg.main-svg g.hm");
    });
  }

  /* in one frame: what the visitor opened stays open, what they focused keeps the focus, then the first
     paint goes and the live page, laid out at the same place, shows */
  function handOver() {
    if (!paint.parentNode) { return; }
    var liveDetails = root.querySelectorAll("details");
    Array.prototype.forEach.call(paint.querySelectorAll("details"), function (d, i) {
      if (d.open && liveDetails[i]) { liveDetails[i].open = true; }
    });
    var focusAt = Array.prototype.indexOf.call(paint.querySelectorAll(FOCUSABLE), document.activeElement);
    paint.parentNode.removeChild(paint);
    data.parentNode.removeChild(data);
    var target = focusAt >= 0 ? root.querySelectorAll(FOCUSABLE)[focusAt] : null;
    if (target) { target.focus({preventScroll: true}); }
  }

  function watch() {
    var began = Date.now();
    var observer = new MutationObserver(function () {
      root.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
        if (gd.firstPaintWatched || typeof gd.on !== "function") { return; }
        gd.firstPaintWatched = true;
        gd.on("plotly_afterplot", check);
      });
      check();
    });
    function check() {
      if (!paint.parentNode) { observer.disconnect(); return; }
      if (ready()) { observer.disconnect(); handOver(); }
    }
    observer.observe(root, {childList: true, subtree: true});
    (function fallback() {  /* in case a change went by unseen, or the live page cannot draw everything */
      if (!paint.parentNode) { return; }
      if (ready() || (root.querySelector("#main") && Date.now() - began > 15000)) {
        observer.disconnect();
        handOver();
        return;
      }
      window.setTimeout(fallback, 250);
    })();
  }
})();

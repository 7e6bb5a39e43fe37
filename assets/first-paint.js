/* The first view of a shared link, drawn from the document itself (app/web/first_paint.py): each chart of the
   static page is drawn with plotly as soon as plotly.js has loaded, the embedded layout answers the
   renderer's request for it, and the static page gives way to the live one once that has drawn its charts. */
(function () {
  "use strict";
  var paint = document.getElementById("first-paint");
  var data = document.getElementById("first-paint-layout");
  if (!paint || !data) { return; }
  var layoutText = data.textContent;
  var layout = JSON.parse(layoutText);

  /* the view's canonical address in the address bar at once (as the router's syncUrl would, later): the
     layout's router state says that address is drawn */
  var drawnStore = (layout.props.children || []).filter(function (c) { return c.props && c.props.id === "view-search"; })[0];
  var canonical = drawnStore && drawnStore.props.data;
  if (canonical && canonical !== window.location.pathname + window.location.search) {
    window.history.replaceState(window.history.state, "", canonical);
  }

  /* the renderer asks for the layout once: answer with the page already in the document */
  var originalFetch = window.fetch;
  var served = false;
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    if (!served && /\/_dash-layout$/.test(url.split("?")[0])) {
      served = true;
      return Promise.resolve(new Response(layoutText, {status: 200, headers: {"Content-Type": "application/json"}}));
    }
    return originalFetch.apply(this, arguments);
  };

  function graphsOf(node, found) {  /* dcc.Graph props in document order, as app/web/first_paint.py writes them */
    if (Array.isArray(node)) { node.forEach(function (child) { graphsOf(child, found); }); return found; }
    if (!node || typeof node !== "object" || !node.props) { return found; }
    if (node.type === "Graph" && node.namespace === "dash_core_components") { found.push(node.props); return found; }
    return graphsOf(node.props.children, found);
  }

  /* as dcc.Graph draws a responsive graph: the layout sized by its box, plotly's own resizing on */
  var targets = paint.querySelectorAll(".first-paint-plot");
  var graphs = graphsOf(layout, []);
  if (window.Plotly) {
    graphs.forEach(function (props, i) {
      if (!targets[i] || !props.figure) { return; }
      var figure = props.figure;
      var figureLayout = Object.assign({}, figure.layout || {}, {autosize: true, height: undefined, width: undefined});
      var config = Object.assign({}, props.config || {}, {responsive: true});
      window.Plotly.newPlot(targets[i], figure.data || [], figureLayout, config);
    });
  }

  /* then Dash: its bundles in their order, once the chart is on screen, and its renderer after them */
  window.requestAnimationFrame(function () {
    window.setTimeout(function () {
      var held = document.querySelectorAll('script[type="text/x-after-first-paint"]');
      var sources = Array.prototype.map.call(held, function (script) { return script.src; });
      sources.forEach(function (src, i) {
        var script = document.createElement("script");
        script.src = src;
        script.async = false;  /* run in the order given */
        if (i === sources.length - 1) { script.onload = function () { window.barometerStartDash(); }; }
        document.body.appendChild(script);
      });
    }, 0);
  });

  /* hand over once every chart of the live page is drawn (or after a while, whatever it shows): when
     plotly says a chart is drawn (plotly_afterplot, after any redraw for its margins), at once, so the
     static copy is gone before the next frame or any script looking for the live chart sees two */
  var root = document.getElementById("react-entry-point");
  var started = Date.now();
  function drawn() {
    var live = root.querySelectorAll(".js-plotly-plot");
    if (live.length < graphs.length || !root.querySelector("#main")) { return false; }
    return Array.prototype.every.call(live, function (gd) {
      return gd._fullLayout && gd.querySelector("svg.main-svg g.trace, svg.main-svg g.hm");
    });
  }
  function handOver() {
    if (paint.parentNode) { paint.parentNode.removeChild(paint); }
    watcher.disconnect();
  }
  var watcher = new MutationObserver(function () {
    root.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (gd.firstPaintWatched || typeof gd.on !== "function") { return; }
      gd.firstPaintWatched = true;
      gd.on("plotly_afterplot", function () { if (drawn()) { handOver(); } });
    });
  });
  watcher.observe(root, {childList: true, subtree: true});
  (function fallback() {  /* in case an afterplot went by unseen */
    if (!paint.parentNode) { return; }
    if (drawn() || (root.querySelector("#main") && Date.now() - started > 10000)) {
      window.requestAnimationFrame(handOver);
      return;
    }
    window.setTimeout(fallback, 200);
  })();
})();

/* A chart fitted into its box on a slide (presentation mode, the offline deck, which inlines this file): the
   figure is laid out at its own size (its height follows its bars and their labels, its width is at least
   layout.meta.min_width, app/components/charts.py) and shown scaled as a whole to the box, so a projector's
   720 px or a phone's 390 px never squeeze its labels onto each other. A box says in CSS whether the screen's
   height bounds it (--fit-height: 1, a slide) or only its width (a page that scrolls). */
(function () {
  "use strict";
  var LARGEST = 1.6;  /* a short chart on a tall screen grows, as far as this */

  function fit(box) {
    var holder = box.firstElementChild;
    var gd = box.querySelector(".js-plotly-plot");
    if (!holder || !gd || !gd.layout || !window.Plotly) { return; }
    if (!holder.fitHeight) { holder.fitHeight = parseFloat(holder.style.height) || gd.layout.height; }
    var height = holder.fitHeight;
    var meta = gd.layout.meta || {};
    var width = box.clientWidth;
    var byHeight = getComputedStyle(box).getPropertyValue("--fit-height").trim() === "1";
    if (!height || !width || (byHeight && !box.clientHeight)) { return; }
    var scale = Math.min(byHeight ? Math.min(LARGEST, box.clientHeight / height) : 1,
                         meta.min_width ? width / meta.min_width : Infinity);
    scale = Math.floor(scale * 1000) / 1000;
    var key = scale + " " + width + " " + byHeight;
    if (holder.fitKey === key) { return; }
    holder.fitKey = key;
    holder.style.position = "absolute";  /* its unscaled size takes no room: the box sets the room */
    holder.style.left = "0";
    holder.style.top = "0";
    holder.style.transformOrigin = "0 0";
    holder.style.transform = scale === 1 ? "" : "scale(" + scale + ")";
    holder.style.width = width / scale + "px";
    holder.style.height = height + "px";
    box.style.height = byHeight ? "" : height * scale + "px";
    window.Plotly.Plots.resize(gd);
  }

  function fitAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".fit-box"), fit);
  }

  /* charts come and go with Dash's rendering: fit each once plotly has drawn it, and all when the window
     changes size */
  function watch(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".fit-box .js-plotly-plot"), function (gd) {
      if (gd.fitWatched || typeof gd.on !== "function") { return; }
      gd.fitWatched = true;
      gd.on("plotly_afterplot", function () { var box = gd.closest(".fit-box"); if (box) { fit(box); } });
      var box = gd.closest(".fit-box");
      if (box) { fit(box); }
    });
  }
  window.barometerFitCharts = function () { watch(document); fitAll(); };
  window.addEventListener("resize", fitAll);
  function start() {
    watch(document);
    new MutationObserver(function () { watch(document); }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

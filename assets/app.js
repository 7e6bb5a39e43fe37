/* Nordic Innovation Barometer Explorer: small client-side helpers used by clientside callbacks. */
(function () {
  "use strict";
  var LANGS = ["en", "nb", "da", "sv", "fi", "is"];
  var focusMainAfterRender = false;

  function splitTarget(target) {
    var i = target.indexOf("?");
    return i >= 0 ? [target.slice(0, i), target.slice(i)] : [target, ""];
  }

  function swapLang(target, code) {
    var parts = splitTarget(target);
    var segments = parts[0].split("/").filter(Boolean);
    if (segments.length && LANGS.indexOf(segments[0]) >= 0) { segments[0] = code; } else { segments.unshift(code); }
    var path = "/" + segments.join("/") + (segments.length === 1 ? "/" : "");
    return path + parts[1];
  }

  function outputsCount(index) {
    var ctx = window.dash_clientside.callback_context;
    var list = ctx && ctx.outputs_list ? ctx.outputs_list[index] : [];
    return Array.isArray(list) ? list.length : 0;
  }

  window.barometer = {
    /* Put the canonical URL of what is on screen into the address bar (replace right after a page is
       drawn, push when the user changed the view), and tell the router it is drawn already. */
    syncUrl: function (targets, drawn) {
      var nu = window.dash_clientside.no_update;
      var item = (targets || []).filter(function (x) { return x && x.url; })[0];
      if (!item) { return [nu, nu, nu]; }
      var target = item.url;
      var here = window.location.pathname + window.location.search;
      if (target !== here) {
        if (item.initial || drawn === null || drawn === undefined) {
          window.history.replaceState(window.history.state, "", target);
        } else {
          window.history.pushState({}, "", target);
        }
      }
      var parts = splitTarget(target);
      return [parts[0], parts[1], target];
    },

    /* After a view is drawn or changed: document language and title, language links, share field. */
    afterNavigate: function (target, lang, title) {
      var current = target || (window.location.pathname + window.location.search);
      if (lang) { document.documentElement.lang = lang; }
      if (title) { document.title = title; }  /* page and site name, in the page language */
      var hrefs = [];
      for (var i = 0; i < outputsCount(0); i++) { hrefs.push(swapLang(current, LANGS[i])); }
      var shares = [];
      for (var j = 0; j < outputsCount(1); j++) { shares.push(window.location.origin + current); }
      if (focusMainAfterRender) {
        focusMainAfterRender = false;
        var heading = document.querySelector("#main h1");
        var main = document.getElementById("main");
        (heading || main) && (heading ? heading.setAttribute("tabindex", "-1") : null);
        (heading || main) && (heading || main).focus({preventScroll: false});
      }
      return [hrefs, shares];
    },

    /* PNG or SVG of a chart, drawn by plotly in the browser, with a footer (Grapher-style): the figure's
       sources and licence (layout.meta.source) and the address of the view. The title, comparability warning
       and demo label are in the figure itself. */
    exportImage: function () {
      var ctx = window.dash_clientside.callback_context;
      var id = ctx && ctx.triggered_id;
      if (!id || !window.Plotly) { return window.dash_clientside.no_update; }
      var holder = document.getElementById(id.graph);
      var gd = holder && (holder.classList.contains("js-plotly-plot") ? holder : holder.querySelector(".js-plotly-plot"));
      if (!gd) { return window.dash_clientside.no_update; }
      var name = (gd._context && gd._context.toImageButtonOptions && gd._context.toImageButtonOptions.filename) || "chart";
      var figure = window.barometer.withFooter(gd, window.location.href);
      window.Plotly.downloadImage(figure, {format: id.format, filename: name, width: figure.layout.width,
                                           height: figure.layout.height, scale: id.format === "png" ? 2 : 1});
      return Date.now();
    },

    /* A copy of the chart's figure, taller by a footer of source lines and the view's address, and with the
       title, subtitle and notes the page shows above the chart as HTML put back (layout.meta.header, see
       charts.on_screen), so an exported image says what it shows and where it comes from. */
    withFooter: function (gd, address) {
      var full = gd._fullLayout;
      var layout = JSON.parse(JSON.stringify(gd.layout));
      var meta = layout.meta || {};
      var top = full.margin.t;
      var height = full.height;
      if (meta.header) {
        layout.title = meta.header.title;
        layout.annotations = (layout.annotations || []).concat(meta.header.annotations || []);
        height += Math.max(0, meta.header.top - top);
        top = meta.header.top;
      }
      var width = gd.offsetWidth;
      var chars = Math.max(40, Math.floor((width - 20) / 6.6));
      var lines = [];
      String(meta.source || "").split("\n").concat([address]).forEach(function (text) {
        var line = "";
        text.split(" ").forEach(function (word) {
          if (line && (line + " " + word).length > chars) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
        });
        if (line) { lines.push(line); }
      });
      var escape = function (text) { return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); };
      var extra = 16 * lines.length + 14;
      var bottom = full.margin.b;
      layout.width = width;
      layout.height = height + extra;
      layout.margin = {l: full.margin.l, r: full.margin.r, t: top, b: bottom + extra};
      layout.legend = Object.assign({}, layout.legend || {}, {y: extra / layout.height, yref: "container", yanchor: "bottom"});
      layout.annotations = (layout.annotations || []).concat([{
        text: lines.map(escape).join("<br>"), showarrow: false, align: "left", xref: "paper", yref: "paper",
        x: -(full._size.l - 10) / full._size.w, xanchor: "left", y: 0, yanchor: "top", yshift: -bottom - 4,
        font: {size: 11, color: "#1b1f24"}
      }]);
      return {data: gd.data, layout: layout, config: {locale: gd._context && gd._context.locale}};
    }
  };

  /* The header's menu closes when a link in it is chosen, on a click elsewhere, and on Escape (focus goes back
     to its button). */
  function closeMenus(except) {
    var open = document.querySelectorAll("details.site-menu[open]");
    for (var i = 0; i < open.length; i++) { if (open[i] !== except) { open[i].removeAttribute("open"); } }
  }
  document.addEventListener("click", function (event) {
    var menu = event.target.closest ? event.target.closest("details.site-menu") : null;
    closeMenus(menu);
    if (menu && event.target.closest("a")) { menu.removeAttribute("open"); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.site-menu[open]");
    if (!open) { return; }
    open.removeAttribute("open");
    open.querySelector("summary").focus();
  });

  /* Links marked data-spa navigate without a reload, like dcc.Link, but keep full ARIA attributes. Before the
     live page has taken over from a document's first paint (assets/first-paint.js), they are ordinary links. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-spa]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) { return; }
    if (document.getElementById("first-paint") || !document.querySelector("#react-entry-point #main")) { return; }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    if (link.target && link.target !== "_self") { return; }
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) { return; }
    event.preventDefault();
    window.history.pushState({}, "", url.pathname + url.search);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    focusMainAfterRender = true;
    window.scrollTo(0, 0);
  });
})();

/* Presentation mode: Escape goes back to the interactive view. */
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") { return; }
  var exit = document.getElementById("exit-present");
  if (exit) { exit.click(); }
});

/* Dash's dropdown names its button only by the selected value; add the visible field label so screen
   readers announce "Indicator, Innovative workplaces", and expose the element that takes focus. */
(function () {
  function labelDropdowns(root) {
    var wrappers = (root.querySelectorAll ? root.querySelectorAll(".dash-dropdown-wrapper") : []);
    for (var i = 0; i < wrappers.length; i++) {
      var button = wrappers[i].querySelector("button.dash-dropdown");
      var focus = wrappers[i].querySelector(".dash-dropdown-focus-target");
      if (!button || !button.id) { continue; }
      var label = document.getElementById(button.id + "-label");
      if (!label) { continue; }
      /* named by its label and everything it shows (the chosen value, or how many are chosen): the button
         itself is the second name, so the visible text is always part of the name; the values chosen, when
         only their count is shown, describe it; the clear cross, which only a pointer reaches, is left out */
      var names = label.id + " " + button.id;
      if (button.getAttribute("aria-describedby") !== button.id + "-value") {
        button.setAttribute("aria-describedby", button.id + "-value");
      }
      var clear = wrappers[i].querySelector(".dash-dropdown-clear");
      if (clear && clear.getAttribute("aria-hidden") !== "true") { clear.setAttribute("aria-hidden", "true"); }
      if (button.getAttribute("aria-labelledby") !== names) { button.setAttribute("aria-labelledby", names); }
      if (focus && focus.getAttribute("aria-hidden") === "true") {
        focus.removeAttribute("aria-hidden");
        focus.setAttribute("role", "combobox");
        focus.setAttribute("aria-haspopup", "listbox");
        focus.setAttribute("aria-labelledby", names);
      }
      var expanded = button.getAttribute("aria-expanded") || "false";
      if (focus && focus.getAttribute("aria-expanded") !== expanded) { focus.setAttribute("aria-expanded", expanded); }
    }
  }
  /* Dash draws checkboxes and radio buttons as a listbox of options that each hold a native input: an
     unnamed listbox around nested controls. The inputs are labelled and the fieldset's legend names the group,
     so the listbox roles only get in the way of screen readers: take them off. */
  function plainChoices(root) {
    var lists = root.querySelectorAll ? root.querySelectorAll(".dash-checklist[role], .dash-radioitems[role]") : [];
    for (var i = 0; i < lists.length; i++) {
      lists[i].removeAttribute("role");
      var options = lists[i].querySelectorAll("[role=option]");
      for (var j = 0; j < options.length; j++) {
        options[j].removeAttribute("role");
        options[j].removeAttribute("aria-selected");
      }
    }
  }
  function fix(root) { labelDropdowns(root); plainChoices(root); }
  var observer = new MutationObserver(function () { fix(document); });
  function start() {
    fix(document);
    observer.observe(document.body, {childList: true, subtree: true, attributes: true,
                                     attributeFilter: ["aria-expanded", "role"]});
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

/* Presentation mode: the full-screen button (browsers only allow it on a user gesture). */
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("#fullscreen-button") : null;
  if (!button) { return; }
  var root = document.documentElement;
  if (document.fullscreenElement) { document.exitFullscreen(); } else if (root.requestFullscreen) { root.requestFullscreen(); }
});

/* Copy buttons (app/components/ui.py, copy_button): the text of the field in the button's box. Browsers
   offer the clipboard API in secure contexts only; on a plain-http hall address a selected hidden textarea and
   execCommand('copy') do it, and failing both the text is left selected with a hint to press Ctrl+C. */
(function () {
  function fieldText(field) {
    return field.tagName === "INPUT" || field.tagName === "TEXTAREA" ? field.value : field.innerText;
  }
  function copyBySelection(text, button) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    document.body.removeChild(area);
    button.focus();
    return done;
  }
  function selectField(field) {
    if (field.select) { field.focus(); field.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(field);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function say(button, text) {
    var status = button.parentElement.querySelector(".copy-status");
    if (!status) { return; }
    status.textContent = text;
    clearTimeout(button._copyTimer);
    button._copyTimer = setTimeout(function () { status.textContent = ""; }, 4000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) { return; }
    var box = button.closest(".copy-control").parentElement;
    var field = box && box.querySelector("input, textarea, pre");
    if (!field) { return; }
    var text = fieldText(field);
    var fallback = function () {
      if (copyBySelection(text, button)) { say(button, button.dataset.copied); return; }
      selectField(field);
      say(button, button.dataset.copyHint);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say(button, button.dataset.copied); }, fallback);
    } else {
      fallback();
    }
  });
})();

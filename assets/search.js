/* The header's search box (app/search/box.py): an ARIA combobox over /api/v1/search. Events are delegated from
   the document, so the box works in the first paint and after every re-render of the header. */
(function () {
  var INPUT = "site-search-input", LIST = "site-search-list", STATUS = "site-search-status";
  var timer = null, asked = 0;

  function parts() {
    var input = document.getElementById(INPUT);
    return { input: input, list: document.getElementById(LIST), status: document.getElementById(STATUS),
             box: input ? input.closest(".site-search") : null };
  }
  /* The combobox pattern on the field (app/search/box.py draws a plain text field). */
  function ariaOnField() {
    var input = document.getElementById(INPUT);
    if (!input || input.getAttribute("role") === "combobox") { return; }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", LIST);
    input.setAttribute("aria-describedby", INPUT + "-help");
  }
  function watch() {
    ariaOnField();
    new MutationObserver(ariaOnField).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }
  function options(list) { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
  function close(p) {
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }
  function activate(p, index) {
    var all = options(p.list);
    all.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (index >= 0 && all[index]) {
      p.input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      p.input.removeAttribute("aria-activedescendant");
    }
  }
  function go(p, option) {
    if (!option) { return; }
    var link = document.createElement("a");
    link.href = option.getAttribute("data-url");
    link.setAttribute("data-spa", "1");
    link.hidden = true;
    document.body.appendChild(link);
    close(p);
    link.click();
    link.remove();
  }
  function render(p, answer) {
    p.list.innerHTML = "";
    answer.results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-url", r.url);
      var title = document.createElement("span");
      title.className = "search-title";
      title.lang = r.title_lang;
      title.textContent = r.title;
      var line = document.createElement("span");
      line.className = "search-answer";
      line.textContent = r.answer;
      li.appendChild(title);
      li.appendChild(line);
      p.list.appendChild(li);
    });
    var found = answer.results.length;
    p.status.textContent = found ? p.box.getAttribute("data-found").replace("{count}", found)
                                 : p.box.getAttribute("data-none");
    p.list.hidden = !found;
    p.input.setAttribute("aria-expanded", found ? "true" : "false");
  }
  function ask(p) {
    var query = p.input.value.trim();
    var mine = ++asked;
    if (!query) { close(p); p.status.textContent = ""; return; }
    var lang = p.box.getAttribute("data-lang") || "en";
    fetch("/api/v1/search?lang=" + encodeURIComponent(lang) + "&limit=8&q=" + encodeURIComponent(query))
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (answer) { if (mine === asked) { render(p, answer); } })
      .catch(function () { /* offline: the box simply lists nothing */ });
  }

  document.addEventListener("input", function (event) {
    if (event.target.id !== INPUT) { return; }
    var p = parts();
    clearTimeout(timer);
    timer = setTimeout(function () { ask(p); }, 120);
  });
  document.addEventListener("keydown", function (event) {
    if (event.target.id !== INPUT) { return; }
    var p = parts(), all = options(p.list);
    var current = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!all.length) { return; }
      p.list.hidden = false;
      p.input.setAttribute("aria-expanded", "true");
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(p, current < 0 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (all.length) {
        go(p, all[current < 0 ? 0 : current]);
      } else {
        clearTimeout(timer);
        ask(p);
      }
    } else if (event.key === "Escape") {
      if (!p.list.hidden) { event.preventDefault(); event.stopPropagation(); close(p); }
    }
  });
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest ? event.target.closest("#" + LIST + " [role=option]") : null;
    if (option) { event.preventDefault(); go(parts(), option); }
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.id !== INPUT) { return; }
    setTimeout(function () { var p = parts(); if (p.input && document.activeElement !== p.input) { close(p); } }, 150);
  });
})();

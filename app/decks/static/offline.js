/* The offline deck (app/decks/slides/offline.py), inlined. Draws every chart at once (no slide is hidden, so
   each gets its real width), then moves between slides. */
(function () {
  var deck = JSON.parse(document.getElementById('deck-data').textContent);
  deck.figures.forEach(function (figure, i) {
    if (!figure) { return; }
    var chart = document.getElementById('chart-' + (i + 1));
    chart.style.height = figure.layout.height + 'px';  // its own height, which fit-chart.js scales to its box
    Plotly.newPlot(chart, figure.data, figure.layout, deck.config).then(window.barometerFitCharts);
  });
  var slides = Array.prototype.slice.call(document.querySelectorAll('section.slide'));
  function current() {  // the last slide whose top is in the upper half of the window: the first one under the
    var index = 0;      // deck's title counts as shown, so the first step from the top goes to the second
    slides.forEach(function (slide, i) { if (slide.getBoundingClientRect().top <= window.innerHeight / 2) { index = i; } });
    return index;
  }
  function go(index) {
    var target = slides[Math.max(0, Math.min(slides.length - 1, index))];
    target.scrollIntoView({block: 'start'});
    target.focus({preventScroll: true});
  }
  var steps = {ArrowRight: 1, ArrowDown: 1, PageDown: 1, ' ': 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1};
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key in steps) { go(current() + steps[event.key]); }
    else if (event.key === 'Home') { go(0); }
    else if (event.key === 'End') { go(slides.length - 1); }
    else { return; }
    event.preventDefault();
  });
  document.querySelectorAll('.deck-nav button').forEach(function (button) {
    button.addEventListener('click', function () { go(current() + Number(button.dataset.step)); });
  });
})();

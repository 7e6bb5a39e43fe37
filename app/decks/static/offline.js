/* The offline deck (app/decks/slides/offline.py), inlined. Draws every chart at once (no slide is hidden, so
   each gets its real width), then moves between slides. */
(function () {
  var deck = JSON.parse(document.getElementById('deck-data').textContent);
  deck.figures.forEach(function (figure, i) {
    if (figure) { Plotly.newPlot('chart-' + (i + 1), figure.data, figure.layout, deck.config); }
  });
  var slides = Array.prototype.slice.call(document.querySelectorAll('section.slide'));
  function current() {  // the last slide whose top has reached the top of the window (-1: the title above them)
    var index = -1;
    slides.forEach(function (slide, i) { if (slide.getBoundingClientRect().top <= 2) { index = i; } });
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

"""Which published figure belongs on which row of a view: a figure is shown only where everything it measures
is the row's own (country, programme, wave, level, sector, indicator and option).

Pure functions on mappings with the keys of app.data.queries.published_figures rows (country, programme, wave_label,
level, sector, indicator, option), so that the app and the tests share one rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Figure = Mapping[str, Any]


def _same_measure(figure: Figure, level: str, sector: str, indicator: str, option: str) -> bool:
    return (figure["indicator"] == indicator and figure["option"] == option
            and figure["level"] == level and figure["sector"] == sector)


def figure_for_wave(figures: Iterable[Figure], *, country: str, programme: str, wave_label: str, level: str,
                    sector: str, indicator: str, option: str) -> Figure | None:
    """The published figure for one wave's bar, or None.

    Programme and wave must both match: a figure of another programme of the same country (e.g. Norway's
    state barometer beside KS's municipal one) or of another wave never lands on the row, and a figure whose
    source names no wave (wave_label None) is never tied to a wave.
    """
    return next((f for f in figures
                 if f["country"] == country and f["programme"] == programme and f["wave_label"] is not None
                 and f["wave_label"] == wave_label and _same_measure(f, level, sector, indicator, option)), None)


def figures_without_wave(figures: Iterable[Figure], *, programmes: Iterable[tuple[str, str]], level: str,
                         sector: str, indicator: str, option: str) -> list[Figure]:
    """Figures of the same measure whose source names no wave, for the (country, programme) pairs the view
    shows: to be listed beside the chart with "wave not stated", never on a wave's bar."""
    shown = set(programmes)
    return [f for f in figures if f["wave_label"] is None and (f["country"], f["programme"]) in shown
            and _same_measure(f, level, sector, indicator, option)]

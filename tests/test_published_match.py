"""A published figure appears only on the row of its own programme, wave, level, sector and measure."""

from __future__ import annotations

from core.published_match import figure_for_wave, figures_without_wave

KS = "KS Innovasjonsbarometer"
DIGDIR = "Digdir Innovasjonsbarometer for staten"


def _figure(**overrides) -> dict:
    figure = {"id": "x", "country": "NO", "programme": KS, "wave_label": "2018", "level": "all", "sector": "all",
              "indicator": "innovative", "option": "yes"}
    return figure | overrides


ROW = {"country": "NO", "programme": KS, "wave_label": "2018", "level": "state", "sector": "all",
       "indicator": "innovative", "option": "yes"}


def test_state_barometer_figure_never_lands_on_the_ks_row() -> None:
    digdir = _figure(id="digdir", programme=DIGDIR, level="state")
    assert figure_for_wave([digdir], **ROW) is None
    own = _figure(id="ks-state", level="state")
    assert figure_for_wave([digdir, own], **ROW)["id"] == "ks-state"


def test_other_wave_level_sector_or_option_never_match() -> None:
    for other in (_figure(wave_label="2020", level="state"), _figure(level="all"),
                  _figure(level="state", sector="health_care"), _figure(level="state", option="no"),
                  _figure(level="state", country="DK")):
        assert figure_for_wave([other], **ROW) is None


def test_figure_without_wave_is_listed_beside_its_programme_only() -> None:
    unstated = _figure(id="vpt", wave_label=None, level="state")
    assert figure_for_wave([unstated], **ROW) is None
    measure = {k: ROW[k] for k in ("level", "sector", "indicator", "option")}
    assert figures_without_wave([unstated], programmes=[("NO", KS)], **measure) == [unstated]
    assert figures_without_wave([unstated], programmes=[("NO", DIGDIR), ("DK", KS)], **measure) == []

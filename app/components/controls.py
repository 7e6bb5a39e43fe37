"""Options of the filter controls (indicator, option, codes), labelled in the page language."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, dcc, no_update

from app.components.ui import group
from app.i18n import safe_lang, t
from app.site.params import Known
from app.site.request import current_known


def indicator_options(known: Known, lang: str) -> list[dict[str, str]]:
    """Indicators in catalogue order, each with its topic when the names differ."""
    ref = known.ref
    options = []
    for code, indicator in ref.indicators.items():
        label, topic = ref.label("indicator", code, lang), ref.label("topic", indicator.topic, lang)
        options.append({"label": label if label == topic else f"{label} · {topic}", "value": code})
    return options


def option_options(known: Known, indicator: str, lang: str) -> list[dict[str, str]]:
    return [{"label": known.ref.option_label(indicator, o, lang), "value": o}
            for o in known.ref.indicators[indicator].options]


def code_options(known: Known, kind: str, codes: tuple[str, ...], lang: str) -> list[dict[str, str]]:
    return [{"label": known.ref.label(kind, c, lang), "value": c} for c in codes]


def chart_and_display(id_prefix: str, lang: str, view: Any) -> list[Any]:
    """The 'bars or dots' and 'chart or table' choices, as radio groups named '<id_prefix>-chart/-display'."""
    def radios(name: str, label_key: str, options: list[tuple[str, str]], value: str) -> Any:
        return group(t(lang, label_key), dcc.RadioItems(
            id=f"{id_prefix}-{name}", options=[{"label": t(lang, key), "value": v} for v, key in options],
            value=value, inline=True, className="checks", labelClassName="check-label"), f"{id_prefix}-{name}")

    return [radios("chart", "label_chart", [("bar", "chart_bar"), ("dot", "chart_dot")], view.chart),
            radios("display", "label_display", [("chart", "display_chart"), ("table", "display_table")],
                   view.display)]


def register_option_follows_indicator(app: Dash, indicator_id: str, option_id: str) -> None:
    """When the indicator changes, offer its options and keep the chosen one if it still exists."""

    @app.callback(Output(option_id, "options"), Output(option_id, "value"),
                  Input(indicator_id, "value"), State(option_id, "value"), State("page-lang", "data"),
                  prevent_initial_call=True)
    def follow(indicator: str, option: str, lang: str):
        known = current_known()
        if not isinstance(indicator, str) or indicator not in known.ref.indicators:
            return no_update, no_update
        options = option_options(known, indicator, safe_lang(lang))
        values = [o["value"] for o in options]
        return options, option if option in values else ("yes" if "yes" in values else values[0])

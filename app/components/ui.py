"""Small accessible building blocks: labelled controls, notices, badges and data tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html

from app.i18n import t
from app.site.params import Problem


def field(label: str, control: Any, control_id: str, *, hint: str | None = None, wide: bool = False) -> html.Div:
    """A control with a visible label bound to it (and an optional hint read by screen readers)."""
    children: list[Any] = [html.Label(label, htmlFor=control_id, className="field-label", id=f"{control_id}-label")]
    if hint:
        children.append(html.Div(hint, id=f"{control_id}-hint", className="field-hint"))
    children.append(control)
    return html.Div(children, className="field field-wide" if wide else "field")


def group(legend: str, control: Any, group_id: str) -> html.Fieldset:
    """Checkboxes or radio buttons inside a fieldset whose legend names them."""
    return html.Fieldset([html.Legend(legend, className="field-label"), control], className="field",
                         id=f"{group_id}-group")


def dropdown(control_id: str, options: Sequence[dict[str, Any]], value: Any, lang: str, *,
             multi: bool = False, searchable: bool = True) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=control_id, options=list(options), value=value, multi=multi, clearable=multi, searchable=searchable,
        className="dropdown",
        labels={"select_all": t(lang, "dd_select_all"), "deselect_all": t(lang, "dd_deselect_all"),
                "selected_count": t(lang, "dd_selected_count"), "search": t(lang, "dd_search"),
                "clear_search": t(lang, "dd_clear_search"), "clear_selection": t(lang, "dd_clear_selection"),
                "no_options_found": t(lang, "dd_no_options")},
        placeholder=t(lang, "dd_placeholder"),
    )


def problems_notice(problems: Sequence[Problem], lang: str) -> html.Div | None:
    """Friendly message listing parameters that were ignored (the view shows defaults instead)."""
    if not problems:
        return None
    items = [html.Li(t(lang, p.reason, param=p.param, value=p.value)) for p in problems]
    return html.Div([html.P(html.Strong(t(lang, "problems_title"))), html.Ul(items),
                     html.P(t(lang, "problems_hint"))],
                    className="notice notice-info", role="status", id="param-problems")


def warning_box(title: str, warnings: Sequence[Any], lang: str, *, box_id: str | None = None) -> html.Details | None:
    """Comparability warnings as one short line naming what differs; the warnings themselves, each with its
    wave-by-wave evidence, one click away."""
    if not warnings:
        return None
    items = []
    for w in warnings:
        content: list[Any] = [w.text]
        if w.details:
            content.append(html.Ul([html.Li(d) for d in w.details]))
        items.append(html.Li(content, **{"data-aspect": w.aspect}))
    aspects = ", ".join(dict.fromkeys(t(lang, f"aspect_{w.aspect}") for w in warnings))
    kwargs = {"id": box_id} if box_id else {}
    return html.Details([html.Summary(["⚠ ", html.Strong(title), f": {aspects}"]), html.Ul(items)],
                        className="notice-line notice-warning", role="note", **kwargs)


def demo_badge(text: str | None, lang: str) -> html.Details | None:
    """The demo-data label as one short line, its full text one click away."""
    if not text:
        return None
    return html.Details([html.Summary([html.Span(t(lang, "demo_badge"), className="badge badge-demo"), " ",
                                       t(lang, "demo_short")]), html.P(text)],
                        className="notice-line demo-label", role="note")


def more_options(lang: str, children: Sequence[Any]) -> html.Details:
    """Secondary controls (chart kind, chart or table, ...), folded away under 'More options'."""
    return html.Details([html.Summary(t(lang, "more_options")), html.Div(list(children), className="controls-row")],
                        className="more-options")


def error_notice(lang: str, key: str = "db_unavailable") -> html.Div:
    return html.Div([html.P(html.Strong(t(lang, "error_title"))), html.P(t(lang, key))],
                    className="notice notice-error", role="alert")


def data_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str, table_id: str | None = None,
               numeric: Sequence[int] = (), row_header: bool = True) -> html.Div:
    """A plain HTML table (header cells with scope, caption) inside a horizontally scrollable region."""
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in columns]))
    body_rows = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            class_name = "num" if i in numeric else None
            if i == 0 and row_header:
                cells.append(html.Th(value, scope="row", className=class_name))
            else:
                cells.append(html.Td(value, className=class_name))
        body_rows.append(html.Tr(cells))
    table_kwargs = {"id": table_id} if table_id else {}
    return html.Div(
        html.Table([html.Caption(caption), head, html.Tbody(body_rows)], className="data-table", **table_kwargs),
        className="table-scroll", tabIndex=0, role="region", **{"aria-label": caption},
    )


def copy_button(lang: str, label_key: str, *, button_id: str | None = None) -> html.Span:
    """A button that copies the text of the field beside it (the input, textarea or pre in the same box), and
    the status line that says it did. assets/app.js does the copying, with the clipboard API where the browser
    offers it and by a selected hidden textarea where it does not (a plain-http hall address); failing both,
    it selects the text and says how to copy it."""
    button_args = {"id": button_id} if button_id else {}
    return html.Span([
        html.Button(t(lang, label_key), type="button", className="copy-button", **button_args,
                    **{"data-copy": "field", "data-copied": t(lang, "copy_done"),
                       "data-copy-hint": t(lang, "copy_hint")}),
        html.Span("", className="copy-status", role="status"),
    ], className="copy-control")

"""Harmonised respondent-level file of one loaded wave, for researchers inside a secure environment.

Only the command line calls this (``barometer export microdata``): the dashboard and its API never read
respondent or answer rows. One row per unit, with

- design variables: country, wave, national id, government level, sector, size band (coded, value
  labels in the chosen language) and the weight;
- one variable per single-response indicator (``novelty``: 1, 2, 3 ... in the catalogue's option order;
  yes/no indicators such as ``innovative``: 1 yes, 0 no);
- one 0/1 variable per item of a multiple-response indicator (``partner_private_firms``), derived items
  (``partner_any``) included.

A missing value is a question not answered (or not asked: questions about the latest innovation are put
only to innovative units). Demo waves are refused unless the caller allows them: a synthetic file must
never be mistaken for survey data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psycopg
from psycopg import sql

from core.config import LANGUAGES
from core.database import connect
from core.wave_keys import wave_keys
from etl.errors import EtlError

FORMATS = ("sav", "dta", "parquet")
DESIGN_VARIABLES = ("government_level", "sector", "size_band")
# Stata's limits (SPSS allows more); names are checked, labels cut
STATA_NAME_MAX, STATA_LABEL_MAX = 32, 80
# labels of a 0/1 item of a multiple-response question, in every UI language
SELECTED_LABELS: dict[str, dict[int, str]] = {
    "en": {1: "Yes", 0: "No"}, "nb": {1: "Ja", 0: "Nei"}, "da": {1: "Ja", 0: "Nej"},
    "sv": {1: "Ja", 0: "Nej"}, "fi": {1: "Kyllä", 0: "Ei"}, "is": {1: "Já", 0: "Nei"},
}
# SPSS keeps 64 characters of a file label: the demo mark comes first so that it always survives
DEMO_FILE_LABEL = "DEMO DATA (synthetic, not survey responses)"


class MicrodataRefused(EtlError):
    """The export was not allowed (a demo wave without the explicit demo switch)."""


@dataclass(frozen=True)
class WaveInfo:
    id: int
    key: str
    country: str
    programme: str
    wave_label: str
    is_demo: bool
    citation: str


@dataclass
class Microdata:
    """A wave's harmonised units as one wide table, with the labels a statistics package shows."""

    wave: WaveInfo
    lang: str
    frame: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[int, str]]

    @property
    def file_label(self) -> str:
        label = f"{self.wave.country} {self.wave.programme} {self.wave.wave_label}, harmonised"
        return f"{DEMO_FILE_LABEL} {label}" if self.wave.is_demo else label


def find_wave(conn: psycopg.Connection, key: str) -> WaveInfo:
    """The loaded wave with URL key ``key`` (short or long form, any case); an error lists the known keys."""
    rows = conn.execute(
        "SELECT id, country_code, programme, wave_label, is_demo, citation FROM survey_wave ORDER BY id"
    ).fetchall()
    infos = [dict(zip(("id", "country_code", "programme", "wave_label", "is_demo", "citation"), r, strict=True))
             for r in rows]
    keys = wave_keys(infos)
    for info in infos:
        short, long = keys[info["id"]]
        if key.lower() in (short.lower(), long.lower()):
            return WaveInfo(info["id"], short, info["country_code"].strip(), info["programme"], info["wave_label"],
                            info["is_demo"], info["citation"])
    known = ", ".join(keys[i["id"]][0] for i in infos) or "none (run `barometer etl run` first)"
    raise EtlError(f"no loaded wave has the key {key!r}; loaded waves: {known}")


def _labels(conn: psycopg.Connection, lang: str) -> dict[tuple[str, str], str]:
    """(kind, code) -> label in ``lang``, English where a text is missing."""
    rows = conn.execute("SELECT kind, code, lang, text FROM label WHERE lang IN (%s, 'en')", (lang,)).fetchall()
    labels: dict[tuple[str, str], str] = {}
    for kind, code, _lang, text in sorted(rows, key=lambda r: r[2] == lang):  # the chosen language last wins
        labels[(kind, code)] = text
    return labels


def _coded(values: pd.Series, codes: list[str]) -> pd.Series:
    """Harmonised codes as 1, 2, 3 ... in catalogue order (missing stays missing)."""
    return values.map({code: i for i, code in enumerate(codes, start=1)}).astype("Float64")


def read_microdata(conn: psycopg.Connection, wave: WaveInfo, lang: str) -> Microdata:
    """The wide, labelled table of ``wave`` (read from the respondent and answer tables)."""
    if lang not in LANGUAGES:
        raise EtlError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
    # -- load inputs
    labels = _labels(conn, lang)
    respondents = pd.DataFrame(conn.execute(
        "SELECT national_id, government_level_code, sector_code, size_band_code, weight FROM respondent "
        "WHERE wave_id = %s ORDER BY national_id", (wave.id,)).fetchall(),
        columns=["national_id", "government_level", "sector", "size_band", "weight"])
    answers = pd.DataFrame(conn.execute(
        "SELECT national_id, indicator_code, option_code, selected FROM answer WHERE wave_id = %s",
        (wave.id,)).fetchall(), columns=["national_id", "indicator", "option", "selected"])
    indicators = conn.execute(
        "SELECT i.code, i.response_type FROM indicator i JOIN topic t ON t.code = i.topic_code "
        "ORDER BY t.sort_order, i.sort_order").fetchall()
    options: dict[str, list[str]] = {}
    for indicator, option in conn.execute(
            "SELECT indicator_code, option_code FROM indicator_option ORDER BY indicator_code, sort_order"):
        options.setdefault(indicator, []).append(option)
    dimension_codes = {dim: [r[0] for r in conn.execute(
        sql.SQL("SELECT code FROM {} WHERE code <> 'all' ORDER BY sort_order, code").format(sql.Identifier(dim)))]
        for dim in DESIGN_VARIABLES}
    if respondents.empty:
        raise EtlError(f"wave {wave.key} has no respondents loaded")

    # -- process data: design variables, then one or more variables per indicator
    frame = pd.DataFrame({"country": wave.country, "wave": wave.wave_label,
                          "national_id": respondents["national_id"].astype(str)})
    variable_labels = {"country": "country", "wave": "wave",
                       "national_id": "national_id", "weight": "weight"}
    value_labels: dict[str, dict[int, str]] = {}
    for dim in DESIGN_VARIABLES:
        codes = dimension_codes[dim]
        frame[dim] = _coded(respondents[dim], codes)
        value_labels[dim] = {i: labels.get((dim, c), c) for i, c in enumerate(codes, start=1)}
        variable_labels[dim] = dim.replace("_", " ")
    frame["weight"] = respondents["weight"].astype(float)

    by_item = (answers.set_index(["national_id", "indicator", "option"])["selected"].astype(object)
               .unstack(["indicator", "option"]) if not answers.empty else pd.DataFrame())
    by_item = by_item.reindex(frame["national_id"])
    yes_no = SELECTED_LABELS[lang]
    for code, response_type in indicators:
        present = [o for o in options.get(code, []) if (code, o) in by_item.columns]
        if not present:
            continue  # not asked in this wave
        indicator_label = labels.get(("indicator", code), code)
        if response_type == "single":
            frame[code], value_labels[code] = _single(by_item, code, options[code], labels)
            variable_labels[code] = indicator_label
            continue
        for option in present:
            name = f"{code}_{option}"
            frame[name] = by_item[(code, option)].map({True: 1.0, False: 0.0}).astype("Float64").to_numpy()
            variable_labels[name] = f"{indicator_label}: {labels.get(('option', f'{code}.{option}'), option)}"
            value_labels[name] = dict(yes_no)
    for name in frame.columns:
        if len(name) > STATA_NAME_MAX:
            raise EtlError(f"harmonised variable name {name!r} is longer than {STATA_NAME_MAX} characters",
                           variable=name)
    return Microdata(wave, lang, frame.reset_index(drop=True), variable_labels, value_labels)


def _single(by_item: pd.DataFrame, code: str, codes: list[str],
            labels: dict[tuple[str, str], str]) -> tuple[pd.Series, dict[int, str]]:
    """One coded variable from the per-option rows of a single-response indicator."""
    if set(codes) == {"yes", "no"}:
        numbering = {"yes": 1, "no": 0}
    else:
        numbering = {c: i for i, c in enumerate(codes, start=1)}
    chosen = pd.Series(pd.NA, index=by_item.index, dtype="Float64")
    for option, number in numbering.items():
        if (code, option) in by_item.columns:
            chosen = chosen.mask(by_item[(code, option)].eq(True).fillna(False).astype(bool), float(number))
    value_labels = {number: labels.get(("option", f"{code}.{option}"), option) for option, number in numbering.items()}
    return chosen.to_numpy(), dict(sorted(value_labels.items()))


def write_microdata(data: Microdata, path: Path, fmt: str) -> Path:
    """Write ``data`` as SPSS (.sav), Stata (.dta) or Parquet; labels travel inside the file."""
    import pyreadstat

    if fmt not in FORMATS:
        raise EtlError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    # statistics packages want plain floats with NaN for missing values
    frame = data.frame.astype({c: "float64" for c in data.frame.columns if str(data.frame[c].dtype) == "Float64"})
    if fmt == "sav":
        pyreadstat.write_sav(frame, path, file_label=data.file_label, column_labels=data.variable_labels,
                             variable_value_labels=data.value_labels)
    elif fmt == "dta":
        pyreadstat.write_dta(frame, path, file_label=data.file_label[:STATA_LABEL_MAX],
                             column_labels={k: v[:STATA_LABEL_MAX] for k, v in data.variable_labels.items()},
                             variable_value_labels=data.value_labels)
    else:
        _write_parquet(data, frame, path)
    return path


def _write_parquet(data: Microdata, frame: pd.DataFrame, path: Path) -> None:
    """Parquet keeps the codes; variable and value labels go in the file's metadata (key 'barometer')."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {"file_label": data.file_label, "is_demo": data.wave.is_demo, "wave": data.wave.key,
            "citation": data.wave.citation, "lang": data.lang, "variable_labels": data.variable_labels,
            "value_labels": {k: {str(n): t for n, t in v.items()} for k, v in data.value_labels.items()}}
    schema_meta = {**(table.schema.metadata or {}), b"barometer": json.dumps(meta, ensure_ascii=False).encode()}
    pq.write_table(table.replace_schema_metadata(schema_meta), path)


def export_microdata(database_url: str, wave_key: str, fmt: str, path: Path | None = None, *, lang: str = "en",
                     allow_demo: bool = False) -> tuple[Path, WaveInfo]:
    """Write the harmonised microdata of loaded wave ``wave_key``; demo waves only with ``allow_demo``."""
    if fmt not in FORMATS:
        raise EtlError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    with connect(database_url) as conn:
        wave = find_wave(conn, wave_key)
        if wave.is_demo and not allow_demo:
            raise MicrodataRefused(
                f"{wave.key} is a demo wave: its units are synthetic, generated by this project, not survey "
                "responses. Not exported; pass --demo to export it anyway (the file is then labelled as demo).")
        data = read_microdata(conn, wave, lang)
    target = path or Path(f"barometer-microdata-{wave.key}{'-demo' if wave.is_demo else ''}.{fmt}")
    return write_microdata(data, target, fmt), wave

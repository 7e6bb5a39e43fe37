"""JSON API (/api/v1/...) and downloads (/download/<page>.csv|xlsx): the aggregates behind any view.

Each endpoint takes the same query parameters as the page URL it mirrors. Unknown or invalid parameters
give HTTP 400 with a list of problems; no endpoint returns workplace-level rows.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from app.data import queries
from app.exports.api_doc import api_doc
from app.exports.data_package import PACKAGE_NAME, package_zip
from app.exports.datasets import Dataset, build_dataset
from app.exports.files import REFERENCE_FORMATS, reference_file, to_csv, to_xlsx
from app.exports.openapi import openapi_spec
from app.i18n import safe_lang, t
from app.models.coverage import build_coverage, coverage_records
from app.search.api import DEFAULT_LIMIT, MAX_LIMIT, search_answer
from app.site.params import Problem, known, parse_lang
from app.site.registry import Page, page_named, page_of_endpoint
from app.site.request import current_db, public_base
from app.site.urls import file_stem
from core.config import get_settings
from core.errors import DatabaseUnavailable

RETRY_AFTER_S = 10  # when the database is away: seconds after which a client may ask again

api = Blueprint("barometer_api", __name__)


def _args() -> dict[str, list[str]]:
    return request.args.to_dict(flat=False)


def _lang(args: dict[str, list[str]]) -> tuple[str, list[Problem]]:
    lang, problems = parse_lang(args, None)
    args.pop("lang", None)
    return safe_lang(lang), problems


def _unknown_params(args: dict[str, list[str]]) -> list[Problem]:
    """Every parameter still left in ``args`` once an endpoint has taken the ones it knows."""
    return [Problem(name, ",".join(values), "problem_unknown_param") for name, values in args.items()]


def _bad_request(problems: list[Problem], lang: str) -> Response:
    response = jsonify({"error": "bad_parameters",
                        "message": t(lang, "problems_title"),
                        "problems": [{**p.as_dict(), "message": t(lang, p.reason, param=p.param, value=p.value)}
                                     for p in problems],
                        "documentation": "/api/v1"})
    response.status_code = 400
    return response


def _min_cell_n(facts) -> int | None:
    values = [w.min_cell_n for w in facts.waves if w.min_cell_n is not None]
    return min(values) if values else get_settings().min_cell_n


def _dataset(page: Page) -> tuple[Dataset | None, Response | None, Any]:
    args = _args()
    lang, lang_problems = _lang(args)
    db = current_db()
    facts = known(db)
    dataset, problems = build_dataset(db, page, args, lang, facts)
    if lang_problems or problems:
        return None, _bad_request([*lang_problems, *problems], lang), facts
    return dataset, None, facts


@api.get("/api/v1")
@api.get("/api/v1/")
def index() -> Response:
    return jsonify(api_doc())


@api.get("/api/v1/openapi.json")
def openapi() -> Response:
    lang, _, problems = _plain_request()
    if problems:
        return _bad_request(problems, lang)
    return jsonify(openapi_spec(api_doc(), known(current_db())))


@api.get("/api/v1/<endpoint>")
def view_data(endpoint: str) -> Response:
    if endpoint == "reference":
        return reference()
    if endpoint == "waves":
        return waves()
    if endpoint == "published":
        return published()
    if endpoint == "official":
        return official()
    if endpoint == "coverage":
        return coverage()
    if endpoint == "search":
        return search()
    page = page_of_endpoint(endpoint)
    if page is None:
        return _not_found()
    dataset, error, facts = _dataset(page)
    if error is not None:
        return error
    assert dataset is not None
    return jsonify({**dataset.meta(_min_cell_n(facts)), "citation": dataset.citation(public_base()).as_dict(),
                    "data": dataset.records})


def _plain_request(*taken: str) -> tuple[str, dict[str, list[str]], list[Problem]]:
    """An endpoint without page parameters: its language, the values of the parameters ``taken``, and a
    problem for each parameter it does not take."""
    args = _args()
    lang, problems = _lang(args)
    values = {name: args.pop(name, []) for name in taken}
    return lang, values, problems + _unknown_params(args)


def reference() -> Response:
    lang, _, problems = _plain_request()
    if problems:
        return _bad_request(problems, lang)
    ref = queries.reference(current_db())
    return jsonify({
        "lang": lang,
        "countries": [{"code": c, "label": ref.label("country", c, lang)} for c in ref.countries],
        "government_levels": [{"code": c, "label": ref.label("government_level", c, lang)} for c in ref.levels],
        "sectors": [{"code": c, "label": ref.label("sector", c, lang)} for c in ref.sectors],
        "units_of_observation": [{"code": c, "label": ref.label("unit_of_observation", c, lang)} for c in ref.units],
        "indicators": [{"code": i.code, "label": ref.label("indicator", i.code, lang), "topic": i.topic,
                        "response_type": i.response_type, "base": i.base, "question_en": i.question_en,
                        "options": [{"code": o, "label": ref.option_label(i.code, o, lang)} for o in i.options]}
                       for i in ref.indicators.values()],
    })


def waves() -> Response:
    lang, _, problems = _plain_request()
    if problems:
        return _bad_request(problems, lang)
    return jsonify({"waves": [
        {"key": w.key, "long_key": w.long_key, "country": w.country, "programme": w.programme,
         "wave_label": w.wave_label, "reference_period": w.reference_period,
         "unit_of_observation": w.unit_of_observation, "nordic_round": w.nordic_round, "responded": w.responded,
         "is_demo": w.is_demo, "citation": w.citation, "source_url": w.source_url}
        for w in queries.waves(current_db())]})


def _codes(values: list[str]) -> list[str]:
    """The codes of a comma-separated list parameter, upper case."""
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


TABLE_ID = re.compile(r"^[A-Z0-9_]+$")  # an official table's id, as the OpenAPI document describes it


def _empty(values: dict[str, list[str]]) -> list[Problem]:
    """A problem for each list parameter given without a code ('?countries=')."""
    return [Problem(name, ",".join(given), "problem_empty_value") for name, given in values.items()
            if given and not _codes(given)]


def published() -> Response:
    lang, values, problems = _plain_request("countries")
    countries = _codes(values["countries"])
    problems += _empty(values)
    ref = queries.reference(current_db())
    problems += [Problem("countries", c, "problem_unknown_value") for c in countries if c not in ref.countries]
    if problems:
        return _bad_request(problems, lang)
    rows = queries.published_figures(current_db(), countries=countries or None)
    return jsonify({"published": rows})


def official() -> Response:
    lang, values, problems = _plain_request("countries", "tables")
    countries, tables = _codes(values["countries"]), _codes(values["tables"])
    problems += _empty(values)
    problems += [Problem("tables", t, "problem_unknown_value") for t in tables if not TABLE_ID.match(t)]
    ref = queries.reference(current_db())
    problems += [Problem("countries", c, "problem_unknown_value") for c in countries if c not in ref.countries]
    if problems:
        return _bad_request(problems, lang)
    rows = [dict(row) for row in queries.official_values(current_db(), countries=countries or None,
                                                         tables=tables or None)]
    for row in rows:
        row["level_label"] = ref.label("government_level", row["level"], lang)
        row["option_label"] = ref.option_label(row["indicator"], row["option"], lang)
    return jsonify({"kind": "official statistics", "lang": lang, "official": rows})


def coverage() -> Response:
    """Per indicator x option x country x wave, which kind of data exists (published, official, survey, demo,
    breakdown), with the address of the view that shows it, and the counts of views with real figures."""
    lang, _, problems = _plain_request()
    if problems:
        return _bad_request(problems, lang)
    db = current_db()
    facts = known(db)
    result = build_coverage(db, facts)
    return jsonify({"lang": lang, "summary": result.summary(),
                    "views": [{"indicator": v.indicator, "option": v.option, "real_countries": list(v.real_countries)}
                              for v in result.views],
                    "cells": coverage_records(result, facts, lang)})


def search() -> Response:
    """Find a chart: the views matching ``q`` (see app.search)."""
    lang, values, problems = _plain_request("q", "limit")
    limit_text = (values["limit"] or [str(DEFAULT_LIMIT)])[-1]
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
        problems.append(Problem("limit", limit_text, "problem_unknown_value"))
    if problems:
        return _bad_request(problems, lang)
    db = current_db()
    return jsonify(search_answer(db, known(db), (values["q"] or [""])[-1], lang, int(limit_text)))


DOWNLOAD_FORMATS = ("csv", "xlsx", *REFERENCE_FORMATS)


def _download_name(name: str) -> tuple[str, str]:
    """'compare.csl.json' -> ('compare', 'csl.json'); 'compare.csv' -> ('compare', 'csv')."""
    for fmt in REFERENCE_FORMATS:
        if name.endswith("." + fmt):
            return name[: -len(fmt) - 1], fmt
    stem, _, fmt = name.rpartition(".")
    return stem, fmt


@api.get("/download/all.zip")
def download_all() -> Response:
    lang, _, problems = _plain_request()
    if problems:
        return _bad_request(problems, lang)
    response = Response(package_zip(current_db(), public_base()), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{PACKAGE_NAME}.zip"'
    return response


@api.get("/download/<name>")
def download(name: str) -> Response:
    stem, fmt = _download_name(name)
    page = page_named(stem)
    if page is None or fmt not in DOWNLOAD_FORMATS:
        return _not_found()
    dataset, error, facts = _dataset(page)
    if error is not None:
        return error
    assert dataset is not None
    stem = file_stem(page.name, dataset.view) + ("-demo" if dataset.demo else "")
    if fmt == "csv":
        body, mimetype = to_csv(dataset, public_base()), "text/csv"
    elif fmt in REFERENCE_FORMATS:
        body, mimetype = reference_file(dataset.citation(public_base()), fmt), REFERENCE_FORMATS[fmt]
    else:
        body = to_xlsx(dataset, public_base(), _min_cell_n(facts))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@api.get("/healthz")
def health() -> Response:
    ok = queries.ping(current_db())
    response = jsonify({"status": "ok" if ok else "database_unavailable"})
    response.status_code = 200 if ok else 503
    if not ok:
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _not_found() -> Response:
    response = jsonify({"error": "not_found", "message": "No such address.", "documentation": "/api/v1"})
    response.status_code = 404
    return response


@api.app_errorhandler(404)
def not_found_anywhere(exc: HTTPException) -> Response | HTTPException:
    """An address no route takes (not even the pages' catch-all, e.g. one with a line break): JSON under the
    API and downloads, as their own 404s are; elsewhere Flask's own page."""
    if request.path.startswith(("/api/", "/download/")):
        return _not_found()
    return exc


@api.app_errorhandler(DatabaseUnavailable)
def database_unavailable(_exc: DatabaseUnavailable) -> Response:
    response = jsonify({"error": "database_unavailable", "message": "The database cannot be reached right now; "
                        "try again in a moment."})
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response

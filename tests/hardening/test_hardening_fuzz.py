"""Fuzzing every query-string and API parameter, the page paths and the values the browser sends to callbacks.

Whatever arrives - random or hostile text, unicode, SQL-ish payloads, huge values, repeated or unknown
parameters, broken percent-encoding, bad language paths - the app never answers 5xx. The API answers 400 with
a JSON list of problems naming each offending parameter; pages draw their defaults with a friendly notice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

import pytest
from hardening_helpers import UNEXPECTED, call, route, scalars, server_callbacks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.pages.compare.view import SOURCES
from app.site.params import AXES, CHARTS, DISPLAYS, FALSE, MAX_VALUE_LENGTH, MAX_VALUES, TRUE, Known, known
from app.site.registry import page_named
from core.config import LANGUAGES

COMPARE = page_named("compare")
PROFILE = page_named("profile")
TYPES_VALUES = page_named("types-values")

# endpoint -> the parameters it takes besides lang
API: dict[str, tuple[str, ...]] = {
    "/api/v1/estimates": COMPARE.params,
    "/api/v1/profile": PROFILE.params,
    "/api/v1/types-values": TYPES_VALUES.params,
    "/api/v1/overview": (),
    "/api/v1/sources": (),
    "/api/v1/reference": (),
    "/api/v1/waves": (),
    "/api/v1/published": ("countries",),
    "/download/compare.csv": COMPARE.params,
    "/download/profile.xlsx": PROFILE.params,
    "/download/types-values.csv": TYPES_VALUES.params,
    "/download/overview.xlsx": (),
    "/download/data.csv": (),
}
PAGES: dict[str, str] = {"": "overview", "compare": "compare", "profile": "profile", "types-values": "types-values",
                         "data": "data"}
LIST_PARAMS = {"countries", "waves"}
# endpoints that parse their page's URL accept (and ignore) the page-only 'present', so any page URL has a twin
PAGE_TWINS = {e for e in API if e.startswith("/download/") or e.rsplit("/", 1)[-1] in
              ("estimates", "profile", "types-values", "overview", "sources")}
KNOWN_NAMES = sorted({name for params in API.values() for name in params} | {"lang", "present"})

SQLISH = [
    "' OR '1'='1", "1; DROP TABLE estimate; --", "DK') UNION SELECT national_id FROM respondent --",
    "all' AND pg_sleep(5) IS NULL --", "%(waves)s", "%s", "{t}", "{cells}", "$$ || (SELECT 1) || $$",
    "municipal\x00", "NULL", "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
    "DK,NO,'; --", "latest' OR 1=1 --", "innovative\"; --", "\\x27", "😀", "ＤＫ", "D\u212a", "dk\u200b",
]
PLAUSIBLE = ["DK", "NO", "SE", "FI", "IS", "dk", "is", "latest", "all", "LATEST", "municipal", "regional", "state",
             "innovative", "innovation_type", "value", "yes", "no", "service", "quality", "bar", "dot", "chart",
             "table", "1", "0", "on", "en", "nb", "fi", "DK-2018-19", "IS-2021", "SE-2018", "administration",
             "health_care", "DK,NO", "DK,,NO", " DK ", "DK,NO,SE,FI,IS"]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
huge = st.builds(lambda piece, count: piece * count, st.sampled_from(["A", "DK,", ",", "é", "😀", "latest,", "%"]),
                 st.integers(100, 3000))
values = st.one_of(text, st.sampled_from(SQLISH), st.sampled_from(PLAUSIBLE), huge)
ODD_NAMES = ["LEVEL", "level ", "lang[]", "__proto__", "'; DROP TABLE x; --", "", "indicator\x00"]
names = st.one_of(st.sampled_from(KNOWN_NAMES), st.sampled_from(KNOWN_NAMES), text.filter(lambda s: len(s) < 15),
                  st.sampled_from(ODD_NAMES))
pairs = st.lists(st.tuples(names, values), max_size=6)

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


_FACTS: dict[int, Known] = {}


def facts_of(app) -> Known:
    """The app's catalogue and waves (read once per app; kept out of hypothesis' failure reports)."""
    if id(app) not in _FACTS:
        _FACTS[id(app)] = known(app.server.extensions["barometer_db"])
    return _FACTS[id(app)]


@pytest.fixture(scope="module")
def facts(hard_app) -> Known:
    return facts_of(hard_app)


def _valid_single(name: str, value: str, facts: Known) -> bool:
    """Whether ``value`` (stripped, non-empty) is one of the known values of a single-valued parameter."""
    ref = facts.ref
    options = {o for i in ref.indicators.values() for o in i.options}
    checks = {
        "indicator": lambda v: v in ref.indicators,
        "option": lambda v: v in options,
        "level": lambda v: v in ref.levels,
        "sector": lambda v: v in ref.sectors,
        "chart": lambda v: v in CHARTS,
        "display": lambda v: v in DISPLAYS,
        "axis": lambda v: v in AXES,
        "source": lambda v: v in SOURCES,
        "nordic": lambda v: v.lower() in TRUE + FALSE,
        "country": lambda v: v.lower() in {c.lower() for c in ref.countries},
        "wave": lambda v: facts.wave_by_key(v) is not None,
        "crosstab": lambda v: v in ref.cross_tabs,
    }
    return checks[name](value)


def _valid_item(name: str, part: str, facts: Known) -> bool:
    if name == "countries":
        return part.upper() in facts.ref.countries
    return part.lower() in ("latest", "all") or facts.wave_by_key(part) is not None


def expected_problems(allowed: tuple[str, ...], sent: list[tuple[str, str]], facts: Known, *,
                      published: bool = False, twin: bool = True) -> set[str]:
    """Parameters the answer must name: unknown ones, unknown values, repeats, too long or too many values."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, value in sent:
        grouped[name].append(value)
    expected = set()
    for name, given_values in grouped.items():
        if name == "present" and twin:
            continue  # accepted by every page and its twins, never validated
        if name == "lang":
            if given_values[0].strip().lower() not in LANGUAGES:
                expected.add(name)
        elif name not in allowed:
            expected.add(name)
        elif name in LIST_PARAMS:
            parts = [p.strip() for v in given_values for p in v.split(",") if p.strip()]
            checked = parts if published else parts[:MAX_VALUES]
            if (not published and len(parts) > MAX_VALUES) or not all(_valid_item(name, p, facts) for p in checked):
                expected.add(name)
        elif len(given_values) > 1:
            expected.add(name)
        else:
            value = given_values[0].strip()
            if len(value) > MAX_VALUE_LENGTH or (value and not _valid_single(name, value, facts)):
                expected.add(name)
    return expected


def check_api_answer(response, endpoint: str, sent: list[tuple[str, str]], facts: Known) -> None:
    expected = expected_problems(API[endpoint], sent, facts, published=endpoint.endswith("/published"),
                                 twin=endpoint in PAGE_TWINS)
    assert response.status_code in (200, 400), (endpoint, sent, response.status_code)
    if response.status_code == 400:
        assert response.mimetype == "application/json"
        body = response.get_json()
        assert body["error"] == "bad_parameters" and body["documentation"] == "/api/v1" and body["message"]
        reported = {p["param"] for p in body["problems"]}
        assert body["problems"] and all(p["reason"].startswith("problem_") and p["message"] for p in body["problems"])
        assert reported <= {name for name, _ in sent}, "a problem names a parameter that was not sent"
    else:
        reported = set()
        expected_type = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        assert response.mimetype == expected_type.get(endpoint.rsplit(".", 1)[-1], "application/json")
    assert expected <= reported, f"{endpoint} {sent}: expected problems with {expected - reported}"


@FUZZ
@given(endpoint=st.sampled_from(sorted(API)), sent=pairs)
def test_api_and_downloads_answer_400_naming_each_bad_parameter(hard_app, endpoint: str,
                                                              sent: list[tuple[str, str]]) -> None:
    response = hard_app.server.test_client().get(endpoint + "?" + urlencode(sent))
    check_api_answer(response, endpoint, sent, facts_of(hard_app))


@pytest.mark.parametrize("endpoint", sorted(API))
def test_hostile_values_of_every_parameter_are_named(hard_app, facts: Known, endpoint: str) -> None:
    """Every parameter of every endpoint with every SQL-ish payload: 400 naming it, never 5xx."""
    client = hard_app.server.test_client()
    for name in ("lang", *API[endpoint]):
        for payload in SQLISH:
            sent = [(name, payload)]
            check_api_answer(client.get(endpoint, query_string=sent), endpoint, sent, facts)
        assert expected_problems(API[endpoint], [(name, SQLISH[1])], facts) == {name}  # the oracle is not idle


def test_valid_parameters_are_accepted(hard_app, facts: Known) -> None:
    """The oracle's notion of 'valid' agrees with the app: real codes give 200 and name no problem."""
    client = hard_app.server.test_client()
    wave = facts.waves[-1]
    cases = {
        "/api/v1/estimates": [("indicator", "innovative"), ("option", "yes"), ("countries", "DK, no"),
                              ("waves", "latest"), ("level", "municipal"), ("sector", "all"), ("chart", "dot"),
                              ("display", "table"), ("nordic", "OFF"), ("lang", " FI ")],
        "/api/v1/profile": [("country", wave.country.lower()), ("indicator", "innovative"), ("level", "all")],
        "/api/v1/types-values": [("wave", wave.long_key.upper()), ("display", "chart")],
        "/api/v1/published": [("countries", "dk"), ("countries", "IS")],
    }
    for endpoint, sent in cases.items():
        assert expected_problems(API[endpoint], sent, facts, published=endpoint.endswith("published")) == set()
        response = client.get(endpoint, query_string=sent)
        assert response.status_code == 200, (endpoint, response.get_json())


RAW_QUERIES = [
    "%ZZ=%C3%28", "level=%C3%28", "lang=%FF%FE", "a=1;b=2", "&&&&", "=", "==x", "level=%00", "countries=%2C%2C%2C",
    "&".join(f"x{i}=1" for i in range(250)),  # more fields than Python's parse_qs accepts by default
    "&".join(f"countries={c}" for c in ["DK"] * 300),
    "waves=" + ",".join(["latest"] * 500),
    "indicator=" + "A" * 100_000,
    "level=municipal&level=state",
]


@pytest.mark.parametrize("raw", RAW_QUERIES, ids=range(len(RAW_QUERIES)))
def test_malformed_query_strings(hard_app, raw: str) -> None:
    client = hard_app.server.test_client()
    for endpoint in ("/api/v1/estimates", "/api/v1/waves", "/download/compare.csv"):
        response = client.get(endpoint + "?" + raw)
        assert response.status_code in (200, 400), (endpoint, raw[:60], response.status_code)
    for path in ("/en/compare", "/nb/", "/embed/en/profile"):
        assert client.get(path + "?" + raw).status_code == 200, (path, raw[:60])
        drawn = route(client, hard_app, path, "?" + raw)
        assert drawn.status_code == 200 and UNEXPECTED not in drawn.get_data(as_text=True), (path, raw[:60])


def _notice_text(response) -> str:
    """Text of the parameter-problems notice in a drawn page ('' when there is none)."""
    def find(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "param-problems":
                return node
            return next((f for v in node.values() if (f := find(v)) is not None), None)
        if isinstance(node, list):
            return next((f for v in node if (f := find(v)) is not None), None)
        return None

    notice = find(response.get_json())
    return "\n".join(str(s) for s in scalars(notice)) if notice is not None else ""


@FUZZ
@given(segment=st.sampled_from(sorted(PAGES)), lang=st.sampled_from([*LANGUAGES, "xx", "EN", "", "embed/en"]),
       sent=pairs)
def test_pages_draw_defaults_with_a_friendly_notice(hard_app, segment: str, lang: str,
                                                    sent: list[tuple[str, str]]) -> None:
    client, facts = hard_app.server.test_client(), facts_of(hard_app)
    path = f"/{lang}/{segment}" if lang else f"/{segment}"
    search = "?" + urlencode(sent) if sent else ""
    page = client.get(path + search)
    assert page.status_code in (200, 404), (path, search, page.status_code)
    drawn = route(client, hard_app, path, search)
    assert drawn.status_code == 200, (path, search)
    body = drawn.get_data(as_text=True)
    assert UNEXPECTED not in body, f"{path}{search} was drawn by the catch-all: an exception was swallowed"
    if lang in ("xx", "EN"):  # a language path that does not exist names no page
        assert page.status_code == 404 and '"not-found"' in body
        return
    present = [v for n, v in sent if n == "present"][:1]
    if lang.startswith("embed") or (present and present[0].strip().lower() in TRUE):
        return  # embedded charts and presentation mode show no chrome, so no notice either
    expected = expected_problems(page_named(PAGES[segment]).params, sent, facts)
    notice = _notice_text(drawn)
    assert notice or not expected, f"{path}{search}: no notice although {expected} are bad"
    for name in expected:
        assert name in notice, f"{path}{search}: the notice does not name {name!r}"


PATHS = ["/xx/compare", "/en/compare/extra", "/embed/xx/compare", "/en/../../etc/passwd", "/%00/compare",
         "/en/%E2%80%AE", "/" + "a" * 5000, "/en/compare%00", "/embed/", "/embed/en/data", "/EN/compare",
         "/en//compare", "/ｅｎ/compare", "/en/compare;jsessionid=1", "/api/v1/../../en/compare"]


@pytest.mark.parametrize("path", PATHS)
def test_bad_language_and_page_paths(hard_app, path: str) -> None:
    client = hard_app.server.test_client()
    response = client.get(path)
    assert response.status_code in (200, 308, 404), (path, response.status_code)
    drawn = route(client, hard_app, path, "")
    assert drawn.status_code == 200 and UNEXPECTED not in drawn.get_data(as_text=True)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text | st.sampled_from(PLAUSIBLE + SQLISH),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(data=st.data())
def test_callbacks_survive_any_value_the_browser_sends(hard_app, data) -> None:
    """Controls post their values as JSON; whatever the JSON, a callback answers 200 or 204, never 5xx."""
    key = data.draw(st.sampled_from(server_callbacks(hard_app)), label="callback")
    spec = hard_app.callback_map[key]
    inputs = data.draw(st.lists(json_values, min_size=len(spec["inputs"]), max_size=len(spec["inputs"])))
    state = data.draw(st.lists(json_values, min_size=len(spec["state"]), max_size=len(spec["state"])))
    response = call(hard_app.server.test_client(), hard_app, key, inputs, state)
    assert response.status_code in (200, 204), (key, inputs, state, response.status_code)
    assert UNEXPECTED not in response.get_data(as_text=True)


MALFORMED_CALLBACKS = [
    b"{}", b"[]", b"null", b"not json", b'{"output": 5}', b'{"output": "nope.children"}',
    b'{"output": "shell.children"}', b'{"output": "shell.children", "inputs": {}, "state": []}',
    b'{"output": "shell.children", "inputs": [1, 2], "state": [3]}',
    b'{"output": "..url.pathname...url.search...view-search.data..", "inputs": [], "state": []}',
    json.dumps({"output": "shell.children", "outputs": {"id": "shell", "property": "children"},
                "inputs": [{"id": "url", "property": "pathname", "value": "/en/"}], "state": []}).encode(),
]


@pytest.mark.parametrize("body", MALFORMED_CALLBACKS, ids=range(len(MALFORMED_CALLBACKS)))
def test_malformed_callback_requests_are_400(hard_app, body: bytes) -> None:
    response = hard_app.server.test_client().post("/_dash-update-component", data=body,
                                                  content_type="application/json")
    assert response.status_code == 400, (body, response.status_code)

"""URL parameters: every value is checked against the known codes; bad input gives problems, never errors."""

from __future__ import annotations

import pytest

from app.pages.compare.view import CompareView
from app.pages.compare.view import parse as parse_compare
from app.pages.profile.view import parse as parse_profile
from app.pages.types_values.view import parse as parse_types_values
from app.site.params import Known, parse_lang, parse_search
from app.site.registry import page_named
from app.site.urls import parse_path, to_search, view_url

COMPARE = page_named("compare")
DATA = page_named("data")
OVERVIEW = page_named("overview")


def args(query: str) -> dict[str, list[str]]:
    return parse_search(query)


def test_defaults_are_the_latest_wave_of_every_country_with_data(facts: Known) -> None:
    view, problems = parse_compare({}, facts)
    assert problems == []
    assert view.indicator == "innovative" and view.option == "yes"
    assert view.countries == ("DK", "NO", "SE", "FI", "IS")
    assert view.waves == tuple(facts.latest(c).key for c in view.countries)
    assert (view.level, view.sector, view.chart, view.display, view.nordic) == ("all", "all", "bar", "chart", True)


def test_a_full_compare_url_round_trips(facts: Known) -> None:
    query = ("?indicator=value&option=quality&countries=DK,FI&waves=DK-2015-16,FI-2022&level=municipal"
             "&sector=all&chart=dot&display=table&nordic=0&axis=full&source=survey")
    view, problems = parse_compare(args(query), facts)
    assert problems == []
    assert view == CompareView("value", "quality", ("DK", "FI"), ("DK-2015-16", "FI-2022"), "municipal", "all",
                               "dot", "table", False, "full", "survey")
    assert to_search(view.query()) == query
    again, _ = parse_compare(args(to_search(view.query())), facts)
    assert again == view


def test_waves_shorthands_and_case(facts: Known) -> None:
    view, problems = parse_compare(args("?countries=dk&waves=all"), facts)
    assert problems == [] and view.countries == ("DK",)
    assert view.waves == ("DK-2015-16", "DK-2018-19", "DK-2021-23")
    long_key = facts.wave_by_key("DK-2018-19").long_key
    view, problems = parse_compare(args(f"?countries=DK&waves={long_key.lower()}"), facts)
    assert problems == [] and view.waves == ("DK-2018-19",)


@pytest.mark.parametrize(("query", "param", "reason"), [
    ("?indicator=nonsense", "indicator", "problem_unknown_value"),
    ("?indicator=innovative&option=quality", "option", "problem_unknown_value"),
    ("?countries=DK,XX", "countries", "problem_unknown_value"),
    ("?countries=DK&waves=FI-2022", "waves", "problem_wave_country"),
    ("?waves=DK-1999", "waves", "problem_unknown_value"),
    ("?level=federal", "level", "problem_unknown_value"),
    ("?sector=%27%3BDROP%20TABLE%20estimate", "sector", "problem_unknown_value"),
    ("?chart=pie", "chart", "problem_unknown_value"),
    ("?nordic=maybe", "nordic", "problem_unknown_value"),
    ("?axis=log", "axis", "problem_unknown_value"),
    ("?utm_source=mail", "utm_source", "problem_unknown_param"),
    ("?level=all&level=state", "level", "problem_repeated"),
    ("?indicator=" + "x" * 500, "indicator", "problem_too_long"),
    ("?countries=" + ",".join(["DK"] * 50), "countries", "problem_too_many"),
])
def test_bad_values_become_problems_and_defaults(facts: Known, query: str, param: str, reason: str) -> None:
    view, problems = parse_compare(args(query), facts)
    assert (param, reason) in {(p.param, p.reason) for p in problems}
    assert isinstance(view, CompareView) and view.indicator in facts.ref.indicators
    assert all(len(p.value) <= 60 for p in problems)


def test_unknown_countries_alone_fall_back_to_all(facts: Known) -> None:
    view, problems = parse_compare(args("?countries=XX"), facts)
    assert len(problems) == 1 and view.countries == facts.countries_with_data()


def test_profile_and_types_values(facts: Known) -> None:
    view, problems = parse_profile(args("?country=fi&indicator=novelty&option=copied&level=municipal"), facts)
    assert problems == [] and (view.country, view.indicator, view.option, view.level) == (
        "FI", "novelty", "copied", "municipal")
    view, problems = parse_profile(args("?country=ZZ"), facts)
    assert view.country == "DK" and problems[0].param == "country"
    tv, problems = parse_types_values(args("?wave=SE-2018&sector=health_care"), facts)
    assert problems == [] and tv.wave == "SE-2018" and tv.sector == "health_care"
    tv, problems = parse_types_values(args("?wave=nope"), facts)
    assert tv.wave is not None and problems[0].param == "wave"


def test_pages_without_parameters_reject_any(facts: Known) -> None:
    _, problems = OVERVIEW.parse(args("?indicator=innovative"), facts)
    assert problems[0].reason == "problem_unknown_param"
    _, problems = DATA.parse(args("?lang=sv&present=1"), facts)
    assert problems == []


@pytest.mark.parametrize(("path", "page", "lang", "embed"), [
    ("/", "overview", None, False),
    ("/en/", "overview", "en", False),
    ("/nb", "overview", "nb", False),
    ("/sv/compare", "compare", "sv", False),
    ("/compare", "compare", None, False),
    ("/is/types-values", "types-values", "is", False),
    ("/embed/fi/profile", "profile", "fi", True),
    ("/en/nothing", None, "en", False),
    ("/xx/compare", None, None, False),
    ("/en/compare/extra", None, "en", False),
])
def test_paths(path: str, page: str | None, lang: str | None, embed: bool) -> None:
    route = parse_path(path)
    assert (route.page, route.path_lang, route.embed) == (page_named(page) if page else None, lang, embed)
    assert route.page is None or route.page.name == page


def test_language_from_query_or_path() -> None:
    assert parse_lang(args("?lang=da"), "en") == ("da", [])
    assert parse_lang({}, "fi") == ("fi", [])
    lang, problems = parse_lang(args("?lang=de"), None)
    assert lang == "en" and problems[0].param == "lang"


def test_view_urls_put_the_language_in_the_path(facts: Known) -> None:
    view, _ = parse_compare(args("?countries=IS&waves=IS-2021"), facts)
    url = view_url(COMPARE, "is", view)
    assert url.startswith("/is/compare?indicator=innovative&option=yes&countries=IS&waves=IS-2021")
    assert view_url(OVERVIEW, "nb", OVERVIEW.parse({}, facts)[0], present=True) == "/nb/?present=1"


def test_canonical_urls_leave_out_defaults_and_old_full_urls_name_the_same_view(dash_app, facts: Known) -> None:
    full = ("?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=" +
            ",".join(facts.latest(c).key for c in ("DK", "NO", "SE", "FI", "IS")) +
            "&level=all&sector=all&chart=bar&display=chart&nordic=1")
    default, problems = parse_compare(args(full), facts)
    assert problems == [] and default == parse_compare({}, facts)[0]
    partial, _ = parse_compare(args("?countries=DK,IS&level=municipal&chart=dot&nordic=1&display=chart"), facts)
    with dash_app.server.test_request_context("/"):
        assert view_url(COMPARE, "en", default) == "/en/compare"
        assert view_url(COMPARE, "nb", default, present=True) == "/nb/compare?present=1"
        # waves at their default (the latest of the chosen countries) and everything at its default is left out
        canonical = view_url(COMPARE, "en", partial)
        assert canonical == "/en/compare?countries=DK,IS&level=municipal&chart=dot"
    assert parse_compare(args(canonical.split("?", 1)[1]), facts) == (partial, [])

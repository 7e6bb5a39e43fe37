"""Every language complete: no English catalogue or codebook text on a Nordic page, in any state of it.

The English texts are those the database and the UI catalogues hold for English where the page's language has
a different text (or none): labels, harmonised questions, comparability notes, wave descriptions, UI strings.
Quoted national wordings and citations are not such texts (they are quoted as published), so they may stay.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pytest

from app.components.ui import error_notice
from app.i18n import catalogue, fmt_pct, t
from app.web import router
from tests.app.drawing import draw

NORDIC = ("nb", "da", "sv", "fi", "is")
VIEWS = [
    ("/{lang}/", ""),
    ("/{lang}/compare", "?countries=DK,NO,SE,FI,IS&waves=latest"),
    ("/{lang}/compare", "?indicator=partner&option=private_firms&countries=IS,FI&waves=IS-2021,FI-2022&display=table"),
    ("/{lang}/profile", "?country=DK"),
    ("/{lang}/profile", "?country=FI&indicator=innovation_type&option=service"),
    ("/{lang}/profile", "?country=NO&indicator=value&option=business_value"),
    ("/{lang}/profile", "?country=IS&indicator=value&option=efficiency"),
    ("/{lang}/types-values", ""),
    ("/{lang}/data", ""),
    ("/{lang}/compare", "?countries=DK,SE&present=1"),
    ("/{lang}/profile", "?country=SE&present=1"),
    ("/embed/{lang}/compare", "?countries=DK,FI"),
    ("/embed/{lang}/profile", "?country=IS"),
    ("/{lang}/compare", "?indicator=nonsense&countries=XX"),  # bad parameters: a notice, then the default view
    ("/{lang}/no-such-page", ""),  # not found
]
# Proper names and codes that are the same text in every language (keep this list short): the software's name,
# which is the author of every citation of a view.
ALLOWED = {"Nordic Innovation Barometer Explorer"}
# Parts written once, in English, on purpose (and marked lang="en"): the API's reference, like its field names.
ENGLISH_PARTS = {"api-list"}
# An English text this long is a sentence of ours: it must not appear inside a longer visible text either.
SENTENCE = 25
FIGURE_TEXT_KEYS = {"text", "name", "hovertext", "hovertemplate", "title"}


def english_texts(url: str, lang: str) -> set[str]:
    """The English texts of catalogue and codebooks whose ``lang`` text is different or missing."""
    pairs = """
        SELECT e.text, l.text FROM label e
            LEFT JOIN label l ON (l.kind, l.code, l.lang) = (e.kind, e.code, %(lang)s) WHERE e.lang = 'en'
        UNION ALL SELECT e.text, l.text FROM comparability_note_text e
            LEFT JOIN comparability_note_text l ON (l.note_id, l.lang) = (e.note_id, %(lang)s) WHERE e.lang = 'en'
        UNION ALL SELECT e.text, l.text FROM survey_wave_text e
            LEFT JOIN survey_wave_text l ON (l.wave_id, l.field, l.lang) = (e.wave_id, e.field, %(lang)s)
            WHERE e.lang = 'en'
    """
    with psycopg.connect(url) as conn:
        texts = {english for english, translated in conn.execute(pairs, {"lang": lang}) if english != translated}
    own, english_ui = catalogue(lang), catalogue("en")
    texts |= {text for key, text in english_ui.items() if "{" not in text and own.get(key) != text}
    return texts - ALLOWED


def visible_texts(component: Any, *, attributes: bool = True) -> list[str]:
    """Texts a visitor can see or hear: children, option labels, titles, ARIA labels and the figures' texts.

    A part marked as quoted in a Nordic language (a national wording or category name, ``lang`` not English)
    is left out: it is quoted as published. A part marked English is not: English is what must not be left."""
    found: list[str] = []
    if isinstance(component, str):
        found.append(component)
    elif isinstance(component, (list, tuple)):
        for child in component:
            found += visible_texts(child, attributes=attributes)
    elif hasattr(component, "to_plotly_json"):
        props = component.to_plotly_json()["props"]
        if props.get("lang") in NORDIC and type(component).__name__ in ("Q", "Span"):
            return []
        if props.get("lang") == "en" and props.get("className") in ENGLISH_PARTS:
            return []
        found += visible_texts(props.get("children"), attributes=attributes)
        if not attributes:
            return [text for text in found if text.strip()]
        for name in ("title", "aria-label", "placeholder", "alt"):
            if isinstance(props.get(name), str):
                found.append(props[name])
        for option in props.get("options") or []:
            if isinstance(option, dict) and isinstance(option.get("label"), str):
                found.append(option["label"])
        if props.get("figure") is not None:
            found += figure_texts(props["figure"])
    return [text for text in found if text.strip()]


def plain_text(component: Any) -> str:
    """The text of a component as read, spaces included (no attributes)."""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return "".join(plain_text(child) for child in component)
    return plain_text(getattr(component, "children", None) or "")


def figure_texts(node: Any, key: str = "") -> list[str]:
    if isinstance(node, dict):
        return [text for k, value in node.items() for text in figure_texts(value, k)]
    if isinstance(node, (list, tuple)):
        return [text for value in node for text in figure_texts(value, key)]
    if isinstance(node, str) and key in FIGURE_TEXT_KEYS:
        return [re.sub(r"<[^>]+>", "", part) for part in re.split(r"<br\s*/?>", node)]
    return []


def leaks(texts: list[str], english: set[str]) -> list[str]:
    sentences = [e for e in english if len(e) >= SENTENCE]
    found = []
    for text in texts:
        text = text.strip()
        if text in english:
            found.append(text)
        found += [sentence for sentence in sentences if sentence in text and sentence != text]
    return sorted(set(found))


@pytest.fixture(scope="module")
def english(loaded_db: str) -> dict[str, set[str]]:
    return {lang: english_texts(loaded_db, lang) for lang in NORDIC}


def test_the_check_finds_english_where_it_is_left(dash_app, english: dict[str, set[str]]) -> None:
    """The check itself: an English page is full of English texts, and a note left in English is found."""
    texts = visible_texts(draw(dash_app, "/en/profile", "?country=DK"))
    assert len(leaks(texts, english["nb"])) > 50
    note = next(e for e in english["nb"] if e.startswith("Denmark does not ask about value for business"))
    assert leaks(["DK 2018-19: " + note], english["nb"]) == [note]


@pytest.mark.parametrize("lang", NORDIC)
@pytest.mark.parametrize(("path", "search"), VIEWS, ids=[p + s for p, s in VIEWS])
def test_no_english_text_is_left_on_a_nordic_page(dash_app, english: dict[str, set[str]], lang: str, path: str,
                                                  search: str) -> None:
    page = draw(dash_app, path.format(lang=lang), search)
    texts = visible_texts(page)
    assert len(texts) > 5
    assert leaks(texts, english[lang]) == []


@pytest.mark.parametrize("lang", NORDIC)
def test_the_error_notice_is_in_the_pages_language(english: dict[str, set[str]], lang: str) -> None:
    texts = visible_texts(error_notice(lang))
    assert texts == [t(lang, "error_title"), t(lang, "db_unavailable")]
    assert leaks(texts, english[lang]) == []


@pytest.mark.parametrize("lang", ("en", *NORDIC))
def test_tab_title_and_no_javascript_message_in_every_language(client, lang: str) -> None:
    html = client.get(f"/{lang}/profile").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title == t(lang, "app_title").replace("&", "&amp;")
    assert t(lang, "noscript") in html
    if lang != "en":
        assert title != t("en", "app_title") and t("en", "noscript") not in html


def test_national_wordings_are_quoted_in_their_own_language(dash_app) -> None:
    from tests.app.drawing import by_id, find

    table = by_id(draw(dash_app, "/nb/profile", "?country=IS&indicator=novelty&option=first"), "profile-wording")
    quotes = find(table, lambda c: type(c).__name__ == "Q")
    assert quotes and {q.lang for q in quotes} == {"is"}
    assert "Hvaða fullyrðing lýsir best nýjasta nýsköpunarverkefni vinnustaðarins?" in [q.children for q in quotes]
    headers = visible_texts(find(table, lambda c: type(c).__name__ == "Thead"))
    assert "sitert som publisert, på Íslenska" in headers
    # the harmonised question beside them is ours, in the page's language
    assert "Hvilket utsagn beskriver best den siste innovasjonen deres?" in visible_texts(table)


def test_router_draws_every_listed_view(dash_app) -> None:
    """Each view above is drawn by the router (not a blank frame), so the check sees real content."""
    for path, search in VIEWS[:-1]:
        with dash_app.server.test_request_context(path.format(lang="nb") + search):
            assert "not-found" not in str(router.render(path.format(lang="nb"), search))


def test_profile_shows_response_rates_where_a_source_states_them(dash_app) -> None:
    from tests.app.drawing import by_id, find

    def rates(country: str, lang: str) -> dict[str, str]:
        table = by_id(draw(dash_app, f"/{lang}/profile", f"?country={country}"), "profile-waves")
        rows = find(table, lambda c: type(c).__name__ == "Tr")[1:]
        return {row.children[0].children: plain_text(row.children[4]) for row in rows}

    # co-pi.dk: 2015-16 2,363 responses, 50%; 2018-19 2,271, 50%; 2021-23 1,611, 36%
    assert rates("DK", "en") == {"2015-16": "50% of the workplaces asked (Source)",
                                 "2018-19": "50% of the workplaces asked (Source)",
                                 "2021-23": "36% of the workplaces asked (Source)"}
    # Stjórnarráð Íslands: 272 of 751 workplaces responded (36%); 2021: not in the sources used
    assert rates("IS", "is") == {
        "2018": f"{fmt_pct(0.36, 'is', 0)} þeirra vinnustaða sem fengu könnunina (272 af 751) (Heimild)",
        "2021": "ekki tilgreint"}
    assert rates("NO", "nb") == {"2018": "ikke oppgitt", "2020": "ikke oppgitt"}
    link = find(by_id(draw(dash_app, "/en/profile", "?country=FI"), "profile-waves"),
                lambda c: type(c).__name__ == "A" and "Innovaatiobarometri 2022" in getattr(c, "title", ""))
    assert link and link[0].href == "https://www.kuntaliitto.fi/"


def test_overview_says_all_waves_are_demo_data_in_every_language(dash_app) -> None:
    for lang in ("en", *NORDIC):
        assert t(lang, "overview_demo_all") in visible_texts(draw(dash_app, f"/{lang}/"))

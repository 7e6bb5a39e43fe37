"""Slides drawn on the server as SVG (app/decks/slides/svg.py, route /svg/...): the numbers are the API's, demo
waves are labelled, suppressed cells carry no value, and the drawing reads aggregates only."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import psycopg
import pytest

from app.data.db import Database
from app.decks.slides.content import SlidePathError
from app.decks.slides.svg import WIDTH, slide_svg
from app.i18n import fmt_ci, fmt_number, fmt_pct, t

SVG = "{http://www.w3.org/2000/svg}"
NORDIC_VIEW = ("/en/compare?countries=DK,NO,SE,FI,IS&waves=DK-2018-19,NO-2018,SE-2018,FI-2018,IS-2018"
               "&source=survey")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def cells(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "cell" in g.get("class", "").split()]


def texts(element: ET.Element) -> list[str]:
    """The text of each <text> element, its wrapped lines (<tspan>) joined by spaces."""
    return [" ".join(part.strip() for part in text.itertext() if part.strip())
            for text in element.iter(f"{SVG}text")]


@pytest.mark.parametrize("path, api", [
    ("/en/compare?source=survey", "/api/v1/estimates?source=survey"),
    ("/sv/compare?indicator=value&option=quality&chart=dot&source=survey",
     "/api/v1/estimates?indicator=value&option=quality&chart=dot&lang=sv&source=survey"),
    ("/da/profile?country=DK&level=municipal", "/api/v1/profile?country=DK&level=municipal&lang=da"),
])
def test_bars_carry_the_apis_values_and_show_them_as_the_app_writes_them(db: Database, client, path: str,
                                                                         api: str) -> None:
    lang = path.split("/")[1]
    root = parse(slide_svg(db, path))
    records = [r for r in client.get(api).get_json()["data"] if r["row_type"] == "estimate"]
    drawn = cells(root)
    assert len(drawn) == len(records) > 0
    for cell, record in zip(drawn, records, strict=True):
        if record["share_pct"] is None:
            assert cell.get("data-share-pct") is None
            continue
        # exactly the API's unrounded numbers (Python's float repr round-trips)
        assert float(cell.get("data-share-pct")) == record["share_pct"]
        assert float(cell.get("data-ci-low-pct")) == record["ci_low_pct"]
        assert float(cell.get("data-ci-high-pct")) == record["ci_high_pct"]
        shown = texts(cell)
        assert fmt_pct(record["share_pct"] / 100, lang) in shown  # '81%' (en), '81 %' (sv, da): babel's CLDR
        assert f"n = {fmt_number(record['n'], lang)}" in shown


def test_bar_lengths_and_whiskers_are_drawn_to_scale(db: Database) -> None:
    """Independent of the drawing code: the bars of one chart, measured in pixels, are proportional to the
    shares, and each whisker spans its interval on the same scale."""
    root = parse(slide_svg(db, "/en/compare?axis=full&source=survey"))  # 0-100% axis
    scale = None
    for cell in cells(root):
        share = float(cell.get("data-share-pct"))
        bar = cell.find(f"{SVG}rect")
        px_per_point = float(bar.get("width")) / share
        scale = scale or px_per_point
        assert px_per_point == pytest.approx(scale, rel=0.01)
        whisker = cell.find(f"{SVG}path").get("d")  # 'M<lo> <y>H<hi>...'
        low_px, high_px = float(whisker[1:].split()[0]), float(whisker.split("H")[1].split("M")[0])
        x0 = float(bar.get("x"))
        assert (low_px - x0) / scale == pytest.approx(float(cell.get("data-ci-low-pct")), abs=0.1)
        assert (high_px - x0) / scale == pytest.approx(float(cell.get("data-ci-high-pct")), abs=0.1)
    assert scale == pytest.approx((WIDTH - 2 * 12 - 46) / 100, rel=0.01)


def test_nordic_average_line_is_the_apis(db: Database, client) -> None:
    root = parse(slide_svg(db, NORDIC_VIEW))
    record = next(r for r in client.get("/api/v1/estimates?" + NORDIC_VIEW.split("?")[1]).get_json()["data"]
                  if r["row_type"] == "nordic_average")
    line = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "nordic")
    assert float(line.get("data-share-pct")) == record["share_pct"]
    legend = f"{fmt_pct(record['share_pct'] / 100, 'en')} (95% CI " \
             f"{fmt_ci(record['ci_low_pct'] / 100, record['ci_high_pct'] / 100, 'en')})"
    assert any(legend in text for text in texts(root))


def test_a_published_slide_shows_the_published_figures_without_interval_or_demo_label(db: Database,
                                                                                     client) -> None:
    root = parse(slide_svg(db, "/en/compare"))  # demo waves only: the published figures
    records = client.get("/api/v1/estimates").get_json()["data"]
    assert {r["row_type"] for r in records} == {"published"}
    drawn = cells(root)
    assert len(drawn) == len(records) == 10  # KS 2020: KS's "tre av fire" and Forskningsrådet's 74%
    for cell, record in zip(drawn, records, strict=True):
        assert float(cell.get("data-share-pct")) == pytest.approx(record["share_pct"], abs=1e-9)
        assert not cell.get("data-ci-low-pct") and cell.find(f"{SVG}path") is None  # no whisker
        # the whole name in the cell's tooltip, the value as printed: 'about 75%' keeps its relation
        assert cell.find(f"{SVG}title").text == f"{record['country']} {record['wave']} · {record['programme']}"
        assert [e.text for e in cell.iter(f"{SVG}text") if e.get("class") == "value"] == [record["n_note"]]
    assert any(r["n_note"].startswith("about ") for r in records)
    assert not [e for e in root.iter(f"{SVG}text") if e.get("class") == "demo"]
    # no whiskers drawn, so no key for them; the description gives each figure as printed
    assert t("en", "slide_ci_note") not in " ".join(texts(root))
    description = root.find(f"{SVG}desc").text
    assert all(f"{r['country']} {r['wave']} · {r['programme']}: {r['n_note']}" in description for r in records)


def test_types_values_tiles_are_the_cross_tab(db: Database, client) -> None:
    root = parse(slide_svg(db, "/en/types-values?wave=SE-2018"))
    records = client.get("/api/v1/types-values?wave=SE-2018").get_json()["data"]
    types = list(dict.fromkeys(r["type_code"] for r in records))
    values = list(dict.fromkeys(r["value_code"] for r in records))
    # the phone layout turns the table: a block per value, a tile per type
    expected = sorted(records, key=lambda r: (values.index(r["value_code"]), types.index(r["type_code"])))
    drawn = cells(root)
    assert len(drawn) == len(expected)
    for cell, record in zip(drawn, expected, strict=True):
        assert float(cell.get("data-share-pct")) == record["share_pct"]
        assert fmt_pct(record["share_pct"] / 100, "en") in texts(cell)


def test_demo_waves_are_labelled_and_the_svg_is_accessible(db: Database) -> None:
    root = parse(slide_svg(db, "/nb/compare?source=survey"))
    assert root.get("role") == "img" and root.get("lang") == "nb"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    demo = [e for e in root.iter(f"{SVG}text") if e.get("class") == "demo"]
    assert len(demo) == 1 and texts(demo[0]) == ["◆ " + t("nb", "demo_chart")]
    assert t("nb", "demo_chart").rstrip(".") in desc.text  # screen readers hear it too
    for cell in cells(root):  # and every value
        assert fmt_pct(float(cell.get("data-share-pct")) / 100, "nb") in desc.text
    assert any("Kilde:" in text for text in texts(root))  # the sources line


def test_suppressed_cells_have_no_value(suppressed_app_db: Database, suppressed_db: str,
                                        suppression_min_n: int) -> None:
    svg = slide_svg(suppressed_app_db, "/en/profile?country=NO")
    root = parse(svg)
    hidden = [c for c in cells(root) if c.get("data-share-pct") is None]
    assert hidden, "Norway with MIN_CELL_N = 300 has suppressed cells"
    for cell in hidden:
        shown = " ".join(texts(cell))
        assert "%" not in shown and cell.find(f"{SVG}rect") is None and cell.find(f"{SVG}path") is None
    notes = " ".join(" ".join(texts(c)) for c in hidden)
    assert f"n < {suppression_min_n}" in notes and t("en", "suppressed_complementary") in notes
    with psycopg.connect(suppressed_db) as conn:  # the true counts behind them are nowhere on the slide
        counts = [row[0] for row in conn.execute(
            "SELECT n_unweighted FROM estimate WHERE suppressed AND indicator_code = 'innovative' AND "
            "option_code = 'yes' AND government_level_code = 'all'")]
    assert len(counts) >= 2  # (the other hidden cells are sectors a wave does not cover)
    for count in counts:
        assert not any(fmt_number(count, "en") in text for cell in hidden for text in texts(cell))


def test_a_slide_reads_aggregates_only(readonly_url: str, app_settings_session) -> None:
    """Connected as a role that may not read respondent or answer rows, every kind of slide still draws."""
    database = Database(readonly_url, settings=app_settings_session)
    try:
        for path in ("/en/compare", "/en/profile?country=IS", "/en/types-values"):
            assert cells(parse(slide_svg(database, path)))
    finally:
        database.close()


def test_slides_are_small(db: Database) -> None:
    for path in ("/en/compare?waves=all", "/en/profile?country=DK", "/fi/types-values"):
        assert len(slide_svg(db, path).encode()) < 40_000


@pytest.mark.parametrize("path", ["/en/data", "/en/", "/en/compare?indicator=nope", "/embed/en/compare",
                                  "/en/compare?colour=red"])
def test_addresses_a_slide_cannot_show_are_refused(db: Database, path: str) -> None:
    with pytest.raises(SlidePathError):
        slide_svg(db, path)


def test_slide_route_is_cached_with_etags(client) -> None:
    response = client.get("/svg/en/compare?countries=DK,NO")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    etag = response.headers["ETag"]
    again = client.get("/svg/en/compare?countries=DK,NO", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert client.get("/svg/en/compare?countries=DK").headers["ETag"] != etag
    refused = client.get("/svg/sv/data")
    assert refused.status_code == 404 and refused.get_data(as_text=True) == t("sv", "slide_not_found")
    assert refused.headers["Cache-Control"] == "no-store"

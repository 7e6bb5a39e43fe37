"""With the bundled data and the default minimum cell size, a Compare bar is suppressed (Iceland 2021's demo
municipal culture and leisure sector has 8 workplaces): chart rows, API and CSV carry no value for it."""

from __future__ import annotations

import csv
import io

from app.pages.compare.model import build_compare
from app.pages.compare.view import CompareView

QUERY = "indicator=innovative&option=yes&countries=DK,IS&waves=DK-2021-23,IS-2021&level=all&sector=culture_leisure"


def test_compare_rows_mark_the_small_icelandic_sector_suppressed(db, facts) -> None:
    view = CompareView("innovative", "yes", ("DK", "IS"), ("DK-2021-23", "IS-2021"), "all", "culture_leisure")
    rows = {row.country: row for row in build_compare(db, view, "en", facts).rows}
    assert rows["IS"].status == "suppressed" and rows["IS"].share is None and "< 10" in rows["IS"].n_text
    assert rows["DK"].share is not None


def test_api_and_csv_of_the_suppressed_bar_carry_no_value(client) -> None:
    data = client.get(f"/api/v1/estimates?{QUERY}").get_json()["data"]
    iceland = next(r for r in data if r["row_type"] == "estimate" and r["country_code"] == "IS")
    assert iceland["status"] == "suppressed" and iceland["suppression"] == "primary"
    assert iceland["share_pct"] is None and iceland["ci_low_pct"] is None and iceland["n"] is None
    assert iceland["n_effective"] is None and iceland["n_note"] == "n < 10"
    text = client.get(f"/download/compare.csv?{QUERY}").get_data(as_text=True).lstrip("\ufeff")
    row = next(r for r in csv.DictReader(io.StringIO(text))
               if r["row_type"] == "estimate" and r["country_code"] == "IS")
    assert row["share_pct"] == "" and row["n"] == "" and row["suppression"] == "primary"

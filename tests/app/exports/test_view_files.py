"""Files that name their view: every CSV row carries the view's address, and the names of exported files (CSV,
XLSX, PNG/SVG, PowerPoint, references) say which view they hold, so files of different views never overwrite
each other."""

from __future__ import annotations

import csv
import io
import re

VIEWS = ["/en/compare?countries=DK,NO", "/en/compare?countries=DK,NO&level=municipal&sector=health_care",
         "/en/compare?countries=DK,NO&indicator=value&option=quality", "/en/profile?country=IS",
         "/en/profile?country=NO", "/en/types-values?wave=SE-2018"]


def download(client, view: str, fmt: str):
    path, _, query = view.partition("?")
    page = {"compare": "compare", "profile": "profile", "types-values": "types-values"}[path.rsplit("/", 1)[1]]
    return client.get(f"/download/{page}.{fmt}?{query}")


def filename(response) -> str:
    return re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"]).group(1)


def test_every_csv_row_carries_the_view_url(client) -> None:
    for view in VIEWS:
        response = download(client, view, "csv")
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        answer = client.get(view.replace("/en/", "/api/v1/", 1).replace("/compare", "/estimates")).get_json()
        assert rows and {row["view_url"] for row in rows} == {"https://barometer.example" + answer["url"]}


def test_file_names_name_the_view(client) -> None:
    for fmt in ("csv", "xlsx", "bib"):
        names = [filename(download(client, view, fmt)) for view in VIEWS]
        assert len(set(names)) == len(VIEWS), names
        assert all(name.startswith("nordic-barometer-") and name.endswith("." + fmt) for name in names)
    assert "municipal" in names[1] and "health_care" in names[1] and "IS" in names[3]


def test_chart_images_are_named_like_the_view(client, dash_app, db, facts) -> None:
    """The PNG/SVG buttons save under the chart's configured name: the view's, as its CSV (without '.csv')."""
    from app.site.params import parse_search
    from app.site.urls import parse_path

    for view in VIEWS:
        path, _, query = view.partition("?")
        page = parse_path(path).page
        parsed, problems = page.parse(parse_search(query), facts)
        assert not problems
        with dash_app.server.test_request_context(view):
            shown = page.results(db, facts, parsed, "en")
        stem = filename(download(client, view, "csv")).removesuffix(".csv").removesuffix("-demo")
        assert shown.image_name.removesuffix("-published") == stem

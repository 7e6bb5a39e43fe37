"""The citation text of a view: APA and BibTeX built from title, sources, URL, access date and version."""

from __future__ import annotations

import re
from datetime import date

from app.exports.citation import bibtex_escape, cite, software_version

URL = "https://barometer.example/en/compare?indicator=innovative&countries=DK,NO"


def test_apa_names_title_sources_version_date_and_url() -> None:
    sources = ["CO-PI, Innovationsbarometeret 2018-19", "KS, Innovasjonsbarometer 2020.",
               "KS, Innovasjonsbarometer 2020."]  # a source named twice is cited once
    citation = cite("Innovative workplaces: Innovative", sources, URL, date(2026, 3, 5), "0.1.0")
    assert citation.apa == (
        "Nordic Innovation Barometer Explorer. (2026). Innovative workplaces: Innovative [Data set; software "
        "version 0.1.0]. National sources: CO-PI, Innovationsbarometeret 2018-19. KS, Innovasjonsbarometer 2020. "
        f"Retrieved March 5, 2026, from {URL}")


def test_bibtex_entry_is_well_formed_and_escaped() -> None:
    citation = cite("Barriers: 50% & more_of {them}", ["Kuntaliitto #1"], URL, date(2026, 11, 30), "0.1.0")
    bib = citation.bibtex
    assert bib.startswith("@misc{nordic_barometer_2026_barriers_50_more_of_them,\n")
    assert r"title = {{Barriers: 50\% \& more\_of \{them\}}}" in bib
    assert f"url = {{{URL}}}" in bib and "urldate = {2026-11-30}" in bib and "version = {0.1.0}" in bib
    assert r"note = {Data set. National sources: Kuntaliitto \#1. Accessed 2026-11-30.}" in bib
    # braces balance once the escaped ones are set aside
    bare = re.sub(r"\\[{}]", "", bib)
    assert bare.count("{") == bare.count("}")


def test_demo_note_only_for_demo_records() -> None:
    from app.exports.citation import cite_view

    real = cite_view("T", [{"source": "S", "data": "Survey microdata"}], URL, date(2026, 1, 2))
    demo = cite_view("T", [{"source": "S", "data": "SÝNIGÖGN (tilbúin örgögn, ekki opinberar hagtölur)"}], URL,
                     date(2026, 1, 2))
    flagged = cite_view("T", [{"citation": "S", "is_demo": True}], URL, date(2026, 1, 2))
    assert "demo" not in real.apa and "Includes demo data" in demo.apa and "Includes demo data" in flagged.apa
    assert "National sources: S." in flagged.apa


def test_escape_and_version() -> None:
    assert bibtex_escape("a\\b ~ ^") == r"a\textbackslash{}b \textasciitilde{} \textasciicircum{}"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", software_version())


def test_without_a_url_the_citation_names_none() -> None:
    citation = cite("All aggregates", [], "", date(2026, 11, 30), "0.1.0")
    assert citation.apa.endswith("[Data set; software version 0.1.0]. Retrieved November 30, 2026.")
    assert "url" not in citation.bibtex.replace("urldate", "")


def test_every_view_in_the_api_carries_its_citation(client) -> None:
    body = client.get("/api/v1/estimates?indicator=innovative&option=yes&countries=DK,NO&waves=DK-2018-19,NO-2018"
                      "&lang=nb&source=survey").get_json()
    apa, bibtex = body["citation"]["apa"], body["citation"]["bibtex"]
    today = date.today()
    assert apa.startswith(f"Nordic Innovation Barometer Explorer. ({today.year}). {body['title']}")
    url = "https://barometer.example" + body["url"]
    assert apa.endswith(f", from {url}") and f"software version {software_version()}" in apa
    # the national sources of both waves, once each
    sources = {r["source"] for r in body["data"] if r["row_type"] == "estimate" and r.get("source")}
    assert len(sources) == 2 and all(source.rstrip(".") in apa for source in sources)
    assert f"url = {{{url}}}" in bibtex and f"urldate = {{{today.isoformat()}}}" in bibtex
    # demo waves: the citation says so, in both forms
    assert "Includes demo data: synthetic microdata, not official statistics." in apa
    assert "Includes demo data" in bibtex


def test_xlsx_about_sheet_has_the_citation(client) -> None:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(client.get("/download/types-values.xlsx?wave=SE-2018").data))
    about = {row[0].value: row[1].value for row in book["about"].iter_rows()}
    # the canonical address of the view: parameters at their default are left out
    assert about["Cite (APA)"].endswith("from https://barometer.example/en/types-values?wave=SE-2018")
    assert "Innovationsbarometern" in about["Cite (APA)"] and about["Cite (BibTeX)"].startswith("@misc{")

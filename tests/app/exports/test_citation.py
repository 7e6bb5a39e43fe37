"""The citation of a view: APA, BibTeX, RIS and CSL-JSON built from title, sources, URL, access date and
version, under a key that is stable and unique per view; the .bib, .ris and .csl.json downloads parse."""

from __future__ import annotations

import json
import re
from datetime import date

import bibtexparser

from app.exports.citation import bibtex_escape, citation_key, cite, software_version

PATH = "/en/compare?indicator=innovative&countries=DK,NO"
URL = "https://barometer.example" + PATH
KEY = citation_key(PATH)


def test_apa_names_title_sources_version_date_and_url() -> None:
    sources = ["CO-PI, Innovationsbarometeret 2018-19", "KS, Innovasjonsbarometer 2020.",
               "KS, Innovasjonsbarometer 2020."]  # a source named twice is cited once
    citation = cite("Innovative workplaces: Innovative", sources, URL, date(2026, 3, 5), "0.1.0", key=KEY)
    assert citation.apa == (
        "Nordic Innovation Barometer Explorer. (2026). Innovative workplaces: Innovative [Data set; software "
        "version 0.1.0]. National sources: CO-PI, Innovationsbarometeret 2018-19. KS, Innovasjonsbarometer 2020. "
        f"Retrieved March 5, 2026, from {URL}")


def test_bibtex_entry_is_well_formed_and_escaped() -> None:
    citation = cite("Barriers: 50% & more_of {them}", ["Kuntaliitto #1"], URL, date(2026, 11, 30), "0.1.0",
                    key=KEY)
    bib = citation.bibtex
    assert bib.startswith(f"@misc{{{KEY},\n") and re.fullmatch(r"nordic_barometer_compare_[0-9a-f]{10}", KEY)
    assert r"title = {{Barriers: 50\% \& more\_of \{them\}}}" in bib
    assert f"url = {{{URL}}}" in bib and "urldate = {2026-11-30}" in bib and "version = {0.1.0}" in bib
    assert r"note = {Data set. National sources: Kuntaliitto \#1. Accessed 2026-11-30.}" in bib
    # braces balance once the escaped ones are set aside
    bare = re.sub(r"\\[{}]", "", bib)
    assert bare.count("{") == bare.count("}")


def test_demo_note_only_for_demo_records() -> None:
    from app.exports.citation import cite_view

    base = "https://barometer.example"
    real = cite_view("T", [{"source": "S", "data": "Survey microdata"}], PATH, base, date(2026, 1, 2))
    demo = cite_view("T", [{"source": "S", "data": "SÝNIGÖGN (tilbúin örgögn, ekki opinberar hagtölur)"}], PATH,
                     base, date(2026, 1, 2))
    flagged = cite_view("T", [{"citation": "S", "is_demo": True}], PATH, base, date(2026, 1, 2))
    assert "demo" not in real.apa and "Includes demo data" in demo.apa and "Includes demo data" in flagged.apa
    assert "National sources: S." in flagged.apa


def test_escape_and_version() -> None:
    assert bibtex_escape("a\\b ~ ^") == r"a\textbackslash{}b \textasciitilde{} \textasciicircum{}"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", software_version())


def test_without_a_url_the_citation_names_none() -> None:
    citation = cite("All aggregates", [], "", date(2026, 11, 30), "0.1.0", key=KEY)
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


def test_the_key_is_stable_per_view_and_never_shared() -> None:
    same = [PATH, "/sv/compare?indicator=innovative&countries=DK,NO", "/embed/fi/compare?indicator=innovative&"
            "countries=DK,NO", "/en/compare?indicator=innovative&countries=DK,NO&lang=nb"]
    assert {citation_key(path) for path in same} == {KEY}  # one view in any language is one reference
    others = ["/en/compare", "/en/compare?level=municipal&sector=health_care", "/en/compare?countries=DK",
              "/en/profile?country=DK", "/en/types-values", "/en/compare?indicator=innovative&countries=DK,NO,SE"]
    keys = [citation_key(path) for path in others]
    assert len(set(keys)) == len(keys) and KEY not in keys


def test_a_nordic_average_names_each_national_source_once() -> None:
    from app.exports.citation import cite_view

    records = [{"source": "A"}, {"source": "B"}, {"source": "A | B | C"}]  # the average names all it averages
    citation = cite_view("T", records, PATH, "https://barometer.example", date(2026, 1, 2))
    assert "National sources: A. B. C. Retrieved" in citation.apa and " | " not in citation.bibtex
    assert "National sources: A. B. C." in citation.ris and citation.csl["note"].endswith("National sources: A. B. C.")


def test_reference_files_of_two_views_import_side_by_side(client) -> None:
    """All levels vs Municipal + Health and care: two views, two keys, both in one .bib; RIS and CSL-JSON of
    the same reference carry the same key, title and address."""
    views = ["compare?countries=DK,NO&lang=nb", "compare?countries=DK,NO&level=municipal&sector=health_care&lang=nb"]
    bib = "\n\n".join(client.get(f"/download/{view.replace('?', '.bib?', 1)}").get_data(as_text=True)
                       for view in views)
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks and len(library.entries) == 2
    assert len({entry.key for entry in library.entries}) == 2
    for entry, view in zip(library.entries, views, strict=True):
        answer = client.get(f"/api/v1/estimates?{view.split('?')[1]}").get_json()
        assert entry.key == answer["citation"]["key"] == citation_key(answer["url"])
        assert entry["url"] == "https://barometer.example" + answer["url"]
        ris = client.get(f"/download/{view.replace('?', '.ris?', 1)}")
        assert ris.mimetype == "application/x-research-info-systems"
        tags = dict(line.split("  - ", 1) for line in ris.get_data(as_text=True).splitlines() if "  - " in line)
        assert tags["TY"] == "DATA" and tags["ID"] == entry.key and tags["UR"] == entry["url"]
        assert ris.get_data(as_text=True).rstrip().endswith("ER  -")
        csl = client.get(f"/download/{view.replace('?', '.csl.json?', 1)}")
        item = json.loads(csl.get_data(as_text=True))[0]
        assert item["id"] == entry.key and item["URL"] == entry["url"] and item["type"] == "dataset"
        assert item["title"] == answer["title"]
        sources = answer["citation"]["apa"].split("National sources: ")[1]
        assert sources.count("Innovationsbarometeret 2021-23") <= 1  # each national source once
    names = {client.get(f"/download/{view.replace('?', '.bib?', 1)}").headers["Content-Disposition"]
             for view in views}
    assert len(names) == 2

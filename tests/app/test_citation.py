"""The citation text of a view: APA and BibTeX built from title, sources, URL, access date and version."""

from __future__ import annotations

import re
from datetime import date

from app.citation import bibtex_escape, cite, software_version

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


def test_escape_and_version() -> None:
    assert bibtex_escape("a\\b ~ ^") == r"a\textbackslash{}b \textasciitilde{} \textasciicircum{}"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", software_version())


def test_without_a_url_the_citation_names_none() -> None:
    citation = cite("All aggregates", [], "", date(2026, 11, 30), "0.1.0")
    assert citation.apa.endswith("[Data set; software version 0.1.0]. Retrieved November 30, 2026.")
    assert "url" not in citation.bibtex.replace("urldate", "")

"""The method note that states a wave's sampling design (or its absence), in the six languages.

The ETL writes it beside the codebook's comparability notes, so every page shows it in the page's language.
A declared design's own note is a codebook text: a language is stated only where that note has a
translation (elsewhere the reader gets the English statement, never a mix of two languages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel.numbers import format_decimal

if TYPE_CHECKING:  # only for the annotation: etl.codebook imports this module
    from etl.codebook import DesignSpec

NOT_DECLARED = {
    "en": "Sampling design not declared: confidence intervals use Kish's effective sample size, which reflects "
          "unequal weights but not strata, finite population or clusters.",
    "nb": "Utvalgsdesignet er ikke oppgitt: konfidensintervallene bruker Kishs effektive utvalgsstørrelse, som tar "
          "hensyn til ulike vekter, men ikke til strata, endelig populasjon eller klynger.",
    "da": "Stikprøvedesignet er ikke angivet: konfidensintervallerne bruger Kishs effektive stikprøvestørrelse, som "
          "afspejler forskellige vægte, men ikke strata, endelig population eller klynger.",
    "sv": "Urvalsdesignen är inte angiven: konfidensintervallen bygger på Kishs effektiva urvalsstorlek, som tar "
          "hänsyn till olika vikter men inte till strata, ändlig population eller kluster.",
    "fi": "Otanta-asetelmaa ei ole ilmoitettu: luottamusvälit perustuvat Kishin efektiiviseen otoskokoon, joka ottaa "
          "huomioon erisuuruiset painot mutta ei ositteita, äärellistä perusjoukkoa eikä ryväksiä.",
    "is": "Úrtakshönnun er ekki tilgreind: öryggisbil byggja á virkri úrtaksstærð Kish, sem tekur tillit til "
          "ójafnra vogtalna en ekki til laga, endanlegs þýðis eða klasa.",
}

DECLARED = {
    "en": "Sampling design ({parts}): confidence intervals use the design-based effective sample size "
          "(Taylor linearisation, Korn-Graubard, adjusted for the design's degrees of freedom). {cap} {note}",
    "nb": "Utvalgsdesign ({parts}): konfidensintervallene bruker den designbaserte effektive utvalgsstørrelsen "
          "(Taylor-linearisering, Korn-Graubard, justert for designets frihetsgrader). {cap} {note}",
    "da": "Stikprøvedesign ({parts}): konfidensintervallerne bruger den designbaserede effektive stikprøvestørrelse "
          "(Taylor-linearisering, Korn-Graubard, justeret for designets frihedsgrader). {cap} {note}",
    "sv": "Urvalsdesign ({parts}): konfidensintervallen bygger på den designbaserade effektiva urvalsstorleken "
          "(Taylorlinearisering, Korn-Graubard, justerad för designens frihetsgrader). {cap} {note}",
    "fi": "Otanta-asetelma ({parts}): luottamusvälit perustuvat asetelmaperusteiseen efektiiviseen otoskokoon "
          "(Taylorin linearisointi, Korn-Graubard, korjattu asetelman vapausasteilla). {cap} {note}",
    "is": "Úrtakshönnun ({parts}): öryggisbil byggja á virkri úrtaksstærð út frá hönnuninni "
          "(Taylor-línuleiðing, Korn-Graubard, leiðrétt fyrir frígráðum hönnunarinnar). {cap} {note}",
}

# whether the effective n may exceed the number of responses: only a declared sampling fraction justifies it
CAP = {
    "en": ("The effective n is at most the number of responses (n).",
           "The finite population correction can make the effective n larger than the number of responses (n)."),
    "nb": ("Den effektive n er høyst antallet svar (n).",
           "Korreksjonen for endelig populasjon kan gjøre den effektive n større enn antallet svar (n)."),
    "da": ("Den effektive n er højst antallet af besvarelser (n).",
           "Korrektionen for endelig population kan gøre den effektive n større end antallet af besvarelser (n)."),
    "sv": ("Den effektiva n är högst antalet svar (n).",
           "Korrektionen för ändlig population kan göra den effektiva n större än antalet svar (n)."),
    "fi": ("Efektiivinen n on enintään vastausten määrä (n).",
           "Äärellisen perusjoukon korjaus voi tehdä efektiivisestä n:stä vastausten määrää (n) suuremman."),
    "is": ("Virkt n er í mesta lagi fjöldi svara (n).",
           "Leiðrétting fyrir endanlegt þýði getur gert virkt n stærra en fjölda svara (n)."),
}

# the parts of a declared design: strata (by dimension), finite population correction, clusters, or none
PARTS = {
    "en": ("strata: {dims}", "finite population correction: sample of {drawn} drawn from {population}",
           "clusters: {variable}", "simple random sample"),
    "nb": ("strata: {dims}", "korreksjon for endelig populasjon: utvalg på {drawn} trukket av {population}",
           "klynger: {variable}", "enkelt tilfeldig utvalg"),
    "da": ("strata: {dims}", "korrektion for endelig population: stikprøve på {drawn} udtrukket blandt {population}",
           "klynger: {variable}", "simpel tilfældig stikprøve"),
    "sv": ("strata: {dims}", "korrektion för ändlig population: urval om {drawn} draget av {population}",
           "kluster: {variable}", "obundet slumpmässigt urval"),
    "fi": ("ositteet: {dims}", "äärellisen perusjoukon korjaus: {drawn} poimittu {population}:stä",
           "ryväkset: {variable}", "yksinkertainen satunnaisotanta"),
    "is": ("lagskipting: {dims}", "leiðrétting fyrir endanlegt þýði: úrtak {drawn} dregið úr {population}",
           "klasar: {variable}", "einfalt slembiúrtak"),
}

DIMENSIONS = {
    "en": {"government_level": "government level", "sector": "sector", "size_band": "size band"},
    "nb": {"government_level": "forvaltningsnivå", "sector": "sektor", "size_band": "størrelsesgruppe"},
    "da": {"government_level": "forvaltningsniveau", "sector": "sektor", "size_band": "størrelsesgruppe"},
    "sv": {"government_level": "förvaltningsnivå", "sector": "sektor", "size_band": "storleksgrupp"},
    "fi": {"government_level": "hallinnon taso", "sector": "toimiala", "size_band": "kokoluokka"},
    "is": {"government_level": "stjórnsýslustig", "sector": "málaflokkur", "size_band": "stærðarflokkur"},
}


def _count(value: float | dict[str, float], lang: str) -> str:
    """A declared count in the language's number format (the sum over strata when keyed by stratum)."""
    total = sum(value.values()) if isinstance(value, dict) else value
    return format_decimal(total, locale=lang)


def design_statement(design: DesignSpec | None) -> dict[str, str]:
    """The method note of a wave's sampling design, by language (English always)."""
    if design is None:
        return dict(NOT_DECLARED)
    statement = {}
    fraction = design.sampling_fraction
    for lang, note in design.note.items():
        strata, fpc, clusters, simple = PARTS[lang]
        parts = []
        if design.strata:
            parts.append(strata.format(dims=" x ".join(DIMENSIONS[lang][d] for d in design.strata)))
        if fraction is not None:
            parts.append(fpc.format(drawn=_count(fraction.drawn, lang), population=_count(fraction.population, lang)))
        if design.cluster:
            parts.append(clusters.format(variable=design.cluster))
        statement[lang] = DECLARED[lang].format(parts=", ".join(parts) or simple, note=note,
                                                cap=CAP[lang][fraction is not None])
    return statement

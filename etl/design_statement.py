"""The method note that states a wave's sampling design (or its absence), in the six languages.

The ETL writes it beside the codebook's comparability notes, so every page shows it in the page's language.
A declared design's own note is a codebook text: a language is stated only where that note has a
translation (elsewhere the reader gets the English statement, never a mix of two languages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
          "(Taylor linearisation, Korn-Graubard). {note}",
    "nb": "Utvalgsdesign ({parts}): konfidensintervallene bruker den designbaserte effektive utvalgsstørrelsen "
          "(Taylor-linearisering, Korn-Graubard). {note}",
    "da": "Stikprøvedesign ({parts}): konfidensintervallerne bruger den designbaserede effektive stikprøvestørrelse "
          "(Taylor-linearisering, Korn-Graubard). {note}",
    "sv": "Urvalsdesign ({parts}): konfidensintervallen bygger på den designbaserade effektiva urvalsstorleken "
          "(Taylorlinearisering, Korn-Graubard). {note}",
    "fi": "Otanta-asetelma ({parts}): luottamusvälit perustuvat asetelmaperusteiseen efektiiviseen otoskokoon "
          "(Taylorin linearisointi, Korn-Graubard). {note}",
    "is": "Úrtakshönnun ({parts}): öryggisbil byggja á virkri úrtaksstærð út frá hönnuninni "
          "(Taylor-línuleiðing, Korn-Graubard). {note}",
}

# the parts of a declared design: strata (by dimension), finite population correction, clusters, or none
PARTS = {
    "en": ("strata: {dims}", "finite population correction", "clusters: {variable}", "simple random sample"),
    "nb": ("strata: {dims}", "korreksjon for endelig populasjon", "klynger: {variable}", "enkelt tilfeldig utvalg"),
    "da": ("strata: {dims}", "korrektion for endelig population", "klynger: {variable}", "simpel tilfældig stikprøve"),
    "sv": ("strata: {dims}", "korrektion för ändlig population", "kluster: {variable}", "obundet slumpmässigt urval"),
    "fi": ("ositteet: {dims}", "äärellisen perusjoukon korjaus", "ryväkset: {variable}",
           "yksinkertainen satunnaisotanta"),
    "is": ("lagskipting: {dims}", "leiðrétting fyrir endanlegt þýði", "klasar: {variable}", "einfalt slembiúrtak"),
}

DIMENSIONS = {
    "en": {"government_level": "government level", "sector": "sector", "size_band": "size band"},
    "nb": {"government_level": "forvaltningsnivå", "sector": "sektor", "size_band": "størrelsesgruppe"},
    "da": {"government_level": "forvaltningsniveau", "sector": "sektor", "size_band": "størrelsesgruppe"},
    "sv": {"government_level": "förvaltningsnivå", "sector": "sektor", "size_band": "storleksgrupp"},
    "fi": {"government_level": "hallinnon taso", "sector": "toimiala", "size_band": "kokoluokka"},
    "is": {"government_level": "stjórnsýslustig", "sector": "málaflokkur", "size_band": "stærðarflokkur"},
}


def design_statement(design: DesignSpec | None) -> dict[str, str]:
    """The method note of a wave's sampling design, by language (English always)."""
    if design is None:
        return dict(NOT_DECLARED)
    statement = {}
    for lang, note in design.note.items():
        strata, fpc, clusters, simple = PARTS[lang]
        parts = []
        if design.strata:
            parts.append(strata.format(dims=" x ".join(DIMENSIONS[lang][d] for d in design.strata)))
        if design.population:
            parts.append(fpc)
        if design.cluster:
            parts.append(clusters.format(variable=design.cluster))
        statement[lang] = DECLARED[lang].format(parts=", ".join(parts) or simple, note=note)
    return statement

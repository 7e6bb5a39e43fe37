"""How to cite a view or a download: APA and BibTeX text from title, national sources, URL, date, version.

A pure function of its inputs (the caller supplies the access date), so the same view always gets the same
citation on the page, in the API and in the exported files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import metadata

from app.i18n import t
from core.config import LANGUAGES
from core.wave_keys import slug

SOFTWARE = "Nordic Innovation Barometer Explorer"
DISTRIBUTION = "nordic-innovation-barometer-explorer"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# characters with a meaning in BibTeX field text, and how to write them literally
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_DEMO_LABELS = frozenset(t(lang, "data_demo") for lang in LANGUAGES)


@dataclass(frozen=True)
class Citation:
    apa: str
    bibtex: str

    def as_dict(self) -> dict[str, str]:
        return {"apa": self.apa, "bibtex": self.bibtex}


def software_version() -> str:
    """The installed version of this software (from the package metadata)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def bibtex_escape(text: str) -> str:
    """``text`` with BibTeX's special characters written literally."""
    return re.sub(r"[\\{}&%$#_~^]", lambda m: _BIBTEX_ESCAPES[m.group()], " ".join(text.split()))


DEMO_NOTE = "Includes demo data: synthetic microdata, not official statistics."


def cite(title: str, sources: Sequence[str], url: str, accessed: date, version: str, *,
         demo: bool = False) -> Citation:
    """APA (7th edition, a data set that changes over time: 'Retrieved ... from') and BibTeX (@misc).

    ``url`` may be empty (a file exported without a public address): the citation then names no URL."""
    unique_sources = list(dict.fromkeys(s.strip() for s in sources if s and s.strip()))
    retrieved = f"{MONTHS[accessed.month - 1]} {accessed.day}, {accessed.year}"
    based_on = " ".join(_sentence(s) for s in unique_sources)
    apa = (f"{SOFTWARE}. ({accessed.year}). {_sentence(title)[:-1]} [Data set; software version {version}]. "
           + (f"{DEMO_NOTE} " if demo else "")
           + (f"National sources: {based_on} " if unique_sources else "")
           + (f"Retrieved {retrieved}, from {url}" if url else f"Retrieved {retrieved}."))
    key = f"nordic_barometer_{accessed.year}_{slug(title)[:40].strip('-').replace('-', '_') or 'view'}"
    note = based_on
    fields = [
        ("title", "{" + bibtex_escape(title) + "}"),
        ("author", "{" + bibtex_escape(SOFTWARE) + "}"),
        ("year", str(accessed.year)),
        *([("howpublished", r"\url{" + url + "}"), ("url", url)] if url else []),
        ("urldate", accessed.isoformat()),
        ("version", bibtex_escape(version)),
        ("note", bibtex_escape(("Data set. " + (f"{DEMO_NOTE} " if demo else "")
                                + (f"National sources: {note}" if note else "")).strip())
         + f" Accessed {accessed.isoformat()}."),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return Citation(apa=apa, bibtex=f"@misc{{{key},\n{body}\n}}")


def sources_of(records: Iterable[Mapping[str, object]]) -> list[str]:
    """Citations of the national sources behind a view's records, in order of first use."""
    found = (r.get("source") or r.get("citation") for r in records)
    return list(dict.fromkeys(str(s) for s in found if s))


def is_demo_record(record: Mapping[str, object]) -> bool:
    """True for a record computed from demo microdata (flagged, or labelled as demo in any language)."""
    return record.get("is_demo") is True or any(isinstance(v, str) and v in _DEMO_LABELS for v in record.values())


def cite_view(title: str, records: Iterable[Mapping[str, object]], url: str,
              accessed: date | None = None) -> Citation:
    """The citation of a view (page, API and exports alike): its title, sources, address, today, this version,
    and the demo note when any of its records come from demo microdata."""
    records = list(records)
    return cite(title, sources_of(records), url, accessed or date.today(), software_version(),
                demo=any(is_demo_record(r) for r in records))

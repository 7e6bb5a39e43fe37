"""How to cite a view or a download: APA and BibTeX text, and the same reference as RIS and CSL-JSON (which
reference managers such as Zotero import), from title, national sources, URL, date, version.

A pure function of its inputs (the caller supplies the access date), so the same view always gets the same
citation on the page, in the API and in the exported files. Its key is made from the view's canonical address
(language left out: one view in two languages is one reference), so it is the same every time and every year,
and two views never share one in a .bib file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from typing import Any

from app.i18n import t
from core.config import LANGUAGES

SOFTWARE = "Nordic Innovation Barometer Explorer"
DISTRIBUTION = "nordic-innovation-barometer-explorer"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# characters with a meaning in BibTeX field text, and how to write them literally
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_DEMO_LABELS = frozenset(t(lang, "data_demo") for lang in LANGUAGES)


# how a record names several sources in one field (a Nordic average's waves): split again when citing
SOURCE_SEPARATOR = " | "
KEY_PREFIX = "nordic_barometer"


@dataclass(frozen=True)
class Citation:
    key: str
    apa: str
    bibtex: str
    ris: str
    csl: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "apa": self.apa, "bibtex": self.bibtex, "ris": self.ris, "csl_json": self.csl}

    def csl_json(self) -> str:
        """The CSL-JSON file: a list holding this one item."""
        return json.dumps([self.csl], ensure_ascii=False, indent=2) + "\n"


def citation_key(path: str) -> str:
    """The reference key of the view at ``path`` (its canonical site-relative address): the page's name and a
    short hash of the address without its language, e.g. 'nordic_barometer_compare_3f2a9c1b0d'."""
    address, _, query = path.partition("?")
    segments = [s for s in address.split("/") if s]
    if segments and segments[0] == "embed":
        segments = segments[1:]
    if segments and segments[0] in LANGUAGES:
        segments = segments[1:]
    rest = "&".join(p for p in query.split("&") if p and not p.startswith("lang="))
    digest = hashlib.sha256(("/" + "/".join(segments) + "?" + rest).encode()).hexdigest()[:10]
    page = re.sub(r"[^a-z0-9]+", "_", (segments[0] if segments else "home").lower()).strip("_")
    return f"{KEY_PREFIX}_{page}_{digest}"


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


def cite(title: str, sources: Sequence[str], url: str, accessed: date, version: str, *, key: str,
         demo: bool = False) -> Citation:
    """APA (7th edition, a data set that changes over time: 'Retrieved ... from'), BibTeX (@misc), RIS and
    CSL-JSON of one reference called ``key``; each national source named once.

    ``url`` may be empty (a file exported without a public address): the citation then names no URL."""
    unique_sources = list(dict.fromkeys(s.strip() for s in sources if s and s.strip()))
    retrieved = f"{MONTHS[accessed.month - 1]} {accessed.day}, {accessed.year}"
    based_on = " ".join(_sentence(s) for s in unique_sources)
    apa = (f"{SOFTWARE}. ({accessed.year}). {_sentence(title)[:-1]} [Data set; software version {version}]. "
           + (f"{DEMO_NOTE} " if demo else "")
           + (f"National sources: {based_on} " if unique_sources else "")
           + (f"Retrieved {retrieved}, from {url}" if url else f"Retrieved {retrieved}."))
    note = ("Data set. " + (f"{DEMO_NOTE} " if demo else "")
            + (f"National sources: {based_on}" if based_on else "")).strip()
    fields = [
        ("title", "{" + bibtex_escape(title) + "}"),
        ("author", "{" + bibtex_escape(SOFTWARE) + "}"),
        ("year", str(accessed.year)),
        *([("howpublished", r"\url{" + url + "}"), ("url", url)] if url else []),
        ("urldate", accessed.isoformat()),
        ("version", bibtex_escape(version)),
        ("note", bibtex_escape(note) + f" Accessed {accessed.isoformat()}."),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    ris_lines = [("TY", "DATA"), ("ID", key), ("TI", " ".join(title.split())), ("AU", SOFTWARE),
                 ("PY", str(accessed.year)), ("ET", version), *([("UR", url)] if url else []),
                 ("Y2", accessed.strftime("%Y/%m/%d")), ("N1", note), ("ER", "")]
    csl = {"id": key, "type": "dataset", "title": " ".join(title.split()), "author": [{"literal": SOFTWARE}],
           "issued": {"date-parts": [[accessed.year]]}, "version": version, "note": note,
           "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]}, **({"URL": url} if url else {})}
    return Citation(key=key, apa=apa, bibtex=f"@misc{{{key},\n{body}\n}}",
                    ris="".join(f"{tag}  - {value}\r\n" for tag, value in ris_lines), csl=csl)


def sources_of(records: Iterable[Mapping[str, object]]) -> list[str]:
    """Citations of the national sources behind a view's records, each once, in order of first use (a record
    naming several, such as a Nordic average, gives each of them)."""
    found = (r.get("source") or r.get("citation") for r in records)
    return list(dict.fromkeys(part.strip() for s in found if s for part in str(s).split(SOURCE_SEPARATOR)
                              if part.strip()))


def is_demo_record(record: Mapping[str, object]) -> bool:
    """True for a record computed from demo microdata (flagged, or labelled as demo in any language)."""
    return record.get("is_demo") is True or any(isinstance(v, str) and v in _DEMO_LABELS for v in record.values())


def cite_view(title: str, records: Iterable[Mapping[str, object]], path: str, base_url: str,
              accessed: date | None = None) -> Citation:
    """The citation of the view at ``path`` (its canonical address; page, API and exports alike): its title,
    sources, full address, today, this version, and the demo note when any of its records come from demo
    microdata."""
    records = list(records)
    return cite(title, sources_of(records), base_url + path, accessed or date.today(), software_version(),
                key=citation_key(path), demo=any(is_demo_record(r) for r in records))

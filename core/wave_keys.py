"""URL keys of survey waves ("DK-2018-19"), shared by the app's links and the CLI's --wave options."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated form of a name (for URL keys)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def wave_keys(rows: Iterable[Mapping[str, Any]]) -> dict[int, tuple[str, str]]:
    """Short key (country-wave) where unambiguous, else the long key with the programme; plus the long key.

    Each row needs id, country_code, wave_label and programme."""
    rows = list(rows)
    short = {r["id"]: f"{r['country_code']}-{slug(r['wave_label'])}" for r in rows}
    counts: dict[str, int] = {}
    for key in short.values():
        counts[key] = counts.get(key, 0) + 1
    result = {}
    for r in rows:
        long_key = f"{short[r['id']]}-{slug(r['programme'])}"
        result[r["id"]] = (short[r["id"]] if counts[short[r["id"]]] == 1 else long_key, long_key)
    return result

"""A deck as a YAML file (title, language, slides with their view addresses and captions), to keep a talk
beside its notes, share it, or set it up on another server. Never the presenter key: an imported deck gets a
new public id and a new key."""

from __future__ import annotations

from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.decks.store import MAX_CAPTION_LENGTH, MAX_PATH_LENGTH, MAX_SLIDES, MAX_TITLE_LENGTH, Deck, DeckSlide

FORMAT = "barometer-deck/1"


class DeckFileError(ValueError):
    """A deck file that cannot be read: the message names the file, the key and the problem."""


class SlideEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(pattern=r"^/([^/]|$)", max_length=MAX_PATH_LENGTH,
                      description="path and query of a view on this site, e.g. /en/compare?indicator=value")
    caption: str = Field("", max_length=MAX_CAPTION_LENGTH)


class DeckEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["barometer-deck/1"]
    title: str = Field("", max_length=MAX_TITLE_LENGTH)
    lang: Literal["en", "nb", "da", "sv", "fi", "is"]
    slides: list[SlideEntry] = Field(max_length=MAX_SLIDES)


def deck_to_yaml(deck: Deck) -> str:
    """The YAML text of ``deck`` (without its id and key)."""
    document = {"format": FORMAT, "title": deck.title, "lang": deck.lang,
                "slides": [{"path": s.path, "caption": s.caption} for s in deck.slides]}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)


def _where(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "(top level)"


def deck_from_yaml(text: str, source: str) -> tuple[str, str, list[DeckSlide]]:
    """Title, language and slides of a deck file; DeckFileError naming ``source`` and the key otherwise."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise DeckFileError(f"{source}:{where} not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    try:
        entry = DeckEntry.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise DeckFileError(f"{source}: {problems}") from exc
    return entry.title, entry.lang, [DeckSlide(s.path, s.caption) for s in entry.slides]

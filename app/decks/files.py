"""A deck as a YAML file (title, language, slides with their view addresses and captions), to keep a talk
beside its notes, share it, or set it up on another server. Never the presenter key: an imported deck gets a
new public id and a new key.

A file is read as carefully as the JSON API reads a request: at most MAX_FILE_BYTES, looked over before it is
built (at most MAX_SLIDES slides, no anchors or aliases, whose expansion can be far larger than the file), no
key given twice (the second would silently win), and every slide's address canonicalised as the app does when
a slide is added, refusing what the app refuses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.decks.store import MAX_CAPTION_LENGTH, MAX_PATH_LENGTH, MAX_SLIDES, MAX_TITLE_LENGTH, Deck, DeckSlide
from app.decks.views import canonical_slide_path
from app.site.params import Known

FORMAT = "barometer-deck/1"
# the largest deck (MAX_SLIDES slides with the longest addresses and captions) takes about half of this
MAX_FILE_BYTES = 1 << 20
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


class _StrictLoader(_Loader):  # type: ignore[valid-type, misc]
    """YAML's safe loader that refuses a key given twice in one mapping."""


def _mapping_without_repeats(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    first: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[arg-type]
        if key in first:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is given twice (first on line {first[key]})", key_node.start_mark)
        first[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)


def _look_over(text: str, source: str) -> None:
    """Refuse, before anything is built, a file too large, with more than MAX_SLIDES slides, or with aliases."""
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise DeckFileError(f"{source}: {size:,} bytes, more than a deck file takes ({MAX_FILE_BYTES:,} bytes)")
    mappings = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise DeckFileError(f"{source}: line {event.start_mark.line + 1} uses a YAML anchor or alias (& or *), "
                                "which deck files do not take")
        if isinstance(event, yaml.MappingStartEvent):
            mappings += 1
            if mappings > MAX_SLIDES + 1:  # the deck itself, then one per slide
                raise DeckFileError(f"{source}: line {event.start_mark.line + 1}: a deck holds at most "
                                    f"{MAX_SLIDES} slides")


def deck_from_yaml(text: str, source: str) -> tuple[str, str, list[DeckSlide]]:
    """Title, language and slides of a deck file; DeckFileError naming ``source`` and the key otherwise.
    The slides' addresses are as written: canonical_slides makes them the app's."""
    try:
        _look_over(text, source)
        document = yaml.load(text, Loader=_StrictLoader)  # a safe loader (refusing repeated keys)
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


def read_deck_file(path: Path) -> tuple[str, str, list[DeckSlide]]:
    """``deck_from_yaml`` of a file, refused by its size before it is read (OSError when it cannot be read)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DeckFileError(f"{path}: {size:,} bytes, more than a deck file takes ({MAX_FILE_BYTES:,} bytes)")
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)  # a file that grew meanwhile is still cut at the limit
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckFileError(f"{path}: line {line} is not UTF-8 text") from exc
    return deck_from_yaml(text, str(path))


def canonical_slides(slides: list[DeckSlide], facts: Known, source: str) -> list[DeckSlide]:
    """Each slide's address made canonical as the app makes an address added to a deck (app/decks/views.py);
    DeckFileError naming the slide for one the app would refuse."""
    if slides and not facts.waves:
        raise DeckFileError(f"{source}: the database has no data loaded, so no slide's view can be checked; "
                            "run `barometer etl run` first")
    result = []
    for index, slide in enumerate(slides):
        path = canonical_slide_path(slide.path, facts)
        if path is None:
            raise DeckFileError(f"{source}: slides.{index}.path: {slide.path[:80]!r} is not the address of a view "
                                "of this site")
        result.append(DeckSlide(path, slide.caption))
    return result

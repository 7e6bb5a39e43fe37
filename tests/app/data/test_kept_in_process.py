"""Facts kept per worker (app/data/db.py: Database.kept_in_process) and canonical addresses parsed once per view
(app/site/urls.py): the same object while the data version stays, a new one as soon as it changes, and no
memo at all without a cache (tests that count statements)."""

from __future__ import annotations

import dataclasses

from cachelib import SimpleCache

from app.data.db import Database
from core.config import Settings


def database(cache) -> Database:
    db = Database("postgresql://nobody@127.0.0.1:9/none", settings=Settings(), cache=cache)
    db.data_version = lambda: db.version  # type: ignore[method-assign]
    db.version = "v1"  # type: ignore[attr-defined]
    return db


def test_a_fact_is_loaded_once_per_data_version() -> None:
    db = database(SimpleCache())
    loads: list[str] = []

    def load() -> dict[str, str]:
        loads.append(db.version)
        return {"version": db.version}

    first = db.kept_in_process("facts", load)
    assert db.kept_in_process("facts", load) is first and loads == ["v1"]
    db.version = "v2"  # a new ETL run
    second = db.kept_in_process("facts", load)
    assert second == {"version": "v2"} and second is not first and loads == ["v1", "v2"]
    assert db.kept_in_process("facts", load) is second and loads == ["v1", "v2"]


def test_without_a_cache_every_call_loads() -> None:
    db = database(None)
    loads: list[int] = []
    for _ in range(3):
        db.kept_in_process("facts", lambda: loads.append(1) or len(loads))
    assert loads == [1, 1, 1]


def test_a_canonical_address_is_parsed_once_per_view_and_facts(facts, monkeypatch) -> None:
    from app.pages.compare.view import CompareView
    from app.site import urls
    from app.site.registry import page_at

    view = CompareView("innovative", "yes", ("DK", "NO"), (), chart="dot")
    parses: list[int] = []
    real = page_at("compare")
    # the same page with its parser counted (a page is a frozen contract: replaced, not patched)
    page = dataclasses.replace(real, parse=lambda args, known: parses.append(1) or real.parse(args, known))
    first = urls.canonical_query(page, view, facts)
    counted = len(parses)
    assert counted > 0 and first["chart"] == "dot"
    first["tampered"] = "1"  # a caller's copy: the kept answer is not changed
    assert urls.canonical_query(page, view, facts) == {k: v for k, v in first.items() if k != "tampered"}
    assert len(parses) == counted
    other_facts = type(facts)(facts.ref, facts.waves, facts.coverage)  # e.g. after a new ETL run
    assert urls.canonical_query(page, view, other_facts) == urls.canonical_query(page, view, facts)
    assert len(parses) == 2 * counted

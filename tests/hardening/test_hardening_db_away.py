"""The database goes away while a hall follows a deck: every answer that needs it is a 503 with Retry-After
within a second (it took 10.1 s for a follower's poll and 5.0 s for other requests, the pool's whole timeout,
and a hall of phones polling every 1.5 s piled up behind that), and the app recovers by itself.

The app runs with the shipped pool settings (APP_DB_TIMEOUT 5 s) against an embedded PostgreSQL of the
test's own, stopped and started with pg_ctl.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask.testing import FlaskClient
from hardening_helpers import close_app_database, hardening_settings

from app.decks.api import DECK_STATE_TTL_S
from app.decks.store import create_deck
from app.factory import create_app

PROMPT_S = 1.0  # the longest a request may take to say the database is away
# requests nobody made before, so no cache can answer them
FRESH_GETS = ["/api/v1/estimates?countries=IS&indicator=novelty", "/api/v1/profile?country=IS&level=state",
              "/download/compare.csv?countries=IS&indicator=partners", "/api/v1/types-values?wave=IS-2021", "/healthz"]


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@dataclass
class Hall:
    """A deck, and the app (its test client) that a hall of phones polls for the deck's state."""

    server: Any  # the embedded PostgreSQL the app reads
    client: FlaskClient
    deck: Any
    key: str  # the presenter's key

    @property
    def state(self) -> str:
        return f"/api/decks/{self.deck.public_id}/state"


@pytest.fixture
def hall(own_server, tmp_path: Path) -> Iterator[Hall]:
    """A deck on the test's own server and an app whose first poll of it was answered (the memo is fresh)."""
    server, url = own_server
    with psycopg.connect(url, autocommit=True) as conn:
        deck, key = create_deck(conn, "Hall", "en")
    app = create_app(url, settings=hardening_settings(tmp_path))
    try:
        hall = Hall(server, app.server.test_client(), deck, key)
        assert hall.client.get(hall.state).status_code == 200
        yield hall
    finally:
        close_app_database(app)


def test_every_answer_says_503_within_a_second_while_the_database_is_away(hall: Hall) -> None:
    client, state = hall.client, hall.state
    read_at = time.monotonic()
    hall.server.stop()
    # a poll within DECK_STATE_TTL_S of the last read is answered from the fresh memo (the next test)
    time.sleep(max(0.0, read_at + DECK_STATE_TTL_S - time.monotonic()) + 0.05)
    try:
        answers = [timed(lambda: client.get(state)),  # the first request after the server went away
                   timed(lambda: client.get(state, headers={"If-None-Match": 'W/"deck-old"'})),
                   *(timed(lambda path=path: client.get(path)) for path in FRESH_GETS),
                   timed(lambda: client.post("/api/decks", json={"title": "New"})),
                   timed(lambda: client.post(f"/api/decks/{hall.deck.public_id}/title", json={"title": "T"},
                                             headers={"X-Deck-Key": hall.key}))]
        time.sleep(2.5)  # past this worker's memo of the database being away: it asks once more
        answers.append(timed(lambda: client.get(state)))
        answers.append(timed(lambda: client.get(FRESH_GETS[0] + "&lang=sv")))
    finally:
        hall.server.start()
    for response, took in answers:
        where = f"{response.request.method} {response.request.path}"
        assert response.status_code == 503, (where, response.status_code)
        assert int(response.headers.get("Retry-After", 0)) > 0, (where, response.get_data(as_text=True)[:200])
        assert took < PROMPT_S, f"{where} took {took:.2f} s to answer 503"
    assert answers[0][0].get_json()["error"] == "database_unavailable"

    deadline = time.monotonic() + 30  # and back by itself, without a restart of the app
    while client.get(state).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.get(state).get_json()["deck"] == hall.deck.public_id
    assert client.get(FRESH_GETS[0]).status_code == 200


def test_a_poll_is_answered_from_the_fresh_memo_while_the_database_goes_away(hall: Hall) -> None:
    """Followers polling within DECK_STATE_TTL_S of each other share one read; one that comes right after the
    server stopped still gets that state, and the next, once the memo is stale, a prompt 503."""
    read_at = time.monotonic()
    hall.server.stop()
    try:
        from_memo = hall.client.get(hall.state) if time.monotonic() - read_at < DECK_STATE_TTL_S else None
        time.sleep(max(0.0, read_at + DECK_STATE_TTL_S - time.monotonic()) + 0.05)
        stale, took = timed(lambda: hall.client.get(hall.state))
    finally:
        hall.server.start()
    if from_memo is not None:  # a loaded machine may take longer than the memo lives to stop a server
        assert from_memo.status_code == 200 and from_memo.get_json()["deck"] == hall.deck.public_id
    assert stale.status_code == 503 and took < PROMPT_S

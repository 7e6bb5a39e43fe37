"""Where page code finds the database of the running app (one per Flask app, stored on the app)."""

from __future__ import annotations

import flask

from app.params import Known
from app.queries import Database
from app.viewmodels.common import known

EXTENSION = "barometer_db"


def current_db() -> Database:
    """The Database of the app serving this request."""
    return flask.current_app.extensions[EXTENSION]


def current_known() -> Known:
    return known(current_db())

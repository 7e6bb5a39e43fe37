"""The database of the running app (one per Flask app, stored on the app), for code serving a request."""

from __future__ import annotations

import flask

from app.db import Database
from app.params import Known
from app.viewmodels.common import known

EXTENSION = "barometer_db"


def current_db() -> Database:
    """The Database of the app serving this request."""
    return flask.current_app.extensions[EXTENSION]


def current_known() -> Known:
    return known(current_db())

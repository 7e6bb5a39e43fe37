"""The Overview has no URL parameters of its own."""

from __future__ import annotations

from app.site.params import EmptyView, parse_empty

NAME = "overview"  # the page's public name: downloads, JSON "page" field, element ids
VIEW_CLASS = EmptyView
parse = parse_empty

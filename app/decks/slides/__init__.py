"""Slides of a deck: what a slide shows (from its page), its SVG for phones, the offline deck and their routes."""

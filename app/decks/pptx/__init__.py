"""Decks and views as PowerPoint files (python-pptx): one slide per view with a native, editable chart drawn
from the slide's chart model (app/components/slide.py), the same one the SVG slides and plotly charts draw."""

"""The pages: one package each, whose ``PAGE`` (app/site/registry.py) says everything the app does with it."""

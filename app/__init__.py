"""Nordic Innovation Barometer Explorer: the dashboard. factory.py composes the feature packages below it."""

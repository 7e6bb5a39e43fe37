"""Nordic Innovation Barometer Explorer: the command line, on top of etl and app."""

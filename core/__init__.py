"""The ground floor: configuration, database access, migrations and shared errors.

Nothing here imports from etl, app or the CLI (barometer); they all build on it."""

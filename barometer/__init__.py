"""Nordic Innovation Barometer Explorer: shared configuration, database access and CLI."""

"""One module per page: ``layout(ctx)``, optional ``present(ctx)`` and ``embed(ctx)``, and its callbacks."""

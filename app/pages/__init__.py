"""One module per page, declared in registry.py: ``layout(ctx)`` and ``dataset(...)``, ``present(ctx)`` and
``embed(ctx)`` when the registry says so, and ``register_callbacks(app)`` for pages with controls."""

"""Alembic environment: the URL comes from the caller or from the project's database resolution."""

from alembic import context
from sqlalchemy import create_engine, pool

from core.database import resolve_database_url, sqlalchemy_url

config = context.config


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or resolve_database_url()
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline SQL generation is not supported; run `barometer db upgrade`.")
run_migrations_online()

"""Alembic environment: always run in-process on a connection handed over by schema.py."""

from alembic import context

from placeplanner.storage.orm import Base

connection = context.config.attributes.get("connection")
if connection is None:  # only the developer's `alembic revision --autogenerate` gets here
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite://"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

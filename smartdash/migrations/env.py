"""Alembic environment: runs on the connection smartdash hands it (see smartdash.schema)."""

from alembic import context

from smartdash.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=context.config.attributes.get("metadata", Base.metadata),
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

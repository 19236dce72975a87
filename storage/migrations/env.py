from alembic import context

from storage.migrations.env_filters import include_object
from storage.schema import Base

connection = context.config.attributes["connection"]


context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=True, include_object=include_object
)
with context.begin_transaction():
    context.run_migrations()

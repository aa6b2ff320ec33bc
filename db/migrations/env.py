from alembic import context
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.columns import AwareDateTime, EncryptedJSON, EncryptedText, TagSet

target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    """Migrations name the storage types, not our Python-side column types."""
    if type_ == "type" and isinstance(obj, EncryptedText | EncryptedJSON):
        return "sa.Text()"
    if type_ == "type" and isinstance(obj, TagSet):
        return f"sa.String(length={obj.impl.length})"
    if type_ == "type" and isinstance(obj, AwareDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and type(obj).__name__ == "AutoString":
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def run_migrations() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()

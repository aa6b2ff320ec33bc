"""sets of tags in one stored form

Roles, supervision functions, session activities and ethics areas, and muted notification kinds are sets of
codes read through the `TagSet` column type, which stores them sorted and comma-separated; this rewrites the
values stored before in another order, so that a role is matched exactly in SQL. The schema does not change.

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None

TAG_COLUMNS = {
    "user": ("id", ("roles",)),
    "supervisionassignment": ("id", ("functions",)),
    "supervisionsession": ("id", ("activities", "ethics_areas")),
    "notificationpreference": ("user_id", ("muted_kinds",)),
}


def _sorted_tags(text: str) -> str:
    return ",".join(sorted({tag.strip() for tag in text.split(",") if tag.strip()}))


def upgrade() -> None:
    connection = op.get_bind()
    for table_name, (key, names) in TAG_COLUMNS.items():
        stored = sa.table(table_name, sa.column(key), *(sa.column(name) for name in names))
        for row in connection.execute(sa.select(stored)).mappings().all():
            changed = {name: _sorted_tags(row[name]) for name in names if row[name] != _sorted_tags(row[name])}
            if changed:
                connection.execute(sa.update(stored).where(stored.c[key] == row[key]).values(**changed))


def downgrade() -> None:
    """Sorted sets read the same before this revision: nothing to undo."""

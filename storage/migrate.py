"""Alembic migrations, applied at start. A store made by a newer version of the app is refused.

Start-up compares the store's revision with ``HEAD`` using plain SQL, so Alembic itself is only imported
when there is something to migrate (a test keeps ``HEAD`` equal to the newest migration).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from core.kernel.errors import StoreError
from core.kernel.i18n import QT_TRANSLATE_NOOP

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0029"


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if exists is None:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    current = current_revision(engine)
    if current == HEAD:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError as exc:
            raise StoreError(
                QT_TRANSLATE_NOOP(
                    "core", "This database was made by a newer version of the app (schema {revision}). Update the app."
                ),
                revision=current,
            ) from exc
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    # The connection that migrated has its statement cache full of one-off statements, where the app's own would
    # be compiled again at each use (storage.db, STATEMENT_CACHE): the pool opens a fresh one instead.
    engine.dispose()


def script_heads() -> tuple[str, ...]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return tuple(ScriptDirectory.from_config(cfg).get_heads())

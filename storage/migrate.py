"""Alembic migrations, applied at start. A store made by a newer version of the app is refused."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, inspect, text

from core.errors import StoreError
from core.i18n import QT_TRANSLATE_NOOP

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    cfg = _config()
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(engine)
    if current in script.get_heads():
        return
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

"""Schema upgrades at start-up. Alembic is only imported when the database is not already at HEAD, which keeps
a normal start fast; a test checks HEAD against Alembic's own idea of the head revision."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

HEAD = "0018"
MIGRATIONS = Path(__file__).with_name("migrations")


def is_known(revision: str) -> bool:
    """A revision this version of the application ships (older or current)."""
    return any((MIGRATIONS / "versions").glob(f"{revision}_*.py"))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def alembic_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()

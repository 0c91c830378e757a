"""A real fx-bureau process for tests: its own database (a SQLite file, or a fresh PostgreSQL database), a random
loopback port, started with `python -m fx_bureau serve`, killed with SIGKILL when a test needs a crash."""
from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from fx_bureau import process
from fx_bureau.process import free_port, run_cli  # noqa: F401 - used by the tests through this module

# The role scripts/start-postgres.sh makes; CI and `make test` run that script first.
PG_ADMIN_URL = os.environ.get("FX_TEST_PG_URL", "postgresql://fxtest:fxtest@127.0.0.1:5432/postgres")
PASSWORD = "test-pass-1"


def pg_available() -> bool:
    return process.pg_available(PG_ADMIN_URL)


@dataclass
class Bureau:
    """A server process with its database: `init()` makes the schema, `start()`/`stop()`/`kill()` the process."""

    backend: str
    root: Path
    db_url: str = ""
    server: process.ServerProcess | None = None
    _pristine: str = ""  # where snapshot() keeps a copy of the database

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def port(self) -> int:
        return self.server.port

    @port.setter
    def port(self, value: int) -> None:
        self.server.port = value

    @property
    def extra_args(self) -> list[str]:
        return self.server.extra_args

    @extra_args.setter
    def extra_args(self, value: list[str]) -> None:
        self.server.extra_args = value

    def init(self) -> "Bureau":
        self.root.mkdir(parents=True, exist_ok=True)
        self.db_url = (process.create_pg_database(PG_ADMIN_URL, "fx_test") if self.backend == "postgresql"
                       else f"sqlite:///{self.root}/bureau.sqlite")
        done = run_cli("init", "--db", self.db_url)
        assert done.returncode == 0, done.stderr
        self.server = process.ServerProcess(self.db_url, self.root)
        return self

    def add_user(self, username: str, role: str, org: str | None, name: str | None = None) -> None:
        """A user of organisation `org` (a town's code for town users; None for the bureau)."""
        args = ["create-user", "--db", self.db_url, "--username", username, "--role", role,
                "--name", name or username]
        if org:
            args += ["--org", org]
        done = run_cli(*args, stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr

    def start(self, *extra: str) -> "Bureau":
        self.server.start(*extra)
        return self

    def kill(self) -> None:
        self.server.kill()

    def stop(self) -> None:
        self.server.stop()

    def close(self) -> None:
        self.stop()
        if self.backend == "postgresql" and self.db_url:
            process.drop_pg_database(PG_ADMIN_URL, self.db_url)
            if self._pristine:
                process.drop_pg_database(PG_ADMIN_URL, self._pristine)

    def snapshot(self) -> None:
        """Keep the database as it is now (the server stopped), for restore() to go back to between the examples
        of a model-based test: much cheaper than init() and create-user again."""
        self.stop()
        if self.backend == "postgresql":
            self._pristine = self.db_url + "_pristine"
            _copy_pg_database(self.db_url, self._pristine)
        else:
            self._pristine = str(self.root / "bureau.pristine.sqlite")
            shutil.copyfile(self.root / "bureau.sqlite", self._pristine)

    def restore(self) -> None:
        """Kill the server and put back the database snapshot() kept (and no blobs); start() it again after."""
        self.kill()
        if self.backend == "postgresql":
            process.drop_pg_database(PG_ADMIN_URL, self.db_url)
            _copy_pg_database(self._pristine, self.db_url)
        else:
            for suffix in ("-wal", "-shm", "-journal"):
                (self.root / f"bureau.sqlite{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self._pristine, self.root / "bureau.sqlite")
        shutil.rmtree(self.root / "blobs", ignore_errors=True)

    def sql(self, query: str, params: dict | None = None) -> list:
        """Read the server's database directly, to check what really was stored."""
        from sqlalchemy import text

        from fx_bureau.db import make_engine

        engine = make_engine(self.db_url)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(query), params or {}).all())
        finally:
            engine.dispose()


def _copy_pg_database(source_url: str, target_url: str) -> None:
    import psycopg

    source, target = (url.rsplit("/", 1)[1] for url in (source_url, target_url))
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


STANDARD_USERS = (
    ("zhang", "squad_leader", "nanqiao", "张伟"),
    ("li", "officer", "nanqiao", "李娜"),
    ("reviewer", "legal_reviewer", "nanqiao", "赵敏"),
    ("wang", "squad_leader", "fengcheng", "王强"),
    ("diao", "bureau_dispatcher", None, "刁建"),
)


def standard(backend: str, root: Path) -> Bureau:
    bureau = Bureau(backend, root).init()
    for username, role, town, name in STANDARD_USERS:
        bureau.add_user(username, role, town, name)
    return bureau


def login_headers(bureau, username: str = "zhang") -> tuple[dict, str]:
    """Log in over plain HTTP under a new client id: (the Authorization header, the client id)."""
    import requests

    client_id = str(uuid.uuid4())
    answer = requests.post(bureau.url + "/auth/login", json={"username": username, "password": PASSWORD,
                                                             "client_id": client_id}, timeout=30)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}, client_id

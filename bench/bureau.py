"""A real fx-bureau process for benchmarks and the load test (the bench's equivalent of tests/support/bureau.py,
without pytest): its own database (a SQLite file, or a fresh PostgreSQL database dropped afterwards), the schema
and reference data made in this process, users created directly through fx_bureau.accounts, and the server
started as `python -m fx_bureau serve` on a random loopback port."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from fx_bureau import process
from fx_bureau.process import free_port  # noqa: F401 - bench.sync uses it through this module

from .common import log

# Tried in this order; the first that answers is used. scripts/start-postgres.sh (`make load`, `make test`) makes
# the fxtest role; a local server with trust authentication has the postgres one.
PG_ADMIN_URLS = tuple(u for u in (os.environ.get("FX_BENCH_PG_URL"), os.environ.get("FX_TEST_PG_URL"),
                                  "postgresql://fxtest:fxtest@127.0.0.1:5432/postgres",
                                  "postgresql://postgres@127.0.0.1:5432/postgres") if u)
PASSWORD = "bench-pass-1"
START_TIMEOUT_S = 60.0


@lru_cache(maxsize=1)
def pg_admin_url() -> str | None:
    return next((u for u in PG_ADMIN_URLS if process.pg_available(u)), None)


def pg_available() -> bool:
    return pg_admin_url() is not None


class BenchBureau:
    """Use as a context manager: the server process is stopped and a PostgreSQL database dropped on exit, also
    after an error or Ctrl-C. The process itself is fx_bureau.process.ServerProcess, as the tests run it."""

    def __init__(self, backend: str, root: Path, *, password: str = PASSWORD):
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"unknown backend {backend!r}")
        self.backend, self.root, self.password = backend, Path(root), password
        self.db_url = ""
        self.server: process.ServerProcess | None = None
        self._engine = None

    # --- database -------------------------------------------------------------------------------------------

    def __enter__(self) -> "BenchBureau":
        return self.init()

    def __exit__(self, *_exc) -> None:
        self.close()

    def init(self) -> "BenchBureau":
        """Create the database, its schema (Alembic, as `fx-bureau init` does) and the reference data."""
        from fx_bureau.db import make_sessions
        from fx_bureau.schema import initialise, upgrade

        self.root.mkdir(parents=True, exist_ok=True)
        if self.backend == "postgresql":
            if pg_admin_url() is None:
                raise RuntimeError(f"PostgreSQL is not reachable at any of {', '.join(PG_ADMIN_URLS)} "
                                   "(set FX_BENCH_PG_URL)")
            self.db_url = process.create_pg_database(pg_admin_url(), "fx_bench")
        else:
            self.db_url = f"sqlite:///{self.root}/bureau.sqlite"
        try:
            upgrade(self.engine)
            with make_sessions(self.engine)[1]() as session, session.begin():
                initialise(session)
        except BaseException:
            self.close()  # __exit__ is not called when __enter__ fails: drop the new database here
            raise
        return self

    @property
    def engine(self):
        if self._engine is None:
            from fx_bureau.db import make_engine

            self._engine = make_engine(self.db_url)
        return self._engine

    def add_users(self, users: list[tuple[str, str, str | None, str]]) -> None:
        """(username, role, town or None, name) each, all with self.password, in one transaction."""
        from fx_bureau.accounts import create_user
        from fx_bureau.db import make_sessions

        with make_sessions(self.engine)[1]() as session, session.begin():
            for username, role, town, name in users:
                create_user(session, username=username, name=name, role=role, town=town, password=self.password)

    # --- process --------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.server.url

    def start(self, *extra: str) -> "BenchBureau":
        """`fx-bureau serve` with its defaults (log level INFO: one JSON line per request, with its duration, in
        server.log) plus `extra` arguments."""
        if self._engine is not None:
            self._engine.dispose()  # the server owns the database from here on; no idle connections of ours
        self.server = process.ServerProcess(self.db_url, self.root, extra_args=list(extra))
        self.server.start(timeout=START_TIMEOUT_S)
        return self

    def log_tail(self, chars: int = 3000) -> str:
        path = self.root / "server.log"
        return path.read_text("utf-8", "replace")[-chars:] if path.exists() else ""

    def request_times(self, path: str) -> list[float]:
        """Milliseconds of each request to `path` the server logged (its middleware: request in to response out)."""
        import json

        found = []
        log_path = self.root / "server.log"
        if not log_path.exists():
            return found
        with open(log_path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if '"request"' not in line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("msg") == "request" and entry.get("path") == path and "ms" in entry:
                    found.append(float(entry["ms"]))
        return found

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def close(self) -> None:
        try:
            self.stop()
        finally:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            if self.backend == "postgresql" and self.db_url:
                try:
                    process.drop_pg_database(pg_admin_url(), self.db_url)
                except Exception as exc:  # noqa: BLE001 - report, never hide the run's own outcome
                    log(f"  warning: could not drop {self.db_url}: {exc}")
                self.db_url = ""

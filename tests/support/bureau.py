"""A real fx-bureau process for tests: its own database (a SQLite file, or a fresh PostgreSQL database), a random
loopback port, started with `python -m fx_bureau serve`, killed with SIGKILL when a test needs a crash."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

PG_ADMIN_URL = os.environ.get("FX_TEST_PG_URL", "postgresql://fxtest:fxtest@127.0.0.1:5432/postgres")  # scripts/start-postgres.sh
PASSWORD = "test-pass-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001
        return False


def create_pg_database() -> str:
    import psycopg

    name = f"fx_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fx_bureau", *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


@dataclass
class Bureau:
    backend: str
    root: Path
    db_url: str = ""
    port: int = 0
    proc: subprocess.Popen | None = None
    extra_args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def init(self) -> "Bureau":
        self.root.mkdir(parents=True, exist_ok=True)
        self.db_url = create_pg_database() if self.backend == "postgresql" else f"sqlite:///{self.root}/bureau.sqlite"
        done = run_cli("init", "--db", self.db_url)
        assert done.returncode == 0, done.stderr
        return self

    def add_user(self, username: str, role: str, town: str | None, name: str | None = None) -> None:
        args = ["create-user", "--db", self.db_url, "--username", username, "--role", role,
                "--name", name or username]
        if town:
            args += ["--town", town]
        done = run_cli(*args, stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr

    def start(self, *extra: str) -> "Bureau":
        self.port = self.port or free_port()
        self.extra_args = list(extra) or self.extra_args
        log = open(self.root / "server.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fx_bureau", "serve", "--db", self.db_url, "--port", str(self.port),
             "--blob-dir", str(self.root / "blobs"), *self.extra_args], stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.root / "server.log").read_text("utf-8", "replace")[-2000:])
            try:
                if requests.get(self.url + "/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("fx-bureau did not start in 30 s")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; what was committed is all that survives."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self) -> None:
        self.stop()
        if self.backend == "postgresql" and self.db_url:
            drop_pg_database(self.db_url)

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

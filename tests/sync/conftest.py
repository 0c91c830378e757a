"""Sync tests run against a real fx-bureau process over HTTP, on SQLite and on PostgreSQL."""
from __future__ import annotations

import os

import pytest

from fx_desktop.paths import DataPaths
from fx_desktop.store import open_store
from fx_desktop.sync import account
from fx_desktop.sync.credentials import MemoryCredentials
from fx_desktop.sync.engine import SyncEngine
from fx_desktop.sync.transport import BureauClient
from tests.support.bureau import PASSWORD, pg_available, standard

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_collection_modifyitems(config, items):
    if pg_available():
        return
    if os.environ.get("FX_REQUIRE_POSTGRES"):
        raise pytest.UsageError("FX_REQUIRE_POSTGRES is set but PostgreSQL is not reachable "
                                "(scripts/start-postgres.sh starts it)")
    skip = pytest.mark.skip(reason="PostgreSQL is not running here (.ci/run starts it)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module", params=BACKENDS)
def bureau(request, tmp_path_factory):
    """One server per module and backend, with the standard users (two towns and the bureau)."""
    server = standard(request.param, tmp_path_factory.mktemp(f"bureau-{request.param}")).start()
    yield server
    server.close()


@pytest.fixture(params=BACKENDS)
def fresh_bureau(request, tmp_path):
    """A server of its own, for tests that kill or restart it."""
    server = standard(request.param, tmp_path / "bureau")
    yield server
    server.close()


class Device:
    """One fx-desktop data directory logged in as one user."""

    def __init__(self, root, server_url: str, username: str):
        self.paths = DataPaths.at(root)
        self.store = open_store(self.paths)
        self.creds = MemoryCredentials()
        self.client = BureauClient(server_url)
        self.account = account.login(self.store, self.client, self.creds, username=username, password=PASSWORD)

    @property
    def profile(self):
        return self.account.profile

    def engine(self, **options) -> SyncEngine:
        return SyncEngine(self.store, self.client, self.account, self.creds, **options)

    def sync(self, **options):
        """One SyncEngine.run; `options` go to SyncEngine (its clock `now`, page and batch sizes)."""
        engine = self.engine(**options)
        report = engine.run()
        self.account = engine.account
        return report

    def reopen(self) -> None:
        """The application started again on this data folder after it was killed: the store from its file, the
        account from the store, the refresh token from the credential store (which outlives the process)."""
        self.store.close()
        self.store = open_store(self.paths)
        self.account = account.current(self.store)
        self.client = BureauClient(self.account.server_url)
        assert account.restore_tokens(self.client, self.creds, self.account)

    def close(self):
        self.store.close()


@pytest.fixture
def device(tmp_path):
    made = []

    def make(server, username: str, name: str | None = None) -> Device:
        d = Device(tmp_path / (name or f"{username}-{len(made)}"), server.url, username)
        made.append(d)
        return d

    yield make
    for d in made:
        d.close()

"""One user with two data folders (a desktop and a laptop sharing a roaming keyring, a reinstall beside the old
folder) on one server: each folder keeps its own refresh token, so neither logs the other out, and a token of
another folder's login is recognised and never used to push. One MemoryCredentials shared by both folders stands
for the one OS keyring they share."""
from __future__ import annotations

import pytest

from fx_desktop.paths import DataPaths
from fx_desktop.services import cases
from fx_desktop.store import open_store, outbox
from fx_desktop.sync import account
from fx_desktop.sync.credentials import MemoryCredentials, legacy_token_key, token_key
from fx_desktop.sync.engine import SyncEngine
from fx_desktop.sync.transport import OTHER_DEVICE, AuthRequired, BureauClient, Tokens
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD


class Folder:
    """A data folder of user zhang whose refresh token lives in the shared `keyring`."""

    def __init__(self, root, server, keyring: MemoryCredentials):
        self.server, self.keyring = server, keyring
        self.store = open_store(DataPaths.at(root))
        self.client = BureauClient(server.url)
        self.account = account.login(self.store, self.client, keyring, username="zhang", password=PASSWORD)

    def restart(self) -> bool:
        """As the application does at start: a fresh client with the token read from the keyring."""
        self.client = BureauClient(self.server.url)
        return account.restore_tokens(self.client, self.keyring, self.account)

    def edit(self, party: str):
        return cases.create_case(self.store, self.account.profile, case_draft(party_name=party))

    def sync(self):
        engine = SyncEngine(self.store, self.client, self.account, self.keyring)
        report = engine.run()
        self.account = engine.account
        return report

    def pending(self) -> int:
        with self.store.sessions() as s:
            return outbox.pending_count(s, "zhang")


@pytest.fixture
def folders(bureau, tmp_path):
    keyring, made = MemoryCredentials(), []

    def make(name: str) -> Folder:
        made.append(Folder(tmp_path / name, bureau, keyring))
        return made[-1]

    yield make, keyring
    for f in made:
        f.store.close()


def _on_server(bureau, case_id: str) -> bool:
    return bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": case_id})[0][0] == 1


def test_two_data_folders_of_one_user_both_push_their_pending_changes(bureau, folders):
    make, keyring = folders
    desktop, laptop = make("desktop"), make("laptop")  # the laptop logs in second, on the same keyring
    assert desktop.account.client_id != laptop.account.client_id
    mine, theirs = desktop.edit("台式机的案件"), laptop.edit("笔记本的案件")
    assert desktop.restart() and laptop.restart()  # both started again later: each finds its own token
    assert keyring.get(token_key(bureau.url, "zhang", desktop.account.client_id)) != \
        keyring.get(token_key(bureau.url, "zhang", laptop.account.client_id))
    first, second = desktop.sync(), laptop.sync()
    assert first.ok and first.pushed == 1, first.summary()
    assert second.ok and second.pushed == 1, second.summary()
    assert _on_server(bureau, mine.id) and _on_server(bureau, theirs.id)
    assert desktop.pending() == laptop.pending() == 0


def test_a_token_of_another_folder_is_refused_before_anything_is_pushed(bureau, folders):
    """What happened before the per-folder key: the laptop's login overwrote the desktop's token, and the desktop
    then synced with it. Now the client sees at its first refresh that the token is bound to another client id
    and stops with a message that says what happened and what to do."""
    make, _keyring = folders
    desktop, laptop = make("desktop"), make("laptop")
    made = desktop.edit("台式机的案件")
    desktop.client = BureauClient(bureau.url)
    desktop.client.client_id = desktop.account.client_id
    desktop.client.tokens = Tokens(None, laptop.client.tokens.refresh)
    report = desktop.sync()
    assert report.outcome == "login" and report.error == OTHER_DEVICE
    assert "另一台电脑或另一个数据目录" in report.error and "重新登录" in report.error and "保留" in report.error
    assert report.pushed == 0 and desktop.pending() == 1 and not _on_server(bureau, made.id)
    assert bureau.sql("SELECT last_mutation_id FROM clients WHERE id = :c",
                      {"c": laptop.account.client_id})[0][0] == 0  # nothing pushed under the laptop's id either


def test_an_access_token_of_another_folder_is_refused_by_the_server_and_stops_the_push(bureau, folders):
    """A server that does not name the client id in its answers: the push itself is refused (client_not_yours)
    and the client treats that as logged out here, not as a failure to retry."""
    make, _keyring = folders
    desktop, laptop = make("desktop"), make("laptop")
    made = desktop.edit("台式机的案件")
    desktop.client = BureauClient(bureau.url)
    desktop.client.tokens = Tokens(laptop.client.tokens.access, laptop.client.tokens.refresh)
    report = desktop.sync()
    assert report.outcome == "login" and report.error == OTHER_DEVICE
    assert desktop.client.tokens.refresh is None and desktop.pending() == 1 and not _on_server(bureau, made.id)


def test_the_old_shared_key_moves_only_to_the_folder_whose_token_it_is(bureau, folders):
    """An installation from before the per-folder key: one entry per server and user, holding the token of the
    folder that logged in last (the laptop). The laptop adopts it without logging in again; the desktop is told
    why it must log in, and then pushes its pending change."""
    make, keyring = folders
    desktop, laptop = make("desktop"), make("laptop")
    legacy = legacy_token_key(bureau.url, "zhang")
    laptop_token = laptop.client.tokens.refresh
    for f in (desktop, laptop):
        keyring.delete(token_key(bureau.url, "zhang", f.account.client_id))
    keyring.set(legacy, laptop_token)
    mine, theirs = desktop.edit("台式机的案件"), laptop.edit("笔记本的案件")

    with pytest.raises(AuthRequired) as refused:
        desktop.restart()
    assert refused.value.message == OTHER_DEVICE
    assert keyring.get(legacy) == laptop_token  # left for the laptop
    assert desktop.pending() == 1

    assert laptop.restart()
    assert keyring.get(token_key(bureau.url, "zhang", laptop.account.client_id)) == laptop_token
    assert keyring.get(legacy) is None
    assert laptop.sync().pushed == 1 and _on_server(bureau, theirs.id)

    desktop.account = account.login(desktop.store, desktop.client, keyring, username="zhang", password=PASSWORD)
    assert desktop.sync().pushed == 1 and _on_server(bureau, mine.id)
    assert desktop.restart() and laptop.restart()  # from now on each folder keeps its own


def test_a_revoked_token_under_the_old_key_is_removed(bureau, folders):
    make, keyring = folders
    desktop = make("desktop")
    token = desktop.client.tokens.refresh
    keyring.delete(token_key(bureau.url, "zhang", desktop.account.client_id))
    keyring.set(legacy_token_key(bureau.url, "zhang"), token)
    desktop.client.logout()  # revoked on the server meanwhile
    assert not desktop.restart()
    assert keyring.get(legacy_token_key(bureau.url, "zhang")) is None

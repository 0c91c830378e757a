"""Knowing a hash is never enough to read a file: a user attaches, reads or is told "exists" about a blob only when
their town's cases use it, they are bureau staff, or they uploaded its bytes themselves (proof of possession).
Over raw HTTP against a real fx-bureau, on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import os
import uuid
from datetime import datetime

import requests
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from fx_bureau.db import make_engine
from fx_bureau.schema import MIGRATIONS
from fx_desktop.domain.case_draft import clean_to_json, validate
from fx_desktop.services import cases, evidence
from fx_desktop.sync import attachments
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD, run_cli

NANQIAO, FENGCHENG = "nanqiao", "fengcheng"


class Http:
    """One device of one user, speaking plain HTTP to the server (no fx-desktop client code)."""

    def __init__(self, bureau, username: str):
        self.url, self.client_id, self.mid = bureau.url, str(uuid.uuid4()), 0
        self.http = requests.Session()
        login = self.http.post(f"{self.url}/auth/login", timeout=30, json={
            "username": username, "password": PASSWORD, "client_id": self.client_id, "device_name": "raw"})
        assert login.status_code == 200, login.text
        self.http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"

    def start(self, sha: str, size: int) -> requests.Response:
        return self.http.post(f"{self.url}/blobs/uploads", json={"sha256": sha, "size": size}, timeout=30)

    def put(self, upload_id: str, offset: int, data: bytes) -> requests.Response:
        return self.http.put(f"{self.url}/blobs/uploads/{upload_id}", params={"offset": offset}, data=data,
                             timeout=30, headers={"X-Chunk-Sha256": hashlib.sha256(data).hexdigest(),
                                                  "Content-Type": "application/octet-stream"})

    def complete(self, upload_id: str) -> requests.Response:
        return self.http.post(f"{self.url}/blobs/uploads/{upload_id}/complete", timeout=30)

    def upload(self, sha: str, data: bytes) -> requests.Response:
        """Send `data` as the bytes of `sha` (one chunk); the answer of complete."""
        started = self.start(sha, len(data))
        assert started.status_code == 200 and started.json()["status"] == "upload", started.text
        self.upload_id = started.json()["upload_id"]
        assert self.put(self.upload_id, 0, data).status_code == 200
        return self.complete(self.upload_id)

    def get(self, sha: str, method: str = "GET", **headers) -> requests.Response:
        return self.http.request(method, f"{self.url}/blobs/{sha}", headers=headers, timeout=30)

    def push(self, name: str, args: dict) -> dict:
        """Push the next mutation; the id advances only when the server processed it."""
        answer = self.http.post(f"{self.url}/sync/push", timeout=30, json={
            "client_id": self.client_id, "client_now": datetime.now().isoformat(),
            "mutations": [{"id": self.mid + 1, "name": name, "args": args, "at": datetime.now().isoformat()}]})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        self.mid = body["last_mutation_id"]
        return body["results"][0]

    def create_case(self, town: str) -> str:
        values, officers = clean_to_json(validate(case_draft()))
        case_id = str(uuid.uuid4())
        result = self.push("create_case", {"case_id": case_id, "number": "临时", "town_code": town,
                                           "fields": values, "officers": officers})
        assert result["result"] == "applied", result
        return case_id

    def attach(self, case_id: str, sha: str, size: int) -> dict:
        return self.push("add_evidence", {"case_id": case_id, "evidence_id": str(uuid.uuid4()), "kind": "photo",
                                          "name": "现场照片.jpg", "sha256": sha, "size": size,
                                          "captured_at": None})


def _photo(size: int = 200_000) -> tuple[bytes, str]:
    data = os.urandom(size)
    return data, hashlib.sha256(data).hexdigest()


def _evidence(bureau, case_id: str) -> str:
    return str(bureau.sql("SELECT evidence FROM cases WHERE id = :i", {"i": case_id})[0][0])


def _holders(bureau, sha: str) -> list[str]:
    return sorted(r[0] for r in bureau.sql(
        "SELECT u.username FROM blob_holders h JOIN users u ON u.id = h.user_id WHERE h.sha256 = :s", {"s": sha}))


def test_a_town_b_user_who_knows_only_the_hash_gets_nothing_until_uploading_the_bytes(bureau):
    a, b, dispatcher = Http(bureau, "zhang"), Http(bureau, "wang"), Http(bureau, "diao")
    photo, sha = _photo()
    assert a.upload(sha, photo).json()["status"] == "stored"
    a_case = a.create_case(NANQIAO)
    assert a.attach(a_case, sha, len(photo))["result"] == "applied"
    stored = list((bureau.root / "blobs").rglob(sha))
    assert len(stored) == 1
    inode = stored[0].stat().st_ino
    b_case = b.create_case(FENGCHENG)

    # (1) Upload start: the same answer as for bytes the server has never seen, not "exists".
    told = b.start(sha, len(photo))
    _absent, absent_sha = _photo()
    fresh = b.start(absent_sha, len(photo))
    assert told.status_code == fresh.status_code == 200
    assert told.json()["status"] == "upload" and told.json()["received"] == 0 and told.json()["upload_id"]
    assert set(told.json()) == set(fresh.json())
    assert {k: v for k, v in told.json().items() if k != "upload_id"} == \
        {k: v for k, v in fresh.json().items() if k != "upload_id"}

    # (2) Attaching it to a town-B case: as if the server lacked the blob, nothing applied, nothing advanced,
    # and a wrong size does not reveal the real one either.
    before = b.mid
    assert b.attach(b_case, sha, len(photo)) == {"id": before + 1, "result": "missing_blob", "sha256": sha}
    assert b.attach(b_case, sha, len(photo) + 1)["result"] == "missing_blob"
    assert b.mid == before and sha not in _evidence(bureau, b_case)

    # (3) Reading: for B the very answer of an absent blob (404; HEAD is no route at all, 405 for everyone),
    # whole or in a Range; 200 for A and the bureau's dispatcher.
    for method, headers in (("GET", {}), ("GET", {"Range": "bytes=0-9"}), ("HEAD", {})):
        refused, absent = b.get(sha, method, **headers), b.get(absent_sha, method, **headers)
        assert refused.status_code == absent.status_code == (405 if method == "HEAD" else 404)
        assert refused.content == absent.content
        assert refused.headers.get("content-length") == absent.headers.get("content-length")
    assert a.get(sha, "HEAD").status_code == 405
    for reader in (a, dispatcher):
        got = reader.get(sha)
        assert got.status_code == 200 and got.content == photo
        ranged = reader.get(sha, Range="bytes=10-19")
        assert ranged.status_code == 206 and ranged.content == photo[10:20]

    # (5) Wrong bytes claiming that hash: refused, and still nothing is granted.
    wrong = b.upload(sha, bytes(reversed(photo)))
    assert wrong.status_code == 422 and wrong.json()["code"] == "hash_mismatch"
    assert b.attach(b_case, sha, len(photo))["result"] == "missing_blob"
    assert b.get(sha).status_code == 404
    assert _holders(bureau, sha) == ["zhang"]

    # (4) The real bytes: possession proved, the blob stays stored once (the same file, not rewritten).
    done = b.upload(sha, photo)
    assert done.status_code == 200 and done.json()["status"] == "stored"
    assert _holders(bureau, sha) == ["wang", "zhang"]
    stored = list((bureau.root / "blobs").rglob(sha))
    assert len(stored) == 1 and stored[0].stat().st_ino == inode
    assert not (bureau.root / "blobs" / "uploads" / f"{b.upload_id}.part").exists()
    assert bureau.sql("SELECT count(*) FROM blobs WHERE sha256 = :s", {"s": sha})[0][0] == 1
    assert b.start(sha, len(photo)).json() == {"status": "exists"}
    assert b.attach(b_case, sha, len(photo))["result"] == "applied"
    assert sha in _evidence(bureau, b_case)
    assert b.get(sha).content == photo


def test_an_upload_in_progress_is_its_uploaders_alone(bureau):
    a, b, same_town = Http(bureau, "zhang"), Http(bureau, "wang"), Http(bureau, "li")
    data, sha = _photo(100_000)
    started = a.start(sha, len(data)).json()
    assert a.put(started["upload_id"], 0, data[:40_000]).json() == {"received": 40_000}
    part = bureau.root / "blobs" / "uploads" / f"{started['upload_id']}.part"
    for other in (b, same_town):
        resumed = other.put(started["upload_id"], 40_000, data[40_000:])
        assert resumed.status_code == 404 and resumed.json()["code"] == "no_upload"
        finished = other.complete(started["upload_id"])
        assert finished.status_code == 404 and finished.json()["code"] == "no_upload"
        own = other.start(sha, len(data)).json()  # their own upload, from zero: A's progress is not told
        assert own["status"] == "upload" and own["upload_id"] != started["upload_id"] and own["received"] == 0
    assert part.stat().st_size == 40_000
    assert a.put(started["upload_id"], 40_000, data[40_000:]).json() == {"received": 100_000}
    assert a.complete(started["upload_id"]).json()["status"] == "stored"
    assert b.get(sha).status_code == 404 and same_town.get(sha).status_code == 404  # uploaded, used by no case


def test_possession_belongs_to_the_user_on_every_device_and_a_town_reads_what_its_cases_use(bureau):
    first, second = Http(bureau, "wang"), Http(bureau, "wang")
    data, sha = _photo(50_000)
    assert first.upload(sha, data).json()["status"] == "stored"
    assert second.start(sha, len(data)).json() == {"status": "exists"}
    assert second.get(sha).content == data
    case_id = second.create_case(FENGCHENG)
    assert second.attach(case_id, sha, len(data))["result"] == "applied"
    # Town A's users learn nothing of it, until one of them uploads the bytes; then their colleagues read it
    # through their town's case.
    a, colleague = Http(bureau, "zhang"), Http(bureau, "li")
    assert a.start(sha, len(data)).json()["status"] == "upload"
    assert a.upload(sha, data).json()["status"] == "stored"
    assert colleague.start(sha, len(data)).json()["status"] == "upload"
    assert a.attach(a.create_case(NANQIAO), sha, len(data))["result"] == "applied"
    assert colleague.start(sha, len(data)).json() == {"status": "exists"}
    assert colleague.get(sha).content == data


def test_an_honest_town_b_client_attaching_the_same_bytes_syncs_normally(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "wang")
    data, sha = _photo(300_000)
    photo = tmp_path / "同一张照片.jpg"
    photo.write_bytes(data)
    evidence.add_evidence(a.store, a.profile, cases.create_case(a.store, a.profile, case_draft()).id, photo)
    assert a.sync().ok
    made = cases.create_case(b.store, b.profile, case_draft(party_name="王五"))
    evidence.add_evidence(b.store, b.profile, made.id, photo)
    report = b.sync()
    assert report.ok and report.pending_after == 0, report.summary()
    assert report.uploaded == 1  # the server did not say "exists": the client sent the bytes
    assert sha in _evidence(bureau, made.id)
    assert len(list((bureau.root / "blobs").rglob(sha))) == 1
    other = device(bureau, "wang", "wang-second-device")
    assert other.sync().ok
    got = attachments.download(other.client, other.store.blobs, sha, len(data))
    assert got.read_bytes() == data


def _migrate(db_url: str, how, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            how(cfg, revision)
    finally:
        engine.dispose()


def test_blobs_stored_before_possession_was_recorded_stay_readable_where_their_cases_are(fresh_bureau):
    """No backfill: a blob a town's case used before the upgrade stays readable in that town (blob_refs); one
    uploaded but never attached is answered as absent, and its uploader's client simply uploads it again."""
    _migrate(fresh_bureau.db_url, command.downgrade, "0002")
    used, used_sha = _photo(20_000)
    orphan, orphan_sha = _photo(20_000)
    engine = make_engine(fresh_bureau.db_url)
    with engine.begin() as conn:
        for sha, data in ((used_sha, used), (orphan_sha, orphan)):
            path = fresh_bureau.root / "blobs" / sha[:2] / sha
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            conn.execute(text("INSERT INTO blobs (sha256, size, stored_at) VALUES (:s, :n, :t)"),
                         {"s": sha, "n": len(data), "t": datetime(2026, 11, 1)})
        conn.execute(text("INSERT INTO blob_refs (sha256, town_code) VALUES (:s, 'nanqiao')"), {"s": used_sha})
    engine.dispose()
    upgraded = run_cli("init", "--db", fresh_bureau.db_url)
    assert upgraded.returncode == 0, upgraded.stderr
    fresh_bureau.start()
    colleague, other_town = Http(fresh_bureau, "li"), Http(fresh_bureau, "wang")
    assert colleague.start(used_sha, len(used)).json() == {"status": "exists"}
    assert colleague.get(used_sha).content == used
    assert other_town.get(used_sha).status_code == 404
    assert other_town.start(orphan_sha, len(orphan)).json()["status"] == "upload"
    assert other_town.upload(orphan_sha, orphan).json()["status"] == "stored"
    assert other_town.attach(other_town.create_case(FENGCHENG), orphan_sha, len(orphan))["result"] == "applied"

"""Guarantee 11 and attachment faults: content-addressed, chunked, verified, resumable, Range downloads, limits."""
from __future__ import annotations

import hashlib
import os

import pytest

from fx_bureau.config import Settings
from fx_desktop.services import cases, evidence
from fx_desktop.store.models import OutboxEntry
from fx_desktop.sync import attachments
from fx_desktop.sync.transport import Refused
from tests.conftest import case_draft
from tests.support.faulty_proxy import Proxy

MB = 1024 * 1024
CHUNK = Settings.chunk_bytes  # the servers here run with the default


def _file(tmp_path, name: str, size: int, seed: int = 1) -> tuple:
    data = hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1)
    path = tmp_path / name
    path.write_bytes(data[:size])
    return path, hashlib.sha256(data[:size]).hexdigest()


def test_same_bytes_twice_are_stored_once_and_both_cases_point_at_them(bureau, device, tmp_path):
    a = device(bureau, "zhang")
    photo, sha = _file(tmp_path, "现场照片.jpg", 300_000)
    first = cases.create_case(a.store, a.profile, case_draft())
    second = cases.create_case(a.store, a.profile, case_draft(party_name="钱多"))
    evidence.add_evidence(a.store, a.profile, first.id, photo)
    evidence.add_evidence(a.store, a.profile, second.id, photo)
    report = a.sync()
    assert report.ok and report.uploaded == 1
    assert bureau.sql("SELECT count(*) FROM blobs WHERE sha256 = :s", {"s": sha})[0][0] == 1
    stored = list((bureau.root / "blobs").rglob(sha))
    assert len(stored) == 1 and hashlib.sha256(stored[0].read_bytes()).hexdigest() == sha
    for case_id in (first.id, second.id):
        assert sha in str(bureau.sql("SELECT evidence FROM cases WHERE id = :i", {"i": case_id})[0][0])


def test_a_corrupted_chunk_or_file_is_refused(bureau, device, tmp_path):
    a = device(bureau, "zhang")
    path, sha = _file(tmp_path, "a.bin", 1000)
    start = a.client.upload_start(sha, 1000)
    data = path.read_bytes()
    with pytest.raises(Refused) as err:
        a.client.upload_chunk(start["upload_id"], 0, data, hashlib.sha256(b"other").hexdigest())
    assert err.value.code == "chunk_corrupted" and err.value.extra["received"] == 0
    wrong = bytes(reversed(data))  # arrives intact chunk by chunk, but is not the file that was announced
    a.client.upload_chunk(start["upload_id"], 0, wrong, hashlib.sha256(wrong).hexdigest())
    with pytest.raises(Refused) as err:
        a.client.upload_complete(start["upload_id"])
    assert err.value.code == "hash_mismatch" and "校验" in err.value.message
    assert bureau.sql("SELECT count(*) FROM blobs WHERE sha256 = :s", {"s": sha})[0][0] == 0


def test_a_chunk_too_big_or_past_the_end_is_refused_and_none_of_it_is_kept(bureau, device, tmp_path):
    """Chunks are written while they arrive: a refused one is cut off the part file again."""
    a = device(bureau, "zhang")
    path, sha = _file(tmp_path, "c.bin", CHUNK + MB, seed=7)
    start = a.client.upload_start(sha, CHUNK + MB)
    assert start["chunk_bytes"] == CHUNK
    part = bureau.root / "blobs" / "uploads" / f"{start['upload_id']}.part"
    data = path.read_bytes()
    too_big = data[:start["chunk_bytes"] + 1]
    with pytest.raises(Refused) as err:
        a.client.upload_chunk(start["upload_id"], 0, too_big, hashlib.sha256(too_big).hexdigest())
    assert err.value.code == "chunk_too_large" and part.stat().st_size == 0
    first = data[:start["chunk_bytes"]]
    a.client.upload_chunk(start["upload_id"], 0, first, hashlib.sha256(first).hexdigest())
    past_end = data[len(first):] + b"extra"
    with pytest.raises(Refused) as err:
        a.client.upload_chunk(start["upload_id"], len(first), past_end, hashlib.sha256(past_end).hexdigest())
    assert err.value.code == "too_long" and part.stat().st_size == len(first)
    rest = data[len(first):]
    a.client.upload_chunk(start["upload_id"], len(first), rest, hashlib.sha256(rest).hexdigest())
    assert a.client.upload_complete(start["upload_id"])["status"] == "stored"


def test_a_killed_upload_resends_only_what_is_missing(bureau, device, tmp_path):
    proxy = Proxy(bureau.port).start()
    try:
        a = device(bureau, "zhang")
        video, sha = _file(tmp_path, "执法记录.mp4", 20 * MB, seed=2)
        made = cases.create_case(a.store, a.profile, case_draft())
        evidence.add_evidence(a.store, a.profile, made.id, video)
        start = a.client.upload_start(sha, 20 * MB)  # an earlier run got one chunk across, then died
        chunk = start["chunk_bytes"]
        first = video.read_bytes()[:chunk]
        a.client.upload_chunk(start["upload_id"], 0, first, hashlib.sha256(first).hexdigest())
        a.client.base_url = proxy.url
        report = a.sync()
        assert report.ok, report.summary()
        assert proxy.bytes_put("/blobs/uploads/") == 20 * MB - chunk
        assert bureau.sql("SELECT size FROM blobs WHERE sha256 = :s", {"s": sha})[0][0] == 20 * MB
    finally:
        proxy.stop()


def test_a_record_never_points_at_a_missing_blob(bureau, device):
    a = device(bureau, "zhang")
    made = cases.create_case(a.store, a.profile, case_draft())
    a.sync()
    missing = hashlib.sha256(b"never uploaded").hexdigest()
    answer = a.client.push(a.account.client_id, [{"id": 2, "name": "add_evidence", "args": {
        "case_id": made.id, "evidence_id": "e1", "kind": "photo", "name": "x.jpg", "sha256": missing, "size": 14}}],
        "2026-01-01T00:00:00")
    assert answer["results"] == [{"id": 2, "result": "missing_blob", "sha256": missing}]
    assert answer["last_mutation_id"] == 1
    assert "e1" not in str(bureau.sql("SELECT evidence FROM cases WHERE id = :i", {"i": made.id})[0][0])


def test_download_resumes_with_range_and_other_towns_cannot_read(bureau, device, tmp_path):
    a, b, other = device(bureau, "zhang"), device(bureau, "li"), device(bureau, "wang")
    path, sha = _file(tmp_path, "b.pdf", 3 * MB, seed=3)
    made = cases.create_case(a.store, a.profile, case_draft())
    evidence.add_evidence(a.store, a.profile, made.id, path)
    assert a.sync().ok and b.sync().ok
    assert not b.store.blobs.has(sha)
    target = b.store.blobs.path_for(sha)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.with_suffix(".part").write_bytes(path.read_bytes()[:MB])  # an interrupted download
    got = attachments.download(b.client, b.store.blobs, sha, 3 * MB)
    assert hashlib.sha256(got.read_bytes()).hexdigest() == sha
    with pytest.raises(Refused) as err:
        attachments.download(other.client, other.store.blobs, sha, 3 * MB)
    assert err.value.status == 404


def test_an_oversize_or_damaged_attachment_is_rejected_with_a_reason_and_the_rest_syncs(fresh_bureau, device,
                                                                                        tmp_path):
    fresh_bureau.start("--max-blob-mb", "1")
    a = device(fresh_bureau, "zhang")
    big, _ = _file(tmp_path, "大视频.mp4", 2 * MB, seed=4)
    small, small_sha = _file(tmp_path, "小照片.jpg", 1000, seed=5)
    made = cases.create_case(a.store, a.profile, case_draft())
    evidence.add_evidence(a.store, a.profile, made.id, big)
    evidence.add_evidence(a.store, a.profile, made.id, small)
    stored = a.store.blobs.path_for(small_sha)
    os.chmod(stored, 0o644)
    stored.write_bytes(b"bit rot" + stored.read_bytes()[7:])  # the local copy went bad after it was added
    later = cases.create_case(a.store, a.profile, case_draft(party_name="后来的"))
    report = a.sync()
    assert report.rejected == 2 and report.pending_after == 0, report.summary()
    with a.store.sessions() as s:
        reasons = sorted(e.reason for e in s.query(OutboxEntry).filter_by(state="rejected"))
    assert any("超过服务器允许的上限" in r for r in reasons)
    assert any("已损坏" in r for r in reasons)
    assert fresh_bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": later.id})[0][0] == 1


def test_the_server_dying_mid_upload_then_restarting_completes_the_upload(fresh_bureau, device, tmp_path):
    import threading

    fresh_bureau.start()
    proxy = Proxy(fresh_bureau.port).start()
    try:
        a = device(fresh_bureau, "zhang")
        a.client.base_url = proxy.url
        video, sha = _file(tmp_path, "长视频.mp4", 96 * MB, seed=6)
        made = cases.create_case(a.store, a.profile, case_draft())
        evidence.add_evidence(a.store, a.profile, made.id, video)
        first_chunk = proxy.add("hold_after", "/blobs/uploads/")  # the server has the first chunk, then dies
        outcome = {}
        worker = threading.Thread(target=lambda: outcome.setdefault("report", a.sync()), daemon=True)
        worker.start()
        assert first_chunk.held.wait(300)
        fresh_bureau.kill()
        first_chunk.release.set()
        worker.join(300)
        assert outcome["report"].error is not None
        fresh_bureau.start()
        report = a.sync()
        assert report.ok, report.summary()
        assert proxy.bytes_put("/blobs/uploads/") == 96 * MB  # each byte sent once: the chunk the server got is kept
        stored = next((fresh_bureau.root / "blobs").rglob(sha))
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
        assert sha in str(fresh_bureau.sql("SELECT evidence FROM cases WHERE id = :i", {"i": made.id})[0][0])
    finally:
        proxy.stop()

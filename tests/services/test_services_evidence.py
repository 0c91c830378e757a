"""Evidence files: copied into the content-addressed blob store (real files on disk), recorded with audit and outbox,
and refused with a clear Chinese message when the file is unusable."""
import errno
import hashlib
import os
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, evidence
from fx_desktop.services.profile import Profile
from fx_desktop.domain.text_cleaning import clean_name
from fx_desktop.store.blobs import BlobStore
from fx_desktop.store.models import AuditEntry, Evidence, OutboxEntry

NOW = datetime(2026, 3, 10, 9, 0)


@pytest.fixture
def case(store, profile, make_draft):
    return cases.create_case(store, profile, make_draft(), now=NOW)


@pytest.fixture
def inbox(tmp_path) -> Path:
    d = tmp_path / "用户文件"
    d.mkdir()
    return d


def blob_files(store) -> list[Path]:
    root = store.paths.blobs
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def state(store, case_id) -> dict:
    with store.sessions() as s:
        count = lambda m: s.execute(select(func.count()).select_from(m)).scalar_one()  # noqa: E731
        return {"evidence": count(Evidence), "outbox": count(OutboxEntry), "audit": count(AuditEntry),
                "version": cases.load_case(s, case_id).version, "blobs": blob_files(store)}


def test_add_file_stores_blob_and_records_it(store, profile, case, inbox):
    data = os.urandom(300_000)
    src = inbox / "现场照片 01.JPG"
    src.write_bytes(data)
    before = state(store, case.id)
    rec = evidence.add_evidence(store, profile, case.id, src, now=NOW)

    sha = hashlib.sha256(data).hexdigest()
    blob = store.paths.blobs / sha[:2] / sha
    assert blob.read_bytes() == data
    assert src.read_bytes() == data  # the original is left where it was
    assert blob_files(store) == [blob]  # and no temporary file is left behind

    (ev,) = rec.evidence
    assert (ev.kind, ev.name, ev.sha256, ev.size, ev.added_by) == ("photo", "现场照片 01.JPG", sha, len(data), "张伟")
    assert ev.captured_at == datetime.fromtimestamp(src.stat().st_mtime)
    assert rec.version == case.version + 1

    after = state(store, case.id)
    assert after["outbox"] == before["outbox"] + 1 and after["audit"] == before["audit"] + 1
    with store.sessions() as s:
        entry = s.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id.desc())).scalars().first()
    assert entry.name == "add_evidence"
    assert entry.args["case_id"] == case.id and entry.args["sha256"] == sha and entry.args["size"] == len(data)
    assert entry.args["evidence_id"] == ev.id
    assert cases.timeline(store, case.id)[-1].action == "evidence_add"
    assert cases.get_case(store, case.id).evidence == rec.evidence


@pytest.mark.parametrize("name, kind", [("视频.mp4", "video"), ("笔录.pdf", "document"), ("照片.png", "photo"),
                                        ("无扩展名", "document")])
def test_kind_is_guessed_from_name(store, profile, case, inbox, name, kind):
    src = inbox / name
    src.write_bytes(name.encode())
    assert evidence.add_evidence(store, profile, case.id, src, now=NOW).evidence[-1].kind == kind


def test_same_bytes_twice_are_stored_once(store, profile, case, inbox):
    data = b"\x89PNG same picture" * 1000
    (inbox / "a.png").write_bytes(data)
    (inbox / "b.png").write_bytes(data)
    evidence.add_evidence(store, profile, case.id, inbox / "a.png", now=NOW)
    rec = evidence.add_evidence(store, profile, case.id, inbox / "b.png", now=NOW)
    assert [e.name for e in rec.evidence] == ["a.png", "b.png"]
    assert len({e.sha256 for e in rec.evidence}) == 1
    assert len(blob_files(store)) == 1


def _refused(store, profile, case, src, words, **kw):
    before = state(store, case.id)
    with pytest.raises(DomainError) as exc:
        evidence.add_evidence(store, profile, case.id, src, now=NOW, **kw)
    assert exc.value.field == "evidence"
    assert words in exc.value.message
    assert state(store, case.id) == before
    return exc.value


def test_unusable_files_are_refused_and_nothing_recorded(store, profile, case, inbox):
    _refused(store, profile, case, inbox / "不存在.jpg", "找不到文件")
    (inbox / "空.jpg").write_bytes(b"")
    _refused(store, profile, case, inbox / "空.jpg", "空文件")
    (inbox / "照片目录").mkdir()
    _refused(store, profile, case, inbox / "照片目录", "文件夹")
    (inbox / "大.mp4").write_bytes(b"x" * 5000)
    err = _refused(store, profile, case, inbox / "大.mp4", "超过上限", limit=4096)
    assert "4.9 KB" in err.message and "4.0 KB" in err.message
    _refused(store, profile, case, inbox / "a.exe", "证据类型", kind="program")
    assert blob_files(store) == []
    # exactly at the limit is fine
    (inbox / "刚好.mp4").write_bytes(b"y" * 4096)
    assert evidence.add_evidence(store, profile, case.id, inbox / "刚好.mp4", limit=4096, now=NOW).evidence


def test_file_growing_past_limit_while_copied_leaves_no_blob(store, inbox, monkeypatch):
    """check_source saw a small file, but more bytes arrive during the copy (e.g. a recording still being written)."""
    from fx_desktop.store import blobs as blobs_module

    src = inbox / "录像.mp4"
    src.write_bytes(b"z" * 10_000)
    monkeypatch.setattr(blobs_module, "check_source", lambda path, limit: 100)
    with pytest.raises(DomainError, match="复制过程中"):
        store.blobs.put_file(src, limit=4096)
    assert blob_files(store) == []


def test_names_cannot_escape(store, profile, case, inbox, tmp_path):
    tricky = inbox / "..\\..\\证据.jpg"  # backslashes are ordinary characters in a Linux file name
    tricky.write_bytes(b"tricky")
    hidden = inbox / "..隐藏.txt"
    hidden.write_bytes(b"hidden")
    evidence.add_evidence(store, profile, case.id, tricky, now=NOW)
    rec = evidence.add_evidence(store, profile, case.id, hidden, now=NOW)
    assert [e.name for e in rec.evidence] == ["证据.jpg", "隐藏.txt"]
    assert all("/" not in e.name and "\\" not in e.name and not e.name.startswith(".") for e in rec.evidence)

    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("..") == "未命名文件" and clean_name("a\x00b\nc.txt") == "abc.txt"

    opened = tmp_path / "opened"
    sha = rec.evidence[0].sha256
    for name in ("../../逃逸.txt", "..\\..\\逃逸.txt", "/etc/cron.d/x", "..", "子目录/../../x.jpg"):
        out = store.blobs.export_named(sha, name, opened)
        assert out.resolve().parent == (opened / sha[:16]).resolve()
        assert out.read_bytes() == b"tricky"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "opened", "用户文件"]


def test_export_refuses_malformed_digest_before_touching_disk(store, tmp_path):
    target = tmp_path / "opened"
    for bad in ("../escaped" + "0" * 54, "A" * 64, "abc"):
        with pytest.raises(ValueError):
            store.blobs.export_named(bad, "x.jpg", target)
    assert not target.exists()
    assert not (tmp_path / "escaped000000").exists()  # where "../escaped…"[:16] would have pointed


def test_disk_full_is_explained_and_case_unchanged(store, profile, case, inbox, monkeypatch):
    # A real full disk cannot be made here (no small tmpfs or loop device in the test environment), so the blob
    # store's copy is made to fail the way a full disk makes it fail: OSError with errno ENOSPC.
    def full(self, source, limit=0, progress=None):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(BlobStore, "put_file", full)
    (inbox / "照片.jpg").write_bytes(b"photo")
    before = state(store, case.id)
    err = _refused(store, profile, case, inbox / "照片.jpg", "磁盘空间不足")
    assert "不受影响" in err.message
    assert cases.get_case(store, case.id).evidence == [] and state(store, case.id) == before


def test_other_os_errors_are_explained(store, profile, case, inbox, monkeypatch):
    def denied(self, source, limit=0, progress=None):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(BlobStore, "put_file", denied)
    (inbox / "照片.jpg").write_bytes(b"photo")
    err = _refused(store, profile, case, inbox / "照片.jpg", "无法读取文件")
    assert "照片.jpg" in err.message


def test_other_town_cannot_add_evidence_and_nothing_is_copied(store, case, inbox):
    (inbox / "照片.jpg").write_bytes(b"photo")
    town_b = Profile("user-b", "李娜", Role.SQUAD_LEADER, "fengcheng")
    with pytest.raises(DomainError, match="无权修改"):
        evidence.add_evidence(store, town_b, case.id, inbox / "照片.jpg", now=NOW)
    assert blob_files(store) == []


def test_progress_follows_the_copy_and_closed_cases_take_no_evidence(store, profile, case, inbox, monkeypatch):
    import fx_desktop.store.blobs as blobs_module
    from fx_desktop.domain.lifecycle import CaseStatus

    monkeypatch.setattr(blobs_module, "CHUNK", 1000)
    big = inbox / "视频.mp4"
    big.write_bytes(os.urandom(4500))
    seen: list[int] = []
    evidence.add_evidence(store, profile, case.id, big, progress=seen.append)
    assert seen == [1000, 2000, 3000, 4000, 4500]
    cases.change_status(store, profile, case.id, "not_file", expected_status=CaseStatus.CLUE)
    before = state(store, case.id)
    err = _refused(store, profile, case, big, "不能再添加证据")
    assert "不予立案" in err.message and state(store, case.id) == before


def test_long_chinese_names_are_shortened_before_the_extension_and_copies_are_read_only(store, tmp_path):
    long = "现场照片" * 40 + ".jpg"  # 160 characters, 483 bytes in UTF-8: too long for a file name
    name = clean_name(long)
    assert len(name.encode("utf-8")) <= 240 and name.endswith(".jpg") and name.startswith("现场照片")
    src = tmp_path / "a.jpg"
    src.write_bytes(b"jpeg bytes")
    blob = store.blobs.put_file(src)
    exported = store.blobs.export_named(blob.sha256, long, tmp_path / "opened")
    assert exported.read_bytes() == b"jpeg bytes" and not (exported.stat().st_mode & 0o222)

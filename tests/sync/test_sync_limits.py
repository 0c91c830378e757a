"""Size limits and cleaning on a real fx-bureau over raw HTTP (SQLite and PostgreSQL): the request-body limit
(413, by Content-Length and by counting a chunked body), the text limits (a too-long text rejects its mutation
with the Chinese reason), and names and texts stored clean whatever a client sends."""
from __future__ import annotations

import hashlib
import json
import random
import socket
import time
import uuid
from datetime import datetime

import requests

from fx_bureau.config import Settings
from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.case_draft import clean_to_json, validate
from fx_desktop.domain.text_limits import TEXT_LIMITS
from fx_desktop.services import cases, demo_drafts
from fx_desktop.store.models import OutboxEntry
from fx_desktop.sync.transport import BureauClient
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD
from tests.sync.test_sync_legal_review import notified_case

MB = 1024 * 1024
NASTY_NAMES = {
    "../../x": "x",
    "/etc/passwd": "passwd",
    "..\\..\\windows\\system32\\证据.jpg": "证据.jpg",
    "a\x00b.jpg": "ab.jpg",
    "invoice\u202egpj.exe": "invoicegpj.exe",  # shows as "invoiceexe.jpg" with the override
    "\u2066现场\u2069照片\u200f.png": "现场照片.png",
    "..": "未命名文件",
    "  \x07 ": "未命名文件",
}


class Raw:
    """One logged-in client speaking plain HTTP, numbering its own mutations."""

    def __init__(self, bureau, username: str):
        self.url = bureau.url
        self.client = BureauClient(bureau.url)
        self.client_id = str(uuid.uuid4())
        self.client.login(username, PASSWORD, self.client_id, "raw")
        self.next_id = 1

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.client.tokens.access}"}

    def push(self, *mutations: tuple[str, dict]) -> list[dict]:
        body = {"client_id": self.client_id, "client_now": datetime.now().isoformat(), "mutations": []}
        for name, args in mutations:
            body["mutations"].append({"id": self.next_id, "name": name, "args": args,
                                      "at": datetime.now().isoformat()})
            self.next_id += 1
        answer = requests.post(f"{self.url}/sync/push", json=body, headers=self.auth, timeout=60)
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]

    def pulled_case(self, case_id: str) -> dict:
        cursor, found = None, None
        while True:
            params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
            page = requests.get(f"{self.url}/sync/pull", params=params, headers=self.auth, timeout=60).json()
            found = next((c for c in page["changes"] if c.get("id") == case_id), found)
            cursor = page["cursor"]
            if not page.get("more"):
                return found


def _create_args(**fields) -> dict:
    values, officers = clean_to_json(validate(case_draft()))
    values.update(fields)
    return {"case_id": str(uuid.uuid4()), "number": "临时", "town_code": "nanqiao", "fields": values,
            "officers": officers}


def test_limits_are_published(bureau):
    limits = requests.get(f"{bureau.url}/limits", timeout=10).json()
    assert limits["max_request_bytes"] == Settings.max_request_bytes == 8 * MB
    assert limits["chunk_bytes"] == Settings.chunk_bytes
    assert limits["text_limits"]["facts"] == TEXT_LIMITS["facts"].max_chars == 20_000
    assert limits["text_limits"]["review_opinion"] == 20_000 and limits["text_limits"]["party_name"] == 200
    assert limits["max_name_bytes"] == 240 and "evidence_name" not in limits["text_limits"]  # bytes, not characters


def test_a_body_over_the_limit_is_refused_by_its_declared_length(bureau):
    raw = Raw(bureau, "zhang")
    body = json.dumps({"client_id": raw.client_id, "mutations": [], "pad": "x" * (8 * MB)}).encode()
    answer = requests.post(f"{bureau.url}/sync/push", data=body, timeout=60,
                           headers={**raw.auth, "Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large" and "超过服务器允许的上限 8 MB" in answer.json()["message"]
    login = requests.post(f"{bureau.url}/auth/login", data=b"{" + b" " * (9 * MB) + b"}", timeout=60,
                          headers={"Content-Type": "application/json"})  # before any login: no token needed
    assert login.status_code == 413 and login.json()["code"] == "too_large"


def _log_lines(bureau, after: int = 0) -> list[dict]:
    """The server's JSON log lines from line `after` on (the bureau may be shared with other tests)."""
    lines = bureau.server.log_path.read_text("utf-8", "replace").splitlines()[after:]
    return [json.loads(line) for line in lines if line.startswith("{") and line.endswith("}")]


def test_a_client_that_leaves_mid_body_is_not_an_internal_error(bureau):
    """A push cancelled while its body is sent (the user closed the laptop) ends quietly: no 500, no traceback."""
    seen = len(bureau.server.log_path.read_text("utf-8", "replace").splitlines())
    with socket.create_connection(("127.0.0.1", bureau.port), timeout=30) as s:
        s.sendall(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 1000\r\n\r\n" + b'{"username"')
    deadline = time.monotonic() + 30  # waits for the line the server writes once it has seen the disconnect
    while not any(e.get("path") == "/auth/login" for e in _log_lines(bureau, seen)) and time.monotonic() < deadline:
        assert requests.get(f"{bureau.url}/health", timeout=30).ok
    logged = [e for e in _log_lines(bureau, seen) if e.get("path") == "/auth/login"]
    assert [(e["msg"], e.get("status")) for e in logged] == [("request", 400)], logged
    assert not [e for e in _log_lines(bureau, seen) if e["level"] in ("error", "critical") or "exc" in e]
    assert requests.get(f"{bureau.url}/health", timeout=30).ok


def test_a_chunked_body_is_counted_as_it_arrives(bureau):
    raw = Raw(bureau, "zhang")
    sent = []

    def pieces(total: int):
        yield b'{"client_id": "%s", "mutations": [], "pad": "' % raw.client_id.encode()
        for _ in range(total // MB):
            sent.append(MB)
            yield b"x" * MB
        yield b'"}'

    answer = requests.post(f"{bureau.url}/sync/push", data=pieces(64 * MB), timeout=60,
                           headers={**raw.auth, "Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["code"] == "too_large"
    small = requests.post(f"{bureau.url}/sync/push", data=pieces(MB), timeout=60,
                          headers={**raw.auth, "Content-Type": "application/json"})
    assert small.status_code == 200 and small.json()["results"] == []  # a chunked body under the limit is served


def test_an_upload_chunk_of_the_full_chunk_size_passes_and_one_byte_more_is_refused(bureau):
    raw = Raw(bureau, "zhang")
    data = random.Random(3).randbytes(Settings.chunk_bytes + 1)
    start = raw.client.upload_start(hashlib.sha256(data).hexdigest(), len(data))
    too_big = requests.put(f"{bureau.url}/blobs/uploads/{start['upload_id']}", params={"offset": 0}, data=data,
                           headers=raw.auth, timeout=60)
    assert too_big.status_code == 413 and too_big.json()["code"] == "chunk_too_large"
    chunk = data[:Settings.chunk_bytes]
    done = raw.client.upload_chunk(start["upload_id"], 0, chunk, hashlib.sha256(chunk).hexdigest())
    assert done["received"] == len(chunk)


def test_500_realistic_mutations_fit_in_one_push(bureau):
    raw = Raw(bureau, "zhang")
    rng = random.Random(5)
    officers = demo_drafts.officer_pool(rng)
    mutations = []
    for _ in range(500):
        draft = demo_drafts.draft(rng, "nanqiao", rng.sample(officers, 2))
        draft.facts = draft.facts * 3  # a longer account than the demo's
        values, offs = clean_to_json(validate(draft))
        mutations.append(("create_case", {"case_id": str(uuid.uuid4()), "number": "临时编号20261129-0001",
                                          "town_code": "nanqiao", "fields": values, "officers": offs}))
    size = len(json.dumps([{"id": 1, "name": n, "args": a, "at": datetime.now().isoformat()} for n, a in mutations]))
    assert size < Settings.max_request_bytes / 4  # measured about 0.9 MB: room for much longer texts
    results = raw.push(*mutations)
    assert [r["result"] for r in results] == ["applied"] * 500


def test_8_mib_of_facts_is_refused_and_a_text_over_its_limit_rejects_the_mutation(bureau):
    raw = Raw(bureau, "zhang")
    huge = _create_args(facts="违" * (8 * MB // 3))  # 8 MiB of UTF-8, 16 MiB on the wire as JSON escapes
    answer = requests.post(f"{bureau.url}/sync/push", json={"client_id": raw.client_id, "mutations": [
        {"id": 1, "name": "create_case", "args": huge}]}, headers=raw.auth, timeout=60)
    assert answer.status_code == 413
    over = _create_args(facts="违" * 20_001)
    fine = _create_args(facts="违" * 20_000)
    results = raw.push(("create_case", over), ("create_case", fine))
    assert results[0]["result"] == "rejected"
    assert "“违法事实”不能超过 20000 个字，现有 20001 个字" in results[0]["reason"]
    assert results[1]["result"] == "applied"
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": over["case_id"]})[0][0] == 0
    edit = raw.push(("update_case", {"case_id": fine["case_id"], "changed_fields": {"place": "路" * 201},
                                     "base": {"place": fine["fields"]["place"]}}))
    assert edit[0]["result"] == "rejected" and "“案发地点”不能超过 200 个字，现有 201 个字" in edit[0]["reason"]


def test_names_and_texts_are_stored_clean_whatever_the_client_sends(bureau):
    raw = Raw(bureau, "zhang")
    data = b"evidence bytes"
    sha = hashlib.sha256(data).hexdigest()
    start = raw.client.upload_start(sha, len(data))
    if start["status"] == "upload":
        raw.client.upload_chunk(start["upload_id"], 0, data, sha)
        raw.client.upload_complete(start["upload_id"])
    created = _create_args(facts="第一行\r\n第二行\x00\u202e隐藏\u202c", cause="违法\u2067搭建\u2069\n构筑物",
                           party_name="李\u200b建国")
    mutations = [("create_case", created)]
    for name in NASTY_NAMES:
        mutations.append(("add_evidence", {"case_id": created["case_id"], "evidence_id": str(uuid.uuid4()),
                                           "kind": "photo", "name": name, "sha256": sha, "size": len(data)}))
    mutations.append(("update_case", {"case_id": created["case_id"], "changed_fields": {"place": "\u202e路\x00口"},
                                      "base": {"place": created["fields"]["place"]}}))
    assert [r["result"] for r in raw.push(*mutations)] == ["applied"] * len(mutations)
    case = Raw(bureau, "li").pulled_case(created["case_id"])  # another user's device sees it clean
    assert [e["name"] for e in case["evidence"]] == list(NASTY_NAMES.values())
    assert case["fields"]["facts"] == "第一行\n第二行隐藏"
    assert case["fields"]["cause"] == "违法搭建 构筑物" and case["fields"]["party_name"] == "李建国"
    assert case["fields"]["place"] == "路口"


def _store_uncleaned(bureau, case_id: str, **values) -> None:
    """Field values as a server stored them before it cleaned text (written behind the server's back)."""
    from sqlalchemy import select, update

    from fx_bureau.db import make_engine
    from fx_bureau.models import Case

    engine = make_engine(bureau.db_url)
    try:
        with engine.begin() as conn:
            fields = conn.execute(select(Case.fields).where(Case.id == case_id)).scalar_one()
            conn.execute(update(Case).where(Case.id == case_id).values(fields={**fields, **values}))
    finally:
        engine.dispose()


def test_an_edit_of_a_value_stored_before_cleaning_is_no_conflict(bureau):
    """The client's base is cleaned; so is the server's value before the two are compared, so "a\r\nb " stored
    by an older server equals the base "a\nb" a client holds of it."""
    raw = Raw(bureau, "zhang")
    created = _create_args()
    assert raw.push(("create_case", created))[0]["result"] == "applied"
    _store_uncleaned(bureau, created["case_id"], facts="　　第一段\r\n　　第二段  ", place=" 某路 1 号\t")
    edit = raw.push(("update_case", {"case_id": created["case_id"],
                                     "changed_fields": {"facts": "　　第一段\n　　改后", "place": "某路 2 号"},
                                     "base": {"facts": "　　第一段\n　　第二段", "place": "某路 1 号"}}))[0]
    assert edit["result"] == "applied", edit
    case = raw.pulled_case(created["case_id"])
    assert case["fields"]["facts"] == "　　第一段\n　　改后" and case["fields"]["place"] == "某路 2 号"


def test_review_texts_are_cleaned_and_held_to_their_limits(bureau, device):
    leader = device(bureau, "zhang")
    case_id = notified_case(leader)
    officer = Raw(bureau, "li")
    materials = ["case_file", "officer_opinion", "draft_decision", "request_report"]
    too_long = officer.push(("submit_review", {"case_id": case_id, "review_id": str(uuid.uuid4()),
                                               "expected_state": "notified", "materials": materials,
                                               "report": "审" * 20_001}))
    assert too_long[0]["result"] == "rejected"
    assert "“法制审核申请报告”不能超过 20000 个字，现有 20001 个字" in too_long[0]["reason"]
    review_id = str(uuid.uuid4())
    assert officer.push(("submit_review", {"case_id": case_id, "review_id": review_id, "expected_state": "notified",
                                           "materials": materials, "report": "提请\u202e审核\x00。\r\n"}))[0][
        "result"] == "applied"
    reviewer = Raw(bureau, "reviewer")
    criteria = {k: {"passed": True, "note": ""} for k, _ in lr.CRITERIA}
    long_note = reviewer.push(("record_review", {"case_id": case_id, "review_id": review_id, "outcome": "agree",
                                                 "opinion": "同意。", "criteria": {
                                                     **criteria, "facts": {"passed": True, "note": "注" * 2001}}}))
    assert long_note[0]["result"] == "rejected"
    assert "审核项“事实清楚”的说明不能超过 2000 个字，现有 2001 个字" in long_note[0]["reason"]
    assert reviewer.push(("extend_review", {"case_id": case_id, "review_id": review_id,
                                            "reason": "\u2066案情复杂\u2069\x07"}))[0]["result"] == "applied"
    assert reviewer.push(("record_review", {"case_id": case_id, "review_id": review_id, "outcome": "agree",
                                            "opinion": "同意\u202e。", "criteria": {
                                                **criteria, "facts": {"passed": True, "note": "清楚\x00"}}}))[0][
        "result"] == "applied"
    (review,) = reviewer.pulled_case(case_id)["reviews"]
    assert review["report"] == "提请审核。" and review["extension_reason"] == "案情复杂"
    assert review["opinion"] == "同意。" and review["criteria"]["facts"]["note"] == "清楚"


def test_the_engine_cuts_its_pushes_to_what_the_server_takes(fresh_bureau, device):
    """A server with a smaller request limit than the client assumes: pushes are halved until they fit, and a
    change too large to fit alone is rejected with the server's reason instead of blocking the queue."""
    fresh_bureau.start("--max-request-mb", "0.05")
    a = device(fresh_bureau, "zhang")
    small = cases.create_case(a.store, a.profile, case_draft(party_name="钱多"))
    big = cases.create_case(a.store, a.profile, case_draft(facts="违" * 20_000))  # ~60 KB of UTF-8
    after = cases.create_case(a.store, a.profile, case_draft(party_name="孙立"))
    report = a.sync()
    assert report.rejected == 1 and report.pending_after == 0
    with a.store.sessions() as s:
        states = {e.case_id: (e.state, e.reason) for e in s.query(OutboxEntry)}
    assert states[big.id][0] == "rejected" and "请求内容超过服务器允许的上限" in states[big.id][1]
    on_server = {r[0] for r in fresh_bureau.sql("SELECT id FROM cases")}
    assert small.id in on_server and after.id in on_server and big.id not in on_server

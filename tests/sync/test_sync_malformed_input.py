"""Malformed requests over raw HTTP against a real fx-bureau (SQLite and PostgreSQL): a wrong-shaped mutation is
rejected with a Chinese reason and the queue moves on, times with offsets are accepted and nonsense refused, a
garbage Authorization header is 401, and every error answer is {"code", "message"}."""
from __future__ import annotations

import http.client
import json
import socket
import threading
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from fx_desktop.domain.case_draft import clean_to_json, validate
from fx_desktop.sync.transport import BureauClient, Refused
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD, login_headers


_login = login_headers


def _create(mid: int, at: str | None = None, case_id: str | None = None) -> dict:
    values, officers = clean_to_json(validate(case_draft()))
    m = {"id": mid, "name": "create_case", "args": {"case_id": case_id or str(uuid.uuid4()), "number": "临时",
                                                    "town_code": "nanqiao", "fields": values, "officers": officers}}
    if at is not None:
        m["at"] = at
    return m


def _push(bureau, headers, client_id, mutations, client_now=None) -> requests.Response:
    body = {"client_id": client_id, "mutations": mutations}
    if client_now is not None:
        body["client_now"] = client_now
    return requests.post(bureau.url + "/sync/push", json=body, headers=headers, timeout=60)


def _problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("code"), str) and body["code"]
    assert isinstance(body.get("message"), str) and any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])
    return body


def test_wrong_shaped_mutations_are_rejected_with_a_reason_and_the_next_one_applies(bureau):
    headers, cid = _login(bureau)
    good = _create(1)
    existing = good["args"]["case_id"]
    assert _push(bureau, headers, cid, [good]).json()["results"][0]["result"] == "applied"
    bad_fields = _create(4)
    bad_fields["args"]["fields"] = "火灾"  # a string where an object is expected: was a 500
    bad_officers = _create(7)
    bad_officers["args"]["officers"] = [["王伟"]]
    poison = [
        {"id": 2, "name": "update_case", "args": "把地址改成南桥"},
        {"id": 3, "name": "update_case", "args": [existing, {"place": "x"}]},
        bad_fields,
        {"id": 5, "name": "update_case", "args": {"changed_fields": {"place": "某路 1 号"}}},
        {"id": 6, "name": "merge_cases", "args": {"case_id": existing}},
        bad_officers,
        {"id": 8, "name": "transition_case", "args": {"case_id": existing, "action": ["file"],
                                                      "expected_state": "clue"}},
        {"id": 9, "name": "delete_case", "args": {"case_id": "x" * 500}},
        {"id": 10, "name": "x" * 200, "args": {}},
        {"id": 11, "name": "delete_case"},
    ]
    after = {"id": 12, "name": "update_case", "args": {"case_id": existing, "changed_fields": {"place": "改后地址"},
                                                       "base": {"place": good["args"]["fields"]["place"]}}}
    answer = _push(bureau, headers, cid, [*poison, after])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    results = {r["id"]: r for r in body["results"]}
    assert body["last_mutation_id"] == 12
    assert [results[i]["result"] for i in range(2, 12)] == ["rejected"] * 10
    assert results[12]["result"] == "applied"
    expected = {2: "参数应为对象，收到的是文本", 3: "参数应为对象，收到的是列表", 4: "fields 应为对象", 5: "缺少 case_id",
                6: "不认识“merge_cases”", 7: "officers[0] 应为 [姓名, 执法证号]", 8: "action 应为文本",
                9: "case_id 应为标识（UUID", 10: "不认识“xxxx", 11: "参数应为对象，收到的是空值"}
    for mid, words in expected.items():
        assert words in results[mid]["reason"], (mid, results[mid]["reason"])
        assert "变更参数不正确" in results[mid]["reason"] or mid in (6, 10)
    stored = dict(bureau.sql("SELECT mutation_id, reason FROM mutation_log WHERE client_id = :c AND "
                             "result = 'rejected'", {"c": cid}))
    assert stored == {mid: results[mid]["reason"] for mid in range(2, 12)}
    place = bureau.sql("SELECT fields FROM cases WHERE id = :i", {"i": existing})[0][0]
    assert (place if isinstance(place, dict) else json.loads(place))["place"] == "改后地址"
    again = _push(bureau, headers, cid, [{"id": 2, "name": "update_case", "args": "把地址改成南桥"}]).json()
    assert again["results"][0]["result"] == "already_processed" and again["results"][0]["outcome"] == "rejected"


def test_times_with_a_utc_offset_are_accepted_and_converted_to_local_time(bureau):
    headers, cid = _login(bureau)
    acted = datetime.now(timezone(timedelta(hours=8))).replace(microsecond=0) - timedelta(hours=3)
    utc = acted.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    answer = _push(bureau, headers, cid, [_create(1, at=acted.isoformat()), _create(2, at=utc)],
                   client_now=datetime.now(timezone.utc).isoformat())
    assert answer.status_code == 200, answer.text
    assert [r["result"] for r in answer.json()["results"]] == ["applied", "applied"]
    assert answer.json()["warnings"] == []  # the offset was understood: no clock skew
    local = acted.astimezone().replace(tzinfo=None)
    for r in answer.json()["results"]:
        created = bureau.sql("SELECT created_at FROM cases WHERE id = :i", {"i": r["case_id"]})[0][0]
        created = created if isinstance(created, datetime) else datetime.fromisoformat(created)
        assert created == local


def test_a_nonsense_client_now_is_422_bad_time_and_nothing_is_applied(bureau):
    headers, cid = _login(bureau)
    m = _create(1)
    for nonsense in ("yesterday", "2026-13-45T99:00:00", "0001-01-01T00:00:00+14:00", "\ud800", "x\ud800\x00y"):
        body = _problem(_push(bureau, headers, cid, [m], client_now=nonsense), 422)
        assert body["code"] == "bad_time" and "client_now" in body["message"] and "ISO 8601" in body["message"]
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": m["args"]["case_id"]})[0][0] == 0
    assert bureau.sql("SELECT last_mutation_id FROM clients WHERE id = :c", {"c": cid})[0][0] == 0


def test_a_nonsense_time_of_one_mutation_rejects_that_mutation_only(bureau):
    """A mutation's `at` travels with it in the outbox: were it a 422, the client would send the same batch
    again and again and everything behind it would wait, so it is that mutation's rejection."""
    headers, cid = _login(bureau)
    answer = _push(bureau, headers, cid, [_create(1, at="下午三点"), _create(2, at="9999-12-31T23:59:59-12:00"),
                                          _create(3, at=datetime.now().isoformat())])
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["result"] for r in results] == ["rejected", "rejected", "applied"]
    assert "变更时间（at）“下午三点”不是有效的 ISO 8601 时间" in results[0]["reason"]


def test_a_wrong_typed_time_or_name_rejects_that_mutation_only(bureau):
    """`at: 5` is as much a wrong time as `at: "garbage"`, and a name that is not text as much an unknown one:
    the mutation is rejected with a Chinese reason, the rest of the push goes on (was a 422 for all of it)."""
    headers, cid = _login(bureau)
    numbered = _create(1)
    numbered["at"] = 5
    listed = _create(2)
    listed["at"] = ["2026-11-29"]
    named = _create(3)
    named["name"] = 5
    unhashable = _create(4)
    unhashable["name"] = ["create_case"]
    nameless = _create(5)
    del nameless["name"]
    answer = _push(bureau, headers, cid, [numbered, listed, named, unhashable, nameless, _create(6)])
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["result"] for r in results] == ["rejected"] * 5 + ["applied"]
    assert "变更时间（at）应为 ISO 8601 格式的文本" in results[0]["reason"] and "收到的是整数" in results[0]["reason"]
    assert "收到的是列表" in results[1]["reason"]
    assert "变更名称应为文本" in results[2]["reason"] and "收到的是整数" in results[2]["reason"]
    assert "收到的是列表" in results[3]["reason"] and "收到的是空值" in results[4]["reason"]


def test_an_update_s_base_version_is_bounded_and_otherwise_not_read(bureau):
    """The merge is field by field: any version the desktop client sends (the one its editor loaded) merges the
    same way; one no version column could hold rejects the edit (was taken unbounded)."""
    headers, cid = _login(bureau)
    created = _create(1)
    place = created["args"]["fields"]["place"]
    edits = [{"id": 2 + i, "name": "update_case", "args": {
        "case_id": created["args"]["case_id"], "changed_fields": {"place": f"新地址 {i} 号"},
        "base": {"place": place}, "base_version": version}} for i, version in enumerate((10**30, 0, "1"))]
    edits.append({"id": 5, "name": "update_case", "args": {**edits[0]["args"], "base_version": 7}})
    edits.append({"id": 6, "name": "update_case", "args": {
        "case_id": created["args"]["case_id"], "changed_fields": {"place": "再改"}, "base": {"place": "新地址 0 号"},
        "base_version": None}})
    results = _push(bureau, headers, cid, [created, *edits]).json()["results"]
    assert [r["result"] for r in results] == ["applied", "rejected", "rejected", "rejected", "applied", "applied"]
    assert "base_version" in results[1]["reason"] and "base_version 应为整数" in results[3]["reason"]


def test_request_validation_errors_say_code_and_message_in_chinese(bureau):
    headers, cid = _login(bureau)
    body = _problem(requests.post(bureau.url + "/sync/push", data=b"{not json", headers={
        **headers, "Content-Type": "application/json"}, timeout=30), 422)
    assert body["code"] == "bad_request"
    body = _problem(_push(bureau, headers, cid, [{"name": "create_case", "args": {}}]), 422)
    assert body["code"] == "bad_request" and "mutations[0].id" in body["message"] and "缺少" in body["message"]
    body = _problem(_push(bureau, headers, cid, [{"id": 0, "name": "create_case", "args": {}}]), 422)
    assert "mutations[0].id 应不小于 1" in body["message"]
    body = _problem(requests.get(bureau.url + "/sync/pull", params={"limit": "many"}, headers=headers,
                                 timeout=30), 422)
    assert "limit 应为整数" in body["message"]
    _problem(requests.get(bureau.url + "/no/such/route", timeout=30), 404)
    not_allowed = requests.delete(bureau.url + "/sync/push", timeout=30)
    _problem(not_allowed, 405)
    assert not_allowed.headers["Allow"] == "POST"


def _raw_get(bureau, path: str, authorization: bytes) -> tuple[int, dict]:
    """Header bytes exactly as given: HTTP libraries refuse to send non-ASCII header values themselves."""
    with socket.create_connection(("127.0.0.1", bureau.port), timeout=30) as sock:
        sock.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                     + b"\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(payload)


@pytest.mark.parametrize("authorization", [
    "Bearer 你好".encode("utf-8"), "Bearer v1.\xe9t\xe9.\xff".encode("latin-1"), b"Bearer \xff\xfe\x80", b"Bearer",
    b"Bearer ", b"Bearer v1..", b"Bearer v1.a.b.c", b"Bearer v1.e30.abc", b"Basic dXNlcjpwYXNz", b"bearer x",
    b"Bearer v1.!!!!.????", b"Bearer " + b"A" * 5000,
])
def test_a_malformed_authorization_header_is_401(bureau, authorization):
    for path in ("/me", "/sync/digest", "/sync/pull"):
        status, body = _raw_get(bureau, path, authorization)
        assert status == 401, (path, authorization, body)
        assert body["code"] in ("not_authenticated", "token_invalid") and body["message"]


def test_a_nul_byte_in_a_header_is_a_bad_http_request_never_a_server_error(bureau):
    """h11 (uvicorn) refuses such a request before the application sees it: 400, as HTTP says."""
    with socket.create_connection(("127.0.0.1", bureau.port), timeout=30) as sock:
        sock.sendall(b"GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \x00\r\nConnection: close\r\n\r\n")
        assert sock.recv(65536).split(b" ")[1] == b"400"


def test_a_forged_token_with_a_valid_signature_shape_but_odd_payload_is_401(bureau):
    """http.client sends str header values as latin-1: characters the client's own libraries would refuse."""
    conn = http.client.HTTPConnection("127.0.0.1", bureau.port, timeout=30)
    try:
        conn.putrequest("GET", "/me")
        conn.putheader("Authorization", "Bearer v1.\u00e4\u00f6\u00fc.\u00df")
        conn.endheaders()
        response = conn.getresponse()
        body = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 401 and body["code"] == "token_invalid"


def test_nul_characters_and_huge_numbers_are_never_a_server_error(bureau):
    """PostgreSQL cannot store a NUL character; that is the request's fault, not a transient failure (503 would
    have the client send it again forever)."""
    headers, cid = _login(bureau)
    login = requests.post(bureau.url + "/auth/login", json={"username": "zh\x00ang", "password": PASSWORD,
                                                            "client_id": str(uuid.uuid4())}, timeout=30)
    assert login.status_code in (401, 422), login.text
    _problem(login, login.status_code)
    existing = _create(1)
    mutations = [existing,
                 {"id": 2, "name": "update_case", "args": {"case_id": existing["args"]["case_id"],
                                                           "changed_fields": {"facts": "查\x00明"},
                                                           "base": {"facts": existing["args"]["fields"]["facts"]}}},
                 {"id": 3, "name": "add_evidence", "args": {"case_id": existing["args"]["case_id"],
                                                            "evidence_id": "e\x00", "kind": "photo", "name": "a",
                                                            "sha256": "0" * 64, "size": 2 ** 80}},
                 _create(4)]
    answer = _push(bureau, headers, cid, mutations)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert results[0]["result"] == "applied" and results[1]["result"] in ("applied", "rejected")
    assert [r["result"] for r in results[2:]] in (["missing_blob"], ["rejected", "applied"])
    upload = requests.post(bureau.url + "/blobs/uploads", json={"sha256": "0" * 64, "size": 2 ** 80},
                           headers=headers, timeout=30)
    assert upload.status_code in (413, 422), upload.text
    _problem(upload, upload.status_code)


def test_text_no_database_can_store_is_rejected_per_mutation_never_a_whole_request(bureau):
    """JSON may carry a NUL or a lone surrogate ("\\ud800"); the mutation name and the rejection reason quote what
    the client sent, so what is stored and answered is cleaned first (one such mutation used to fail the push)."""
    headers, cid = _login(bureau)
    raw = ('{"client_id": "%s", "mutations": [{"id": 1, "name": "x\\u0000y", "args": {}}, '
           '{"id": 2, "name": "\\ud800", "args": {}}, '
           '{"id": 3, "name": "delete_case", "args": {"case_id": "%s", "note": "\\udc00"}}, '
           '{"id": 4, "name": "delete_case", "args": {"case_id": "%s"}, "at": "\\ud800"}]}'
           % (cid, uuid.uuid4(), uuid.uuid4()))
    answer = requests.post(bureau.url + "/sync/push", data=raw.encode("ascii"),
                           headers={**headers, "Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["result"] for r in results] == ["rejected"] * 4 and answer.json()["last_mutation_id"] == 4
    assert "不认识“xy”" in results[0]["reason"] and "不认识“?”" in results[1]["reason"]
    assert "不成对的 UTF-16 代理字符" in results[2]["reason"] and "变更时间（at）“?”" in results[3]["reason"]
    assert [name for (name,) in bureau.sql("SELECT name FROM mutation_log WHERE client_id = :c ORDER BY "
                                           "mutation_id", {"c": cid})] == ["xy", "?", "delete_case", "delete_case"]
    login = requests.post(bureau.url + "/auth/login", data=b'{"username": "\\ud800", "password": "x", '
                          b'"client_id": "%s"}' % str(uuid.uuid4()).encode(),
                          headers={"Content-Type": "application/json"}, timeout=30)
    assert "username 含有无效的字符" in _problem(login, 422)["message"]


def test_deeply_nested_arguments_are_rejected_and_a_body_too_deep_to_parse_is_400(bureau):
    headers, cid = _login(bureau)
    for mid, depth, status in ((1, 20, 200), (2, 900, 200), (2, 20000, 400)):
        raw = ('{"client_id": "%s", "mutations": [{"id": %d, "name": "update_case", "args": {"case_id": "%s", '
               '"changed_fields": {"facts": %s}}}]}' % (cid, mid, uuid.uuid4(), "[" * depth + "]" * depth))
        answer = requests.post(bureau.url + "/sync/push", data=raw.encode(),
                               headers={**headers, "Content-Type": "application/json"}, timeout=30)
        if status == 400:
            assert "层次不过深" in _problem(answer, 400)["message"]
        else:
            assert answer.status_code == 200, answer.text
            result = answer.json()["results"][0]
            assert result["result"] == "rejected" and "嵌套超过 16 层" in result["reason"]


def test_the_client_shows_the_servers_chinese_reason_for_a_422(bureau):
    client = BureauClient(bureau.url)
    cid = str(uuid.uuid4())
    client.login("zhang", PASSWORD, cid, "test")
    with pytest.raises(Refused) as err:
        client.push(cid, [_create(1)], "not a time")
    assert err.value.status == 422 and err.value.code == "bad_time"
    assert "客户端时间（client_now）“not a time”不是有效的 ISO 8601 时间" in err.value.message


def test_a_4xx_that_is_not_fx_bureaus_answer_is_refused_not_retried_as_a_server_failure():
    """A proxy in front of the server that refuses a push (413 in HTML): retrying with backoff would send the
    same doomed request forever, so it is Refused with a reason, like the server's own 4xx answers."""
    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            page = b"<html><h1>413 Request Entity Too Large</h1></html>"
            self.send_response(413)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = BureauClient(f"http://127.0.0.1:{server.server_address[1]}")
        with pytest.raises(Refused) as err:
            client.push(str(uuid.uuid4()), [_create(1)], datetime.now().isoformat())
    finally:
        server.shutdown()
        server.server_close()
    assert err.value.status == 413 and "HTTP 413" in err.value.message and "代理" in err.value.message


def test_an_evidence_kind_outside_the_list_is_rejected_with_the_allowed_values(bureau):
    headers, cid = _login(bureau)
    good = _create(1)
    assert _push(bureau, headers, cid, [good]).json()["results"][0]["result"] == "applied"
    evidence = {"id": 2, "name": "add_evidence", "args": {
        "case_id": good["args"]["case_id"], "evidence_id": str(uuid.uuid4()), "kind": "<script>", "name": "a.jpg",
        "sha256": "0" * 64, "size": 1}}
    result = _push(bureau, headers, cid, [evidence]).json()["results"][0]
    assert result["result"] == "rejected"
    assert "kind 应为以下取值之一" in result["reason"] and "'photo'、'video'、'document'" in result["reason"]

"""A server database made by the previous schema (revision 0003, before organisations) upgrades to the current one
with its data kept: users get their organisation (town users their town, bureau users the bureau), conflicts and
the mutation log say their rows are about cases, and the upgraded server lets those users in. SQLite and
PostgreSQL."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import inspect, text

from fx_bureau import accounts, pull
from fx_bureau.config import Settings
from fx_bureau.db import make_engine, make_sessions
from fx_bureau.schema import HEAD, current_revision, default_reference, upgrade
from fx_desktop.domain import passwords
from tests.support.bureau import PG_ADMIN_URL, PASSWORD, pg_available
from fx_bureau import process

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/old.sqlite"
        return
    if not pg_available():
        pytest.skip("PostgreSQL is not running here")
    url = process.create_pg_database(PG_ADMIN_URL, "fx_mig")
    yield url
    process.drop_pg_database(PG_ADMIN_URL, url)


def _old_database(engine) -> dict:
    """What a server of revision 0003 held: its reference (no organisations list yet), two towns' users and the
    bureau's, a case, a conflict and a logged mutation."""
    upgrade(engine, "0003")
    assert current_revision(engine) == "0003"
    reference = {k: v for k, v in default_reference().items() if k not in ("organisations", "referral")}
    reference["version"] = 1
    now = datetime(2026, 11, 20, 9, 0)
    ids = {"case": str(uuid.uuid4()), "conflict": str(uuid.uuid4()), "client": str(uuid.uuid4())}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('epoch', 'e1'), ('token_secret', :s)"),
                     {"s": "ab" * 32})
        conn.execute(text("INSERT INTO counters (name, value) VALUES ('seq', 10)"))
        for t in reference["towns"]:
            conn.execute(text("INSERT INTO towns (code, name, kind, agency_code) VALUES (:code, :name, :kind, :a)"),
                         {**t, "a": t["agency_code"]})
        conn.execute(text("INSERT INTO reference (key, version, data, seq) VALUES ('reference', 1, :d, 1)"),
                     {"d": json.dumps(reference, ensure_ascii=False)})
        for uid, username, role, town in ((1, "zhang", "squad_leader", "nanqiao"), (2, "wang", "officer", "fengcheng"),
                                          (3, "diao", "bureau_dispatcher", None)):
            conn.execute(text("INSERT INTO users (id, username, name, role, town_code, password_hash, active, "
                              "failed_logins, created_at) VALUES (:i, :u, :u, :r, :t, :h, :a, 0, :c)"),
                         {"i": uid, "u": username, "r": role, "t": town, "h": passwords.hash_password(PASSWORD),
                          "a": True, "c": now})
        conn.execute(text("INSERT INTO clients (id, user_id, device_name, last_mutation_id, created_at) "
                          "VALUES (:c, 1, 'pc', 1, :n)"), {"c": ids["client"], "n": now})
        conn.execute(text(
            "INSERT INTO cases (id, number, town_code, status, version, seq, review_passed, opened_on, created_by, "
            "created_at, updated_at, fields, officers, evidence, reviews) VALUES (:i, 'N-1', 'nanqiao', 'clue', 1, "
            "5, :f, :d, 'zhang', :n, :n, '{}', '[]', '[]', '[]')"),
            {"i": ids["case"], "f": False, "d": now.date(), "n": now})
        conn.execute(text(
            "INSERT INTO conflicts (id, case_id, town_code, field, mine_by, client_id, mutation_id, status, "
            "created_at, seq) VALUES (:i, :c, 'nanqiao', 'place', 'li', 'x', 1, 'open', :n, 6)"),
            {"i": ids["conflict"], "c": ids["case"], "n": now})
        conn.execute(text(
            "INSERT INTO mutation_log (client_id, mutation_id, name, digest, result, user_id, case_id, received_at) "
            "VALUES (:cl, 1, 'create_case', 'd', 'applied', 1, :c, :n)"), {"cl": ids["client"], "c": ids["case"],
                                                                           "n": now})
    return ids


def test_a_database_of_revision_0003_upgrades_with_its_data(db_url, tmp_path):
    engine = make_engine(db_url)
    try:
        ids = _old_database(engine)
        upgrade(engine)
        assert current_revision(engine) == HEAD
        with engine.connect() as conn:
            users = dict(conn.execute(text("SELECT username, org_code FROM users")).all())
            assert users == {"zhang": "nanqiao", "wang": "fengcheng", "diao": "cgzf"}
            assert set(conn.execute(text("SELECT sync_generation FROM users")).scalars()) == {0}
            kinds = dict(conn.execute(text("SELECT code, kind FROM organisations")).all())
            assert kinds["nanqiao"] == "town" and kinds["cgzf"] == "bureau" and kinds["scjg"] == "department"
            assert conn.execute(text("SELECT kind FROM conflicts WHERE id = :i"), {"i": ids["conflict"]}).scalar() \
                == "case"
            assert conn.execute(text("SELECT kind, case_id FROM mutation_log")).one() == ("case", ids["case"])
            assert conn.execute(text("SELECT number FROM cases WHERE id = :i"), {"i": ids["case"]}).scalar() == "N-1"
            tables = set(inspect(conn).get_table_names())
            assert {"record_parties", "referrals", "organisations"} <= tables
            indexes = {i["name"] for i in inspect(conn).get_indexes("referrals")}
            assert {"ix_referrals_seq", "ix_referrals_owner_seq"} <= indexes
        # the upgraded server lets the old users in, each with their organisation
        _reads, writes = make_sessions(engine)
        settings = Settings(db_url, tmp_path / "blobs")
        for username, org, kind in (("zhang", "nanqiao", "town"), ("diao", "cgzf", "bureau")):
            with writes() as session, session.begin():
                login = accounts.login(session, settings, username=username, password=PASSWORD,
                                       client_id=str(uuid.uuid4()))
            assert (login["user"]["org_code"], login["user"]["org_kind"]) == (org, kind)
            with writes() as session, session.begin():
                p = accounts.principal(session, f"Bearer {login['access_token']}")
            assert p.org_code == org and p.sees_all == (kind == "bureau")
            assert p.town_code == (org if kind == "town" else None)
    finally:
        engine.dispose()


def _round(review_id: str, no: int, status: str, submitted_at: str, **answer) -> dict:
    return {"id": review_id, "round_no": no, "status": status, "submitted_at": submitted_at, "submitted_by": "zhang",
            "materials": ["调查终结报告"], "report": "提请法制审核。", "accepted_on": submitted_at[:10],
            "due_on": "2026-11-27", "extension_reason": None, "criteria": None, "outcome": None, "opinion": None,
            "reviewer": None, "reviewed_at": None, "opinion_number": None, **answer}


def test_review_rounds_inside_cases_of_revision_0004_become_legal_review_rows_that_pull_answers(db_url, tmp_path):
    """Revision 0005: every round of a case's `reviews` JSON becomes a legal_reviews row of the case's town, with a
    fresh sequence number (so clients pull it), and cases.reviews goes; a pull of the case's town answers the rows
    (and, for clients of the previous version, still the rounds inside the case row); another town sees none."""
    engine = make_engine(db_url)
    try:
        _old_database(engine)
        upgrade(engine, "0004")
        now = datetime(2026, 11, 20, 9, 0)
        case_a, case_b, case_c = (str(uuid.uuid4()) for _ in range(3))
        first, second, other = (str(uuid.uuid4()) for _ in range(3))
        rounds = {case_a: [_round(first, 1, "revise", "2026-11-20T09:00:00", outcome="revise", opinion="补充证据",
                                  reviewer="钱", reviewed_at="2026-11-21T10:00:00", opinion_number="南审〔2026〕1号"),
                           _round(second, 2, "pending", "2026-11-24T09:00:00")],
                  case_b: [_round(other, 1, "pending", "2026-11-22T09:00:00")], case_c: []}
        with engine.begin() as conn:
            for n, (case_id, town) in enumerate(((case_a, "nanqiao"), (case_b, "fengcheng"), (case_c, "nanqiao"))):
                conn.execute(text(
                    "INSERT INTO cases (id, number, town_code, status, version, seq, review_passed, opened_on, "
                    "created_by, created_at, updated_at, fields, officers, evidence, reviews) VALUES (:i, :no, :t, "
                    "'legal_review', 3, :s, :f, :d, 'zhang', :n, :n, '{}', '[]', '[]', :r)"),
                    {"i": case_id, "no": f"R-{n}", "t": town, "s": 7 + n, "f": False, "d": now.date(), "n": now,
                     "r": json.dumps(rounds[case_id], ensure_ascii=False)})
            conn.execute(text("UPDATE counters SET value = 12 WHERE name = 'seq'"))
        upgrade(engine)
        assert current_revision(engine) == HEAD
        with engine.connect() as conn:
            assert "reviews" not in {c["name"] for c in inspect(conn).get_columns("cases")}
            rows = {r.id: r for r in conn.execute(text(
                "SELECT id, case_id, owner_org, round_no, status, version, seq, CAST(data AS TEXT) AS data "
                "FROM legal_reviews"))}
            assert conn.execute(text("SELECT value FROM counters WHERE name = 'seq'")).scalar() == 15
            indexes = {i["name"] for i in inspect(conn).get_indexes("legal_reviews")}
            assert {"ix_legal_reviews_seq", "ix_legal_reviews_owner_seq", "ix_legal_reviews_case_id"} <= indexes
        assert set(rows) == {first, second, other}
        assert [(rows[i].case_id, rows[i].owner_org, rows[i].round_no, rows[i].status, rows[i].version)
                for i in (first, second, other)] == [(case_a, "nanqiao", 1, "revise", 1),
                                                     (case_a, "nanqiao", 2, "pending", 1),
                                                     (case_b, "fengcheng", 1, "pending", 1)]
        assert sorted(r.seq for r in rows.values()) == [13, 14, 15]  # above every number the cases hold
        assert json.loads(rows[first].data) == rounds[case_a][0]

        _reads, writes = make_sessions(engine)
        settings = Settings(db_url, tmp_path / "blobs")
        pulled = {}
        for username in ("zhang", "wang"):
            with writes() as session, session.begin():
                login = accounts.login(session, settings, username=username, password=PASSWORD,
                                       client_id=str(uuid.uuid4()))
                p = accounts.principal(session, f"Bearer {login['access_token']}")
                pulled[username] = pull.pull(session, p, None, 100)["changes"]
                if username == "zhang":
                    digest = pull.digest(session, p)
        reviews_of = {u: {c["id"]: c for c in changes if c["type"] == "legal_review"} for u, changes in pulled.items()}
        assert set(reviews_of["zhang"]) == {first, second} and set(reviews_of["wang"]) == {other}
        assert reviews_of["zhang"][first]["data"] == rounds[case_a][0]
        assert (reviews_of["zhang"][second]["case_id"], reviews_of["zhang"][second]["owner_org"]) == (case_a, "nanqiao")
        case_rows = {c["id"]: c for c in pulled["zhang"] if c["type"] == "case"}
        assert case_rows[case_a]["reviews"] == rounds[case_a] and case_rows[case_c]["reviews"] == []
        assert digest["count"] == 1 + 2 + 2  # zhang's town: the old clue and two cases, and two rounds
    finally:
        engine.dispose()


def test_a_database_of_revision_0005_gets_police_requests_and_keeps_its_data(db_url, tmp_path):
    """Revision 0006 adds the police_requests table (record kind "police_request") and its indexes; the cases of
    revision 0005 stay, and the town's pull afterwards answers them and a police request the upgraded server took."""
def test_a_database_of_revision_0005_gets_criminal_referrals_and_keeps_its_data(db_url, tmp_path):
    """Revision 0007 (criminal referrals): the rows of 0005 stay as they were, the new table takes a record whose
    17-character kind name fits the widened kind columns (PostgreSQL holds text to its length), and a pull of the
    town answers it; the police organisation it was sent to (a party) pulls it, another does not."""
    engine = make_engine(db_url)
    try:
        ids = _old_database(engine)
        upgrade(engine, "0005")
        upgrade(engine)
        assert current_revision(engine) == HEAD
        with engine.connect() as conn:
            indexes = {i["name"] for i in inspect(conn).get_indexes("police_requests")}
            assert {"ix_police_requests_seq", "ix_police_requests_owner_seq", "ix_police_requests_station_org"} \
                <= indexes
            assert conn.execute(text("SELECT count(*) FROM police_requests")).scalar() == 0
            assert conn.execute(text("SELECT number FROM cases WHERE id = :i"), {"i": ids["case"]}).scalar() == "N-1"
        request_id = str(uuid.uuid4())
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO police_requests (id, owner_org, station_org, case_id, number, situation, status, "
                "call_at, version, seq, data, created_at, updated_at) VALUES (:i, 'nanqiao', 'pcs_nanqiao', :c, "
                "'', 'emergency', 'sent', :n, 1, 20, :d, :n, :n)"),
                {"i": request_id, "c": ids["case"], "n": datetime(2026, 11, 30, 9, 0),
                 "d": json.dumps({"id": request_id, "status": "sent"})})
            conn.execute(text("INSERT INTO record_parties (kind, record_id, org_code) "
                              "VALUES ('police_request', :i, 'pcs_nanqiao')"), {"i": request_id})
            conn.execute(text("UPDATE counters SET value = 20 WHERE name = 'seq'"))
        _reads, writes = make_sessions(engine)
        settings = Settings(db_url, tmp_path / "blobs")
        with writes() as session, session.begin():
            login = accounts.login(session, settings, username="zhang", password=PASSWORD, client_id=str(uuid.uuid4()))
            p = accounts.principal(session, f"Bearer {login['access_token']}")
            changes = pull.pull(session, p, None, 100)["changes"]
        by_type = {(c["type"], c.get("id")) for c in changes}
        assert ("case", ids["case"]) in by_type and ("police_request", request_id) in by_type
        with engine.connect() as conn:
            before = conn.execute(text("SELECT id, number, status, version, seq FROM cases ORDER BY id")).all()
        upgrade(engine)
        assert current_revision(engine) == HEAD
        record_id, now = str(uuid.uuid4()), datetime(2026, 11, 30, 9, 0)
        state = {"id": record_id, "status": "sent", "party_orgs": ["pcs_nanqiao", "jcy"]}
        with engine.begin() as conn:
            assert conn.execute(text("SELECT id, number, status, version, seq FROM cases ORDER BY id")).all() == before
            conn.execute(text(
                "INSERT INTO criminal_referrals (id, owner_org, receiving_org, case_id, number, status, version, seq, "
                "data, created_at, updated_at) VALUES (:i, 'nanqiao', 'pcs_nanqiao', :c, '奉南桥综执刑移〔2026〕0001号', "
                "'sent', 3, 11, :d, :n, :n)"), {"i": record_id, "c": ids["case"], "d": json.dumps(state), "n": now})
            for org in ("pcs_nanqiao", "jcy"):
                conn.execute(text("INSERT INTO record_parties (kind, record_id, org_code) VALUES "
                                  "('criminal_referral', :i, :o)"), {"i": record_id, "o": org})
            conn.execute(text(
                "INSERT INTO mutation_log (client_id, mutation_id, name, digest, result, user_id, kind, case_id, "
                "received_at) VALUES (:cl, 2, 'send_criminal_referral', 'd', 'applied', 1, 'criminal_referral', :i, "
                ":n)"), {"cl": ids["client"], "i": record_id, "n": now})
            conn.execute(text("UPDATE counters SET value = 11 WHERE name = 'seq'"))
            for org, name in (("pcs_nanqiao", "南桥派出所"), ("pcs_fengcheng", "奉城派出所")):
                conn.execute(text("INSERT INTO organisations (code, name, short_name, kind) VALUES "
                                  "(:c, :n, :n, 'police_station')"), {"c": org, "n": name})
            for uid, username, org in ((4, "sunhao", "pcs_nanqiao"), (5, "wu", "pcs_fengcheng")):
                conn.execute(text(
                    "INSERT INTO users (id, username, name, role, org_code, password_hash, active, failed_logins, "
                    "created_at) VALUES (:i, :u, :u, 'police_liaison', :o, :h, :a, 0, :n)"),
                    {"i": uid, "u": username, "o": org, "h": passwords.hash_password(PASSWORD), "a": True, "n": now})
        _reads, writes = make_sessions(engine)
        settings = Settings(db_url, tmp_path / "blobs")
        seen = {}
        for username in ("zhang", "sunhao", "wu"):
            with writes() as session, session.begin():
                login = accounts.login(session, settings, username=username, password=PASSWORD,
                                       client_id=str(uuid.uuid4()))
                p = accounts.principal(session, f"Bearer {login['access_token']}")
                seen[username] = {c["id"]: c for c in pull.pull(session, p, None, 100)["changes"]
                                  if c["type"] == "criminal_referral"}
        assert seen["zhang"][record_id]["data"] == state and seen["zhang"][record_id]["version"] == 3
        assert list(seen["sunhao"]) == [record_id] and seen["wu"] == {}
    finally:
        engine.dispose()


def test_a_database_of_revision_0007_gets_meetings_and_keeps_its_data(db_url, tmp_path):
    """Revision 0008 adds the meetings and consultation_items tables (record kinds "meeting" and
    "consultation_item", 17 characters: the widened kind columns hold it); the rows of 0007 stay as they were, and
    the convening town and an invited department (a party) pull the meeting, another town does not."""
    engine = make_engine(db_url)
    try:
        ids = _old_database(engine)
        upgrade(engine, "0007")
        with engine.connect() as conn:
            before = conn.execute(text("SELECT id, number, status, version, seq FROM cases ORDER BY id")).all()
        upgrade(engine)
        assert current_revision(engine) == HEAD
        meeting_id, item_id, now = str(uuid.uuid4()), str(uuid.uuid4()), datetime(2026, 11, 30, 9, 0)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT id, number, status, version, seq FROM cases ORDER BY id")).all() == before
            indexes = {i["name"] for i in inspect(conn).get_indexes("meetings")}
            assert {"ix_meetings_seq", "ix_meetings_owner_seq"} <= indexes
            conn.execute(text(
                "INSERT INTO meetings (id, owner_org, kind, number, title, starts_at, status, version, seq, data, "
                "created_at, updated_at) VALUES (:i, 'nanqiao', 'regular', '〔2026〕第1期', '协调会', :n, 'notified', "
                "2, 11, :d, :n, :n)"), {"i": meeting_id, "n": now, "d": json.dumps({"status": "notified"})})
            conn.execute(text(
                "INSERT INTO consultation_items (id, owner_org, case_id, status, version, seq, data, created_at, "
                "updated_at) VALUES (:i, 'nanqiao', :c, 'open', 1, 12, :d, :n, :n)"),
                {"i": item_id, "c": ids["case"], "n": now, "d": json.dumps({"matter": "规划认定"})})
            conn.execute(text("INSERT INTO record_parties (kind, record_id, org_code) VALUES "
                              "('meeting', :i, 'ghzy'), ('consultation_item', :j, 'ghzy')"),
                         {"i": meeting_id, "j": item_id})
            conn.execute(text("UPDATE counters SET value = 12 WHERE name = 'seq'"))
            conn.execute(text(  # 区规划资源局 is in the organisations list the upgrade filled from the reference
                "INSERT INTO users (id, username, name, role, org_code, password_hash, active, failed_logins, "
                "created_at) VALUES (4, 'liu', 'liu', 'department_liaison', 'ghzy', :h, :a, 0, :n)"),
                {"h": passwords.hash_password(PASSWORD), "a": True, "n": now})
        _reads, writes = make_sessions(engine)
        settings = Settings(db_url, tmp_path / "blobs")
        seen = {}
        for username in ("zhang", "liu", "wang"):
            with writes() as session, session.begin():
                login = accounts.login(session, settings, username=username, password=PASSWORD,
                                       client_id=str(uuid.uuid4()))
                p = accounts.principal(session, f"Bearer {login['access_token']}")
                seen[username] = {(c["type"], c.get("id")) for c in pull.pull(session, p, None, 100)["changes"]}
        for username in ("zhang", "liu"):
            assert {("meeting", meeting_id), ("consultation_item", item_id)} <= seen[username], username
        assert not {("meeting", meeting_id), ("consultation_item", item_id)} & seen["wang"]
    finally:
        engine.dispose()


def test_a_database_of_revision_0007_gets_supervisions_and_keeps_its_data(db_url, tmp_path):
    """Revision 0009 (supervision sheets) adds the supervisions table and its indexes; the cases stay as they were,
    and the town's pull afterwards answers a sheet of its own with the 11-character kind name."""
    engine = make_engine(db_url)
    try:
        ids = _old_database(engine)
        upgrade(engine, "0007")
        with engine.connect() as conn:
            before = conn.execute(text("SELECT id, number, status, version, seq FROM cases ORDER BY id")).all()
        upgrade(engine)
        assert current_revision(engine) == HEAD
        sheet_id, now = str(uuid.uuid4()), datetime(2026, 11, 30, 9, 0)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT id, number, status, version, seq FROM cases ORDER BY id")).all() == before
            indexes = {i["name"] for i in inspect(conn).get_indexes("supervisions")}
            assert {"ix_supervisions_seq", "ix_supervisions_owner_seq", "ix_supervisions_responsible_org"} <= indexes
            conn.execute(text(
                "INSERT INTO supervisions (id, owner_org, responsible_org, source_kind, source_id, source_item, "
                "number, matter, deadline, status, version, seq, data, created_at, updated_at) VALUES (:i, 'nanqiao', 'scjg', "
                "'meeting', :s, 1, '奉南桥督办〔2026〕1号', '整治', :d, 'issued', 1, 30, :j, :n, :n)"),
                {"i": sheet_id, "s": str(uuid.uuid4()), "d": date(2026, 12, 10), "n": now,
                 "j": json.dumps({"id": sheet_id, "status": "issued"})})
            conn.execute(text("INSERT INTO record_parties (kind, record_id, org_code) VALUES ('supervision', :i, "
                              "'scjg')"), {"i": sheet_id})
            conn.execute(text("UPDATE counters SET value = 30 WHERE name = 'seq'"))
        _reads, writes = make_sessions(engine)
        with writes() as session, session.begin():
            login = accounts.login(session, Settings(db_url, tmp_path / "blobs"), username="zhang", password=PASSWORD,
                                   client_id=str(uuid.uuid4()))
            p = accounts.principal(session, f"Bearer {login['access_token']}")
            changes = {c.get("id"): c for c in pull.pull(session, p, None, 100)["changes"]}
        assert changes[sheet_id]["type"] == "supervision" and changes[sheet_id]["deadline"] == "2026-12-10"
        assert ids["case"] in changes
    finally:
        engine.dispose()


def test_a_database_of_revision_0007_gets_the_roster_and_keeps_its_data(db_url, tmp_path):
    """Revision 0010 (人员与执法证) adds roster_entries (record kind "roster_entry") and its indexes; the rows of
    0007 stay as they were, and the town's pull answers an entry of its own, another town's does not."""
    engine = make_engine(db_url)
    try:
        ids = _old_database(engine)
        upgrade(engine, "0007")
        with engine.connect() as conn:
            before = conn.execute(text("SELECT id, number, status, version, seq FROM cases ORDER BY id")).all()
        upgrade(engine)
        assert current_revision(engine) == HEAD == "0010"
        entry_id, now = str(uuid.uuid4()), datetime(2026, 11, 30, 9, 0)
        state = {"name": "王磊", "cert_no": "31200001", "expires_on": "2027-01-01", "active": True}
        with engine.begin() as conn:
            assert conn.execute(text("SELECT id, number, status, version, seq FROM cases ORDER BY id")).all() == before
            indexes = {i["name"] for i in inspect(conn).get_indexes("roster_entries")}
            assert {"ix_roster_entries_seq", "ix_roster_entries_owner_seq", "ix_roster_entries_owner_cert"} <= indexes
            conn.execute(text(
                "INSERT INTO roster_entries (id, owner_org, name, cert_no, expires_on, active, version, seq, data, "
                "created_at, updated_at) VALUES (:i, 'nanqiao', '王磊', '31200001', :e, :a, 1, 30, :d, :n, :n)"),
                {"i": entry_id, "e": datetime(2027, 1, 1).date(), "a": True, "d": json.dumps(state), "n": now})
            conn.execute(text("UPDATE counters SET value = 30 WHERE name = 'seq'"))
        _reads, writes = make_sessions(engine)
        settings = Settings(db_url, tmp_path / "blobs")
        seen = {}
        for username in ("zhang", "wang"):
            with writes() as session, session.begin():
                login = accounts.login(session, settings, username=username, password=PASSWORD,
                                       client_id=str(uuid.uuid4()))
                p = accounts.principal(session, f"Bearer {login['access_token']}")
                seen[username] = {c["id"]: c for c in pull.pull(session, p, None, 100)["changes"]
                                  if c["type"] == "roster_entry"}
        assert seen["zhang"][entry_id]["data"] == state and seen["zhang"][entry_id]["expires_on"] == "2027-01-01"
        assert seen["wang"] == {}
    finally:
        engine.dispose()

"""Demo data: realistic Chinese cases across Fengxian towns, reproducible from a seed.

Written in bulk (executemany on one connection) so 100,000 cases take seconds, but through the same tables and
audit chain as normal work; from BULK cases on, the search index is paused and built once at the end, as after a
first pull, and so are the case indexes when bulk_load.worth_it() says so. Demo rows get no outbox entries: a demo
database is for training and must never reach the bureau server; it is marked with meta demo=1.
"""
from __future__ import annotations

import random
import struct
import uuid
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from ..domain.deadlines import decision_deadline
from ..domain.identifiers import make_citizen_id, make_credit_code
from ..domain.lifecycle import CaseStatus
from ..store import Store, audit, bulk_load, search_index
from ..store.models import Town
from .calendar import official_calendar
from .demo_showcase import REFERRAL_CATEGORIES, REVIEW_SLOTS, SLOTS, Reserved, reserved_slot, stage
from .demo_vocabulary import CAUSES, GIVEN, ORG_KINDS, ORG_WORDS, REGIONS, ROADS, SURNAMES
from .numbering import template_for

SOURCES = ("巡查发现", "巡查发现", "投诉举报", "投诉举报", "线索移送", "上级交办", "非现场执法")
STATUS_WEIGHTS = (
    (CaseStatus.CLUE, 8), (CaseStatus.FILED, 10), (CaseStatus.INVESTIGATING, 14),
    (CaseStatus.INVESTIGATION_CLOSED, 6), (CaseStatus.NOTIFIED, 6),
    (CaseStatus.DECIDED, 6), (CaseStatus.SERVED, 4), (CaseStatus.EXECUTING, 4), (CaseStatus.CLOSED, 30),
    (CaseStatus.NOT_FILED, 4), (CaseStatus.REVOKED, 2),
)  # no 法制审核 or 移送 here: those cases come with their review round or referral (demo_showcase)
UNFILED = {CaseStatus.CLUE, CaseStatus.NOT_FILED}
RUNNING = {CaseStatus.CLUE, CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.INVESTIGATION_CLOSED,
           CaseStatus.NOTIFIED}  # open cases: recent ones, so the decision clocks are mostly running
DECIDED = {CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.EXECUTING, CaseStatus.CLOSED}
OFFICER_POOL = 60
BATCH = 2000
BULK = 1000  # from this many cases on, build the search index once at the end
OPEN_WITHIN = 130  # days: open cases of a demo for people to try (most decision clocks still running)


def _png(rgb: tuple[int, int, int], w: int = 64, h: int = 48) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data  # noqa: E731
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class DemoResult:
    cases: int
    seconds: float


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _demo_blobs(store: Store, rng: random.Random) -> list[tuple[str, str, str, int]]:
    """A few real files in the blob store that demo evidence rows point at: (kind, name, sha256, size)."""
    import tempfile
    from pathlib import Path

    made = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(6):
            p = Path(tmp) / f"现场照片{i + 1}.png"
            p.write_bytes(_png((rng.randrange(60, 200), rng.randrange(60, 200), rng.randrange(60, 200))))
            blob = store.blobs.put_file(p)
            made.append(("photo", p.name, blob.sha256, blob.size))
        p = Path(tmp) / "现场检查笔录.txt"
        p.write_text("现场检查笔录（演示数据）\n检查时间、地点、当事人及检查情况见案件信息。\n", encoding="utf-8")
        blob = store.blobs.put_file(p)
        made.append(("document", p.name, blob.sha256, blob.size))
    return made


def generate(store: Store, count: int, *, seed: int = 1, as_of: date | None = None, actor: str = "演示数据",
             progress: Callable[[int, int], None] | None = None, open_within: int | None = None) -> DemoResult:
    """`open_within`: cases still before their decision were opened within this many days (OPEN_WITHIN: mostly
    within their 90 days, some past them, as the first start and `fx-desktop demo-data` make them); None spreads
    them over two years like the others (a register full of overdue cases, which the overdue tests rely on)."""
    import time as clock

    started = clock.perf_counter()
    rng = random.Random(seed)
    as_of = as_of or date.today()
    blobs = _demo_blobs(store, rng)
    with store.sessions() as session:
        towns = {t.code: t.agency_code for t in session.query(Town)}
        template = template_for(session, "case")
    town_codes = sorted(towns)
    officers = [(_name(rng), f"3120{rng.randrange(10**6):06d}") for _ in range(OFFICER_POOL)]
    statuses, weights = zip(*STATUS_WEIGHTS)
    calendar = official_calendar()
    categories = sorted(CAUSES)
    bulk = count >= BULK
    reserved: list[Reserved] = []  # the worked examples, taken through review and referral once written
    major = [(c, t) for c in categories for t in CAUSES[c] if t[3] == "罚款" and t[4][1] >= 20000]
    # the case indexes built once (with a page cache the sort fits in), before the search index, which reads them
    with store.bulk_writes() as writes, bulk_load.loading(writes, expected=count):
        raw = store.engine.raw_connection()  # autocommit mode (store.db): transactions are begun here
        try:
            cur = raw.cursor()
            cur.execute("BEGIN IMMEDIATE")  # the serials and the chain's last hash are read under the write lock
            serials = {(scope, year): nxt - 1 for scope, year, nxt in
                       cur.execute("SELECT scope, year, next_serial FROM serials WHERE kind='case'")}
            last = cur.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            prev_hash = last[0] if last else audit.GENESIS
            cur.execute("INSERT INTO meta (key, value) VALUES ('demo', '1') "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            if bulk:  # index once at the end, in the indexes' key order (as a first pull does)
                cur.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (search_index.PAUSED,))
            done = 0
            while done < count:
                if not raw.in_transaction:
                    cur.execute("BEGIN IMMEDIATE")
                n = min(BATCH, count - done)
                case_rows, officer_rows, evidence_rows, audit_rows = [], [], [], []
                for k in range(n):
                    slot = reserved_slot(done + k, len(town_codes), count)
                    town = rng.choice(town_codes) if slot is None else town_codes[(done + k) % len(town_codes)]
                    opened = as_of - timedelta(days=int(rng.triangular(0, 720, 30)))
                    category = rng.choice(categories)
                    cause, basis, facts_t, penalty, (lo, hi) = rng.choice(CAUSES[category])
                    place = f"奉贤区{ROADS[town][rng.randrange(len(ROADS[town]))]}{rng.randrange(1, 2000)}号"
                    status = rng.choices(statuses, weights)[0]
                    if slot in REVIEW_SLOTS:  # a recent major case, told of the decision, ready for review
                        category, (cause, basis, facts_t, penalty, (lo, hi)) = rng.choice(major)
                        lo, status = max(lo, 6000), CaseStatus.NOTIFIED
                        opened = as_of - timedelta(days=rng.randrange(30, 75))
                    elif slot is not None:  # a case under investigation that turns out to be a department's
                        category = rng.choice(REFERRAL_CATEGORIES)
                        cause, basis, facts_t, penalty, (lo, hi) = rng.choice(CAUSES[category])
                        status = CaseStatus.INVESTIGATING
                        opened = as_of - timedelta(days=int(SLOTS[slot][1] * 1.5) + rng.randrange(15, 40))
                    elif status in RUNNING and open_within:  # before the decision: mostly within its 90 days
                        opened = as_of - timedelta(days=int(rng.triangular(0, open_within, 35)))
                    elif status == CaseStatus.DECIDED and open_within:  # decided lately: to serve in 7 working days
                        opened = as_of - timedelta(days=rng.randrange(20, 85))
                    key = (town, opened.year)
                    serials[key] = serials.get(key, 0) + 1
                    number = template.format(towns[town], opened.year, serials[key])
                    if slot in REVIEW_SLOTS or (slot is None and rng.random() < 0.7):
                        birth = date(rng.randrange(1955, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
                        pid = make_citizen_id(rng.choice(REGIONS), birth, rng.randrange(1, 1000))
                        party = ("person", _name(rng), pid, "男" if int(pid[16]) % 2 else "女", birth.isoformat(), None)
                    else:
                        body = "91310120" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
                        org = f"上海{rng.choice(ORG_WORDS)}{rng.choice(ORG_KINDS)}"
                        party = ("org", org, make_credit_code(body), None, None, _name(rng))
                    occurred = datetime.combine(opened - timedelta(days=rng.randrange(0, 5)),
                                                time(rng.randrange(7, 22), rng.randrange(0, 60)))
                    filed = None if status in UNFILED else opened + timedelta(days=rng.randrange(0, 7))
                    due = decision_deadline(filed, calendar=calendar) if filed else None
                    decided = (filed + timedelta(days=rng.randrange(10, 80))) if filed and status in DECIDED else None
                    if status == CaseStatus.DECIDED and open_within:
                        decided = max(filed, as_of - timedelta(days=rng.randrange(0, 14)))
                    amount = None if hi == 0 else round(rng.uniform(lo, hi), -1)
                    case_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    if slot is not None:
                        reserved.append(Reserved(case_id, town, slot, category, party[1]))
                    stamp = datetime.combine(opened, time(9)) + timedelta(minutes=rng.randrange(600))
                    case_rows.append((
                        case_id, number, town, rng.choice(SOURCES), cause, category, str(status), party[0], party[1],
                        party[2], party[3], party[4], party[5], f"奉贤区{ROADS[town][0]}{rng.randrange(1, 900)}弄",
                        f"138{rng.randrange(10**8):08d}", place, occurred.isoformat(sep=" "),
                        facts_t.format(place=place, n=rng.randrange(2, 120)), basis, penalty,
                        None if amount is None else f"{amount:.2f}", opened.isoformat(),
                        filed and filed.isoformat(), due and due.isoformat(), decided and decided.isoformat(),
                        actor, stamp.isoformat(sep=" "), 1,
                    ))
                    for pos, (oname, cert) in enumerate(rng.sample(officers, 2)):
                        officer_rows.append((case_id, pos, oname, cert))
                    for kind, bname, sha, size in rng.sample(blobs, rng.randrange(0, 3)):
                        evidence_rows.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), case_id, kind, bname,
                                              sha, size, occurred.isoformat(sep=" "), stamp.isoformat(sep=" "), actor))
                    detail = {"number": number, "demo": True}
                    digest = audit.digest(  # the same chain audit.append() builds
                        prev_hash, stamp, actor, "officer", case_id, "create", detail)
                    audit_rows.append((stamp.isoformat(sep=" "), actor, "officer", case_id, "create",
                                       '{"demo":true,"number":"' + number + '"}', prev_hash, digest))
                    prev_hash = digest
                cur.executemany(
                    "INSERT INTO cases (id, number, town_code, source, cause, category, status, party_kind, "
                    "party_name, party_id_number, party_sex, party_birth_date, party_legal_rep, party_address, "
                    "party_phone, place, occurred_at, facts, legal_basis, proposed_penalty, proposed_amount, "
                    "opened_on, filed_on, decision_due, decided_on, created_by, updated_at, version) "
                    "VALUES (" + ",".join("?" * 28) + ")", case_rows)
                cur.executemany("INSERT INTO case_officers (case_id, position, name, cert_no) VALUES (?,?,?,?)",
                                officer_rows)
                cur.executemany("INSERT INTO evidence (id, case_id, kind, name, sha256, size, captured_at, added_at, "
                                "added_by) VALUES (?,?,?,?,?,?,?,?,?)", evidence_rows)
                cur.executemany("INSERT INTO audit_log (at, actor, role, case_id, action, detail, prev_hash, hash) "
                                "VALUES (?,?,?,?,?,?,?,?)", audit_rows)
                cur.executemany(  # with every batch, so an interrupted run leaves the counters right
                    "INSERT INTO serials (kind, scope, year, next_serial) VALUES ('case', ?, ?, ?) "
                    "ON CONFLICT(kind, scope, year) DO UPDATE SET next_serial = excluded.next_serial",
                    [(town, year, last + 1) for (town, year), last in serials.items()])
                raw.commit()
                done += n
                if progress:  # with the index still to build, the last step is reported once it is built
                    progress(min(done, count - 1) if bulk else done, count)
        except BaseException:
            if raw.in_transaction:
                raw.rollback()
            raise
        finally:
            raw.close()
    with store.writes.begin() as session:
        if search_index.paused(session):
            search_index.rebuild(session)
    stage(store, reserved, as_of=as_of, seed=seed, calendar=calendar)
    demo_roster(store, officers, town_codes, as_of=as_of)
    if progress and bulk:
        progress(count, count)
    return DemoResult(count, clock.perf_counter() - started)


ROSTER_SIZE = 8  # officers of each town's roster (人员与执法证) in the demo


def demo_roster(store: Store, officers: list[tuple[str, str]], towns: list[str], *, as_of: date) -> None:
    """Each town's roster: officers of the pool the cases name, with their certificates; in each town one
    expires in 20 days (即将到期) and one expired 10 days ago (已过期), the others run for one to three years."""
    import json

    rows = []
    stamp = datetime.combine(as_of, datetime.min.time()).replace(hour=8)
    for t, town in enumerate(towns):
        for k in range(ROSTER_SIZE):
            name, cert_no = officers[(t * ROSTER_SIZE + k) % len(officers)]
            expires = as_of + timedelta(days=20 if k == 1 else -10 if k == 2 else 365 + 97 * k)
            issued = expires - timedelta(days=5 * 365)
            state = {"name": name, "cert_no": cert_no, "issuer": "上海市人民政府", "issued_on": issued.isoformat(),
                     "expires_on": expires.isoformat(), "post": "中队长" if k == 0 else "执法队员",
                     "phone": f"1381600{t:02d}{k:02d}", "username": "", "active": True, "owner_org": town,
                     "created": {"at": stamp.isoformat(), "by": "演示数据"},
                     "updated": {"at": stamp.isoformat(), "by": "演示数据"}, "retired": None}
            rows.append((str(uuid.UUID(int=random.Random(f"{town}-{k}").getrandbits(128), version=4)), town, name,
                         cert_no, expires.isoformat(), 1, 1, None, json.dumps(state, ensure_ascii=False),
                         stamp.isoformat(sep=" ")))
    with store.writes.begin() as session:
        session.connection().exec_driver_sql(
            "INSERT OR IGNORE INTO roster_entries (id, owner_org, name, cert_no, expires_on, active, version, "
            "server_version, data, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)

"""Seeding fx-bureau's database directly for the sync benchmarks and the load test: SQLAlchemy Core bulk inserts of
fx_bureau.models rows (cases; referrals with their record_parties entries), counters.seq and the serials advanced
to match, not pushes: seeding is set-up, not a measurement."""
from __future__ import annotations

import random
import time

from .bureau import BenchBureau
from .common import log


def _number_template(conn, kind: str):
    from sqlalchemy import select

    from fx_bureau.models import Reference
    from fx_desktop.domain.docnumbers import DocNumberTemplate

    spec = conn.execute(select(Reference.data).where(Reference.key == "reference")).scalar_one()
    spec = spec["doc_templates"][kind]
    return DocNumberTemplate(kind=kind, pattern=spec["pattern"], serial_width=spec.get("serial_width", 0))


def _insert_batches(conn, table, rows, batch: int, total: int, what: str) -> int:
    """Insert `rows` (an iterable of dicts) `batch` at a time; returns how many."""
    from sqlalchemy import insert

    pending: list[dict] = []
    done = 0
    for row in rows:
        pending.append(row)
        if len(pending) == batch:
            conn.execute(insert(table), pending)
            done += len(pending)
            pending = []
            if done % max(total // 5, batch) < batch:
                log(f"  seeded {done}/{total} {what}")
    if pending:
        conn.execute(insert(table), pending)
        done += len(pending)
    return done


def _analyze(bureau: BenchBureau, *tables: str) -> None:
    if bureau.backend == "postgresql":
        with bureau.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.exec_driver_sql(f"VACUUM ANALYZE {table}")  # as autovacuum would soon after a bulk load


def seed_cases(bureau: BenchBureau, count: int, *, seed: int = 1, batch: int = 5000) -> float:
    """Insert `count` cases straight into the server's database; returns seconds taken."""
    from sqlalchemy import func, insert, select, update

    from fx_bureau.models import Case, Counter, Serial, Town

    from .sync_data import server_rows

    started = time.perf_counter()
    with bureau.engine.begin() as conn:
        towns = dict(conn.execute(select(Town.code, Town.agency_code)).all())
        template = _number_template(conn, "case")
        high = conn.execute(select(Counter.value).where(Counter.name == "seq")).scalar_one()
        rows, serials = server_rows(random.Random(seed), count, towns, template.format, first_seq=high + 1)
        _insert_batches(conn, Case, rows, batch, count, "cases")
        conn.execute(update(Counter).where(Counter.name == "seq").values(value=high + count))
        conn.execute(insert(Serial), [{"kind": "case", "scope": town, "year": year, "next_serial": last + 1}
                                      for (town, year), last in serials.items()])
        assert conn.execute(select(func.count()).select_from(Case)).scalar_one() == count
    _analyze(bureau, "cases")
    return time.perf_counter() - started


def seed_referrals(bureau: BenchBureau, count: int, *, seed: int = 3, batch: int = 2000) -> float:
    """Refer `count` of the seeded cases (bench.sync_referrals: made by the domain's functions, some taken on by
    the department's steps) straight into the server's database: the referrals, the receiving department as a
    party of each, their cases touched (status, version and sequence number, as the handlers touch them).
    Returns seconds taken."""
    from datetime import datetime

    from sqlalchemy import bindparam, func, insert, select, update

    from fx_bureau.models import Case, Counter, Organisation, Reference, RecordParty, Referral, Serial
    from fx_desktop.domain import referral as rf
    from fx_desktop.domain.organisations import Organisation as Org
    from fx_desktop.domain.organisations import OrgDirectory, OrgKind
    from fx_desktop.domain.workdays import HolidayCalendar

    from .sync_referrals import SeedCase, referral_rows

    started = time.perf_counter()
    with bureau.engine.begin() as conn:
        orgs = OrgDirectory(Org(r.code, r.name, r.short_name, OrgKind(r.kind), r.parent)
                            for r in conn.execute(select(Organisation)))
        reference = conn.execute(select(Reference.data).where(Reference.key == "reference")).scalar_one()
        calendar = (HolidayCalendar(reference["holidays"]) if reference.get("holidays")
                    else HolidayCalendar.load_official())
        template = _number_template(conn, "referral")
        cases = [SeedCase(*r) for r in conn.execute(select(
            Case.id, Case.number, Case.town_code, Case.status, Case.opened_on, Case.fields, Case.evidence)
            .order_by(Case.seq))]
        high = conn.execute(select(Counter.value).where(Counter.name == "seq")).scalar_one()
        rows, serials = referral_rows(random.Random(seed), cases, count, orgs, template.format, calendar=calendar,
                                      rules=rf.ReferralRules.from_reference(reference), now=datetime.now(),
                                      first_seq=high + 1)
        made = list(rows)
        del cases
        _insert_batches(conn, Referral, (r for r, _p, _c in made), batch, count, "referrals")
        conn.execute(insert(RecordParty), [p for _r, p, _c in made])
        touch = (update(Case).where(Case.id == bindparam("b_id"))
                 .values(status=bindparam("b_status"), seq=bindparam("b_seq"), version=Case.version + 1,
                         updated_at=bindparam("b_at")))
        for start in range(0, len(made), batch):
            conn.execute(touch, [{"b_id": c["id"], "b_status": c["status"], "b_seq": c["seq"],
                                  "b_at": c["updated_at"]} for _r, _p, c in made[start:start + batch]])
        conn.execute(update(Counter).where(Counter.name == "seq").values(value=high + 2 * count))
        conn.execute(insert(Serial), [{"kind": "referral", "scope": org, "year": year, "next_serial": last + 1}
                                      for (org, year), last in serials.items()])
        assert conn.execute(select(func.count()).select_from(Referral)).scalar_one() == count
    _analyze(bureau, "cases", "referrals", "record_parties")
    return time.perf_counter() - started


def warm_server_cache(bureau: BenchBureau) -> None:
    """Read the cases and referrals tables once, so no measured pull starts with a cold database cache."""
    from sqlalchemy import text as sql

    as_text = "::text" if bureau.backend == "postgresql" else ""
    with bureau.engine.connect() as conn:
        for table, column in (("cases", "fields"), ("referrals", "data")):
            conn.execute(sql(f"SELECT count(*), sum(length({column}{as_text})) FROM {table}")).one()
    bureau.engine.dispose()

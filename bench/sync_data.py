"""Realistic cases for the sync benchmarks and the load test, from the demo vocabulary: drafts as a user types them
(valid by the same rules the client and the server apply), the `fields`/`officers` a create_case mutation carries,
and server rows for seeding fx-bureau's database directly."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from fx_desktop.domain.identifiers import make_citizen_id, make_credit_code
from fx_desktop.services.case_draft import CaseDraft, Officer, clean_to_json, validate
from fx_desktop.services.demo import DECIDED, SOURCES, STATUS_WEIGHTS, UNFILED
from fx_desktop.services.demo_vocabulary import CAUSES, GIVEN, ORG_KINDS, ORG_WORDS, REGIONS, ROADS, SURNAMES

CATEGORIES = sorted(CAUSES)
FACT_ADDENDA = ("当事人对违法事实无异议。", "已拍摄现场照片存档。", "当事人表示将于三日内整改。",
                "经复查，当事人已部分整改。", "周边居民再次投诉，现场情况未改变。", "已向当事人送达责令改正通知书。")


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def officer_pool(rng: random.Random, size: int = 60) -> list[Officer]:
    return [Officer(person_name(rng), f"3120{i:06d}") for i in rng.sample(range(10**6), size)]


def place(rng: random.Random, town: str) -> str:
    roads = ROADS[town]
    return f"奉贤区{roads[rng.randrange(len(roads))]}{rng.randrange(1, 2000)}号"


def draft(rng: random.Random, town: str, officers: list[Officer], *, occurred: datetime | None = None) -> CaseDraft:
    """A case as an officer registers it: a person (70 %) or a company, cause and facts of one category."""
    category = rng.choice(CATEGORIES)
    cause, basis, facts, penalty, (lo, hi) = rng.choice(CAUSES[category])
    where = place(rng, town)
    occurred = occurred or datetime.combine(date.today() - timedelta(days=rng.randrange(1, 60)),
                                            time(rng.randrange(7, 22), rng.randrange(60)))
    if rng.random() < 0.7:
        birth = date(rng.randrange(1955, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
        kind, name = "person", person_name(rng)
        id_number, legal_rep = make_citizen_id(rng.choice(REGIONS), birth, rng.randrange(1, 1000)), ""
    else:
        body = "91310120" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        kind, name = "org", f"上海{rng.choice(ORG_WORDS)}{rng.choice(ORG_KINDS)}"
        id_number, legal_rep = make_credit_code(body), person_name(rng)
    return CaseDraft(
        source=rng.choice(SOURCES), cause=cause, category=category, party_kind=kind, party_name=name,
        party_id_number=id_number, party_legal_rep=legal_rep,
        party_address=f"奉贤区{ROADS[town][0]}{rng.randrange(1, 900)}弄{rng.randrange(1, 40)}号",
        party_phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", place=where, occurred_at=occurred,
        facts=facts.format(place=where, n=rng.randrange(2, 120)), legal_basis=basis, proposed_penalty=penalty,
        proposed_amount="" if hi == 0 else f"{round(rng.uniform(lo, hi), -1):.0f}",
        officers=rng.sample(officers, 2),
    )


def mutation_fields(d: CaseDraft) -> tuple[dict, list[list[str]]]:
    """(fields, officers) exactly as the client's create_case mutation carries them."""
    return clean_to_json(validate(d))


def edited(rng: random.Random, d: CaseDraft) -> CaseDraft:
    """The same draft after a typical edit: facts supplemented, sometimes the place or the amount corrected."""
    from dataclasses import replace

    changes = {"facts": f"{d.facts}{rng.choice(FACT_ADDENDA)}"}
    if rng.random() < 0.3:
        changes["place"] = f"{d.place.rsplit('号', 1)[0]}附{rng.randrange(1, 9)}号"
    if d.proposed_amount and rng.random() < 0.3:
        changes["proposed_amount"] = str(int(d.proposed_amount) + 100)
    return replace(d, **changes)


def server_rows(rng: random.Random, count: int, towns: dict[str, str], number_format, *, as_of: date | None = None,
                first_seq: int = 1):
    """Yield fx_bureau.models.Case rows as dicts (seq first_seq, first_seq+1, ...), then the serials used, as
    (town, year) -> last serial, through the returned dict (filled as rows are made).

    `towns` maps town code -> agency code; `number_format(agency, year, serial)` makes the official number."""
    from fx_desktop.domain.deadlines import decision_deadline
    from fx_desktop.services.calendar import official_calendar

    as_of = as_of or date.today()
    calendar = official_calendar()
    codes = sorted(towns)
    pool = officer_pool(rng)
    statuses, weights = zip(*STATUS_WEIGHTS)
    serials: dict[tuple[str, int], int] = {}

    def rows():
        for i in range(count):
            town = rng.choice(codes)
            opened = as_of - timedelta(days=int(rng.triangular(0, 720, 30)))
            serials[(town, opened.year)] = serials.get((town, opened.year), 0) + 1
            occurred = datetime.combine(opened - timedelta(days=rng.randrange(0, 5)),
                                        time(rng.randrange(7, 22), rng.randrange(0, 60)))
            fields, officers = mutation_fields(draft(rng, town, pool, occurred=occurred))
            status = rng.choices(statuses, weights)[0]
            filed = None if status in UNFILED else opened + timedelta(days=rng.randrange(0, 7))
            decided = (filed + timedelta(days=rng.randrange(10, 80))) if filed and status in DECIDED else None
            created = datetime.combine(opened, time(9)) + timedelta(minutes=rng.randrange(600))
            version = 1 if status in UNFILED else rng.randrange(2, 7)
            yield {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "number": number_format(towns[town], opened.year, serials[(town, opened.year)]),
                "town_code": town, "status": str(status), "version": version, "seq": first_seq + i,
                "review_passed": decided is not None, "opened_on": opened, "filed_on": filed,
                "decision_due": decision_deadline(filed, calendar=calendar) if filed else None,
                "decided_on": decided, "created_by": person_name(rng), "created_at": created,
                "updated_at": created + timedelta(days=rng.randrange(0, 30)), "fields": fields, "officers": officers,
                "evidence": [],
            }

    return rows(), serials

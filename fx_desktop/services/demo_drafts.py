"""Case drafts as officers type them, from the demo vocabulary: valid by the same rules the client and the server
apply. Used to fill a demo server through the real sync path, and by the sync benchmarks."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from ..domain.case_draft import CaseDraft, Officer, clean_to_json, validate
from ..domain.identifiers import make_citizen_id, make_credit_code
from .demo import SOURCES
from .demo_vocabulary import CAUSES, GIVEN, ORG_KINDS, ORG_WORDS, REGIONS, ROADS, SURNAMES

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

"""Realistic cases for the sync benchmarks and the load test, from the demo vocabulary: drafts as a user types them
(valid by the same rules the client and the server apply), the `fields`/`officers` a create_case mutation carries,
and server rows for seeding fx-bureau's database directly."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from fx_desktop.services.demo import DECIDED, STATUS_WEIGHTS, UNFILED
from fx_desktop.services.demo_drafts import (  # noqa: F401 - bench.sync and bench.load use them from here
    draft,
    edited,
    mutation_fields,
    officer_pool,
    person_name,
)


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

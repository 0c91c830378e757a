"""Smoke test of bench/other_records.py (not a benchmark): a few hundred records of every kind the workbench reads
added to a store of demo cases, written as their appliers write them, and the busiest roles' workbenches reading
them (items per kind > 0); the three workbench figures well formed. No timing assertion."""
import sys
from datetime import date
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench import list_and_search, other_records  # noqa: E402
from bench.common import ensure_profile, open_bench_store  # noqa: E402
from fx_desktop.domain.organisations import OrgKind  # noqa: E402
from fx_desktop.domain.roles import Role  # noqa: E402
from fx_desktop.services import criminal_referrals, meetings, police_requests, referrals, supervisions  # noqa: E402
from fx_desktop.services import workbench  # noqa: E402
from fx_desktop.services.demo import generate  # noqa: E402
from fx_desktop.services.profile import Profile  # noqa: E402


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    store = open_bench_store(tmp_path_factory.mktemp("bench") / "data")
    generate(store, 3000, seed=1)
    ensure_profile(store)
    written = other_records.fill(store, 1200)
    yield store, written
    store.close()


def test_every_kind_is_written_in_its_share(filled):
    store, written = filled
    assert set(written) == set(other_records.SHARES)
    assert all(n > 0 for n in written.values()), written
    assert sum(written.values()) >= 1150  # review rounds need cases in the right status: nearly all are found
    with store.engine.connect() as conn:
        counts = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                  for t in ("police_requests", "criminal_referrals", "meetings", "supervisions")}
    assert counts == {"police_requests": written["police_request"], "criminal_referrals":
                      written["criminal_referral"], "meetings": written["meeting"],
                      "supervisions": written["supervision"]}


def _by_kind(store, profile) -> dict[str, int]:
    bench = workbench.load(store, profile, today=date.today())
    return {c.kind: c.total for c in bench.counts}


def test_the_busiest_roles_read_the_generated_records(filled):
    store, _written = filled
    town = list_and_search.busiest_town(store)
    leader = _by_kind(store, Profile("l", "张伟", Role.SQUAD_LEADER, town))
    for kind in ("case", "legal_review", "referral", "police_request", "criminal_referral", "meeting",
                 "supervision"):
        assert leader[kind] > 0, (kind, leader)
    office = _by_kind(store, Profile("o", "周敏", Role.OFFICE_STAFF, town))
    for kind in ("referral", "meeting", "supervision"):
        assert office[kind] > 0, (kind, office)
    dept = list_and_search.busiest_department(store)
    liaison = Profile("d", "李敏", Role.DEPARTMENT_LIAISON, None, dept, OrgKind.DEPARTMENT)
    counted = _by_kind(store, liaison)
    for kind in ("referral", "meeting", "supervision"):
        assert counted[kind] > 0, (kind, counted)


def test_the_services_read_the_rows_as_pulled_records(filled):
    """Each kind's own service reads the rows (their JSON and columns as the appliers write them)."""
    store, _written = filled
    town = list_and_search.busiest_town(store)
    leader = Profile("l", "张伟", Role.SQUAD_LEADER, town)
    assert referrals.inbox(store, leader, open_only=True, limit=10)
    assert police_requests.squad_open(store, leader, limit=10)[1] > 0
    crimes, total = criminal_referrals.listing(store, leader, limit=10)
    assert crimes and total > 0 and crimes[0].number
    held = [m for m in meetings.meetings(store, leader) if m.status == "held"]
    assert held and any(mt_agreed(m) for m in held)
    sheets = supervisions.sheets(store, leader)
    sheets = sheets[0] if isinstance(sheets, tuple) else sheets
    assert sheets and {str(s.status) for s in sheets} >= {"issued", "in_progress", "closed"}


def mt_agreed(record) -> bool:
    from fx_desktop.domain import meeting as mt

    return bool(mt.agreed_open(record.data)) or bool((record.data.get("minutes") or {}).get("items"))


def test_the_workbench_figures(qapp, filled):
    store, _written = filled
    view = list_and_search.ListView.open(store)
    try:
        figs = list_and_search.workbench_figures(view, store, 1, cases=3000)
    finally:
        view.close()
    assert [f["name"] for f in figs] == ["workbench_first_screen_ms", "workbench_office_staff_first_screen_ms",
                                         "workbench_department_liaison_first_screen_ms"]
    for fig in figs:
        assert fig["value"] > 0 and fig["goal"] == "< 80 ms" and isinstance(fig["met"], bool)
        assert fig["items"] == sum(fig["by_kind"].values()) and fig["items"] > 0 and fig["listed"] > 0
        assert fig["ratio_vs_goal"] == pytest.approx(fig["value"] / 80, rel=0.01)

"""Demo data: reproducible from a seed, valid identifiers, a sound audit chain, real evidence blobs, never synced."""
from datetime import date

import pytest
from sqlalchemy import func, select, text

from fx_desktop.cli import main
from fx_desktop.domain.identifiers import validate_citizen_id, validate_credit_code
from fx_desktop.paths import DataPaths
from fx_desktop.services import demo
from fx_desktop.store import audit, meta, open_store
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from fx_desktop.store.models import Case, OutboxEntry

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def two_demo_stores(tmp_path_factory):
    """Two fresh stores filled with the same seed (module scope: generating is the slow part)."""
    stores = []
    for name in ("a", "b"):
        s = open_store(DataPaths.at(tmp_path_factory.mktemp(name) / "data"))
        result = demo.generate(s, 300, seed=7, as_of=AS_OF, open_within=demo.OPEN_WITHIN)  # as a first start
        assert result.cases == 300
        stores.append(s)
    yield stores
    for s in stores:
        s.close()


def _rows(store, sql):
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_same_seed_same_data(two_demo_stores):
    a, b = two_demo_stores
    sql = "SELECT number, party_name, party_id_number, facts FROM cases ORDER BY number"
    rows = _rows(a, sql)
    assert len(rows) == 300 and len({r[0] for r in rows}) == 300
    assert rows == _rows(b, sql)
    full = "SELECT * FROM cases ORDER BY row_id"
    assert _rows(a, full) == _rows(b, full)


def test_different_seed_differs(tmp_path):
    s = open_store(DataPaths.at(tmp_path / "data"))
    try:
        demo.generate(s, 20, seed=8, as_of=AS_OF)
        names = _rows(s, "SELECT party_name, facts FROM cases ORDER BY row_id")
    finally:
        s.close()
    assert len(names) == 20
    assert len(set(names)) > 1


def test_identifiers_validate(two_demo_stores):
    a = two_demo_stores[0]
    people = _rows(a, "SELECT party_id_number, party_sex, party_birth_date FROM cases WHERE party_kind = 'person'")
    orgs = _rows(a, "SELECT party_id_number, party_legal_rep FROM cases WHERE party_kind = 'org'")
    assert people and orgs and len(people) + len(orgs) == 300
    for pid, sex, birth in people:
        assert validate_citizen_id(pid) == pid
        assert birth == f"{pid[6:10]}-{pid[10:12]}-{pid[12:14]}"
        assert sex == ("男" if int(pid[16]) % 2 else "女")
    for code, rep in orgs:
        assert validate_credit_code(code) == code and rep


def test_cases_are_plausible(two_demo_stores):
    a = two_demo_stores[0]
    rows = _rows(a, "SELECT status, opened_on, filed_on, decision_due, occurred_at FROM cases")
    for status, opened, filed, due, occurred in rows:
        assert opened <= AS_OF.isoformat() and occurred[:10] <= opened
        assert (filed is None) == (status in ("clue", "not_filed"))
        assert (due is None) == (filed is None)
    assert _rows(a, "SELECT count(*) FROM cases c WHERE (SELECT count(*) FROM case_officers o "
                    "WHERE o.case_id = c.id) != 2") == [(0,)]
    # the serial counters continue after the demo numbers
    with a.engine.connect() as conn:
        for scope, year, nxt in conn.execute(text("SELECT scope, year, next_serial FROM serials WHERE kind = 'case'")):
            used = conn.execute(text("SELECT count(*) FROM cases WHERE town_code = :t AND number LIKE :y"),
                                {"t": scope, "y": f"%〔{year}〕%"}).scalar()
            assert nxt == used + 1


def test_audit_chain_evidence_meta_and_no_outbox(two_demo_stores):
    a = two_demo_stores[0]
    with a.sessions() as session:
        report = audit.verify_chain(session)
        assert report.ok and report.checked == _rows(a, "SELECT count(*) FROM audit_log")[0][0]
    assert _rows(a, "SELECT count(*) FROM audit_log WHERE action = 'create'") == [(300,)]
    with a.sessions() as session:
        assert meta.get(session, "demo") == "1"
        assert session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one() == 0
    shas = _rows(a, "SELECT sha256, size FROM evidence")
    assert shas
    for sha, size in shas:
        assert a.blobs.has(sha) and a.blobs.path_for(sha).stat().st_size == size


def test_demo_cases_are_searchable(two_demo_stores):
    a = two_demo_stores[0]
    queries = CaseQueries(a.engine)
    number, name = _rows(a, "SELECT number, party_name FROM cases ORDER BY row_id LIMIT 1")[0]
    lq, total = queries.prepare(CaseFilter(text=number))
    assert total == 1 and queries.page(lq)[0][1] == number
    lq, total = queries.prepare(CaseFilter(text=name))
    assert total == _rows(a, f"SELECT count(*) FROM cases WHERE party_name LIKE '%{name}%' "
                             f"OR facts LIKE '%{name}%' OR place LIKE '%{name}%' OR cause LIKE '%{name}%'")[0][0]


def test_a_bulk_demo_indexes_every_case_once_at_the_end(store, profile, make_draft, monkeypatch):
    """From demo.BULK cases on, the index triggers are paused and the index is built once, in key order: every
    case is found, in the register's order, and the triggers run again afterwards."""
    from fx_desktop.services import cases
    from fx_desktop.store import search_index

    monkeypatch.setattr(demo, "BULK", 100)
    monkeypatch.setattr(demo, "BATCH", 60)
    reported: list[tuple[int, int]] = []
    demo.generate(store, 150, seed=4, as_of=AS_OF, progress=lambda done, total: reported.append((done, total)))
    assert reported == [(60, 150), (120, 150), (149, 150), (150, 150)]  # all done only once the index is built
    with store.sessions() as session:
        assert not search_index.paused(session)
    queries = CaseQueries(store.engine)
    lq, total = queries.prepare(CaseFilter(text="奉贤区"))
    assert total == 150
    listed = [row[0] for row in queries.page(lq, limit=500)]
    assert listed == [r[0] for r in _rows(store, "SELECT id FROM cases ORDER BY opened_on DESC, row_id DESC")]
    for number, in _rows(store, "SELECT number FROM cases ORDER BY random() LIMIT 5"):
        assert queries.prepare(CaseFilter(text=number))[1] == 1
    new = cases.create_case(store, profile, make_draft(facts="演示之后新立的案件：夜间施工噪声扰民。"))
    lq, total = queries.prepare(CaseFilter(text="演示之后新立"))
    assert total == 1 and queries.page(lq)[0][0] == new.id


def test_demo_after_normal_work_keeps_chain_and_numbers(store, profile, make_draft):
    from datetime import datetime

    from fx_desktop.services import cases

    first = cases.create_case(store, profile, make_draft(), now=datetime(2026, 10, 30, 9))
    demo.generate(store, 40, seed=3, as_of=AS_OF)
    later = cases.create_case(store, profile, make_draft(), now=datetime(2026, 10, 31, 9))
    with store.sessions() as session:
        assert audit.verify_chain(session).ok
        numbers = session.execute(select(Case.number)).scalars().all()
    assert len(numbers) == len(set(numbers)) == 42
    assert first.number == "奉南桥综执立〔2026〕0001号" and later.number != first.number


def test_cli_demo_data(tmp_path, capsys):
    root = tmp_path / "demo"
    assert main(["demo-data", "--data-dir", str(root), "--cases", "5", "--seed", "3", "--as-of", "2026-11-01"]) == 0
    captured = capsys.readouterr()
    assert "生成 5 件演示案件" in captured.out and "已生成 5/5 件" in captured.err
    s = open_store(DataPaths.at(root))
    try:
        assert _rows(s, "SELECT count(*) FROM cases") == [(5,)]
    finally:
        s.close()


@pytest.mark.parametrize("args, words", [
    (["--cases", "0"], "--cases 须为正整数"),
    (["--cases", "-3"], "--cases 须为正整数"),
    (["--as-of", "2026-13-01"], "日期格式应为 YYYY-MM-DD"),
    (["--as-of", "明天"], "收到“明天”"),
])
def test_cli_demo_data_rejects_bad_arguments(tmp_path, capsys, args, words):
    root = tmp_path / "demo"
    assert main(["demo-data", "--data-dir", str(root), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and words in err
    assert not root.exists()  # nothing was created


# --- every section a role has is filled: review rounds, clocks, referrals ------------------------------------------

@pytest.fixture(scope="module")
def first_run_demo(tmp_path_factory):
    """As a first start does it: the profile saved, then the smallest demo the dialog offers (100 cases)."""
    from fx_desktop.domain.roles import Role
    from fx_desktop.services.profile import save_profile

    s = open_store(DataPaths.at(tmp_path_factory.mktemp("first") / "data"))
    me = save_profile(s, name="测试员", role=Role.OFFICER, org_code="nanqiao")
    demo.generate(s, 100, seed=1, as_of=AS_OF, open_within=demo.OPEN_WITHIN)
    yield s, me
    s.close()


def _as(me, role):
    from dataclasses import replace

    return replace(me, role=role)


def test_first_run_demo_gives_the_reviewer_rounds_some_overdue(first_run_demo):
    from fx_desktop.domain.roles import Role
    from fx_desktop.services import legal_review, workbench

    s, me = first_run_demo
    reviewer = _as(me, Role.LEGAL_REVIEWER)
    bench = workbench.load(s, reviewer, today=AS_OF)
    reviews = [i for i in bench.items if i.kind == "legal_review"]
    assert reviews and all(i.task.startswith("审核第") for i in reviews)
    assert any(i.overdue for i in reviews) and any(not i.overdue for i in reviews)
    queue = legal_review.queue(s, reviewer, today=AS_OF, pending_only=True)
    assert len(queue) == len(reviews) and any(q.overdue for q in queue)
    every = legal_review.queue(s, reviewer, today=AS_OF, pending_only=False)
    decided = [q.review for q in every if q.review.outcome]
    assert decided and all(r.opinion and r.reviewer and r.opinion_number for r in decided)


def test_first_run_demo_gives_the_squad_clocks_answers_and_late_referrals(first_run_demo):
    from fx_desktop.domain.roles import Role
    from fx_desktop.services import referrals, workbench

    s, me = first_run_demo
    bench = workbench.load(s, _as(me, Role.SQUAD_LEADER), today=AS_OF)
    tasks = {i.task for i in bench.items}
    assert any(i.kind == "case" and i.due for i in bench.items)  # a decision clock
    assert "审核通过，作出决定" in tasks
    late = [i for i in bench.items if i.kind == "referral"]
    assert late and all(i.overdue for i in late)  # the department is late with its receipt
    sent = referrals.inbox(s, _as(me, Role.SQUAD_LEADER), today=AS_OF)
    assert sent and {r.receiving_org for r in sent} <= {"ghzy", "sthj", "sw", "fg", "jsgl"}
    staff = workbench.load(s, _as(me, Role.OFFICE_STAFF), today=AS_OF)
    assert {i.task for i in staff.items} >= {"打印法制审核意见书", "打印移送函、物品清单和回执"}


def test_first_run_demo_names_the_officer_on_their_town_cases(first_run_demo):
    from fx_desktop.services import workbench

    s, me = first_run_demo
    bench = workbench.load(s, me, today=AS_OF)
    assert bench.total > 0
    named = _rows(s, "SELECT count(DISTINCT c.id) FROM cases c JOIN case_officers o ON o.case_id = c.id "
                     "WHERE o.name = '测试员' AND c.town_code = 'nanqiao'")[0][0]
    assert named >= 3
    assert _rows(s, "SELECT count(*) FROM case_officers WHERE name = '测试员' AND case_id IN "
                    "(SELECT id FROM cases WHERE town_code != 'nanqiao')") == [(0,)]


def test_demo_cases_in_review_or_referred_have_their_records(two_demo_stores):
    """No case sits in 法制审核 without a round, or in 移送 without a referral; every town has both."""
    a = two_demo_stores[0]
    assert _rows(a, "SELECT count(*) FROM cases WHERE status = 'legal_review' AND id NOT IN "
                    "(SELECT case_id FROM legal_reviews)") == [(0,)]
    assert _rows(a, "SELECT count(*) FROM cases WHERE status = 'referred' AND id NOT IN "
                    "(SELECT case_id FROM referrals)") == [(0,)]
    towns = {t for t, in _rows(a, "SELECT DISTINCT town_code FROM cases")}
    assert {t for t, in _rows(a, "SELECT DISTINCT owner_org FROM legal_reviews WHERE status = 'pending'")} == towns
    assert {t for t, in _rows(a, "SELECT DISTINCT owner_org FROM referrals")} == towns
    outcomes = {o for o, in _rows(a, "SELECT DISTINCT status FROM legal_reviews")}
    assert outcomes == {"pending", "agreed", "returned", "disagreed"}
    steps = {st for st, in _rows(a, "SELECT DISTINCT status FROM referrals")}
    assert steps >= {"submitted", "accepted", "concluded"}


def test_demo_clocks_mostly_run_some_are_overdue(two_demo_stores):
    """Open cases are recent enough that most decision clocks still run; some are past their 90 days, and decided
    cases wait days, not months, to be served."""
    from fx_desktop.domain.roles import Role
    from fx_desktop.services import workbench
    from fx_desktop.services.profile import Profile

    a = two_demo_stores[0]
    late = total = 0
    for town in ("nanqiao", "fengcheng", "jinhui", "situan"):
        bench = workbench.load(a, Profile(f"leader-{town}", "队长", Role.SQUAD_LEADER, town), today=AS_OF)
        cases = next(c for c in bench.counts if c.kind == "case")
        late, total = late + cases.overdue, total + sum(1 for i in bench.items if i.kind == "case" and i.due)
        assert all(i.left > -30 for i in bench.items if i.task == "送达处罚决定书")
    assert 0 < late < total / 2

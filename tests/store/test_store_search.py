"""Case register queries: the bigram index must find exactly the cases a plain substring search over the
normalised fields finds, the filters must select what they say, and paging must neither skip nor repeat."""
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from fx_desktop.domain.deadlines import decision_deadline
from fx_desktop.services.calendar import official_calendar
from fx_desktop.domain.identifiers import make_citizen_id
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases
from fx_desktop.services.profile import Profile
from fx_desktop.store import case_queries
from fx_desktop.store.case_queries import OPEN_BEFORE_DECISION, CaseFilter, CaseQueries
from fx_desktop.store.search_text import BIGRAM_TABLE, TRIGRAM_TABLE, bigrams, match_for, normalize

INDEXED = ("number", "party_name", "party_id_number", "place", "cause", "facts")
ID_WITH_X = "34052419800101001X"  # GB 11643 test vector
FENGCHENG = Profile("user-fengcheng", "李娜", Role.SQUAD_LEADER, "fengcheng")


# -- helpers ------------------------------------------------------------------------------------------------------

def indexed_rows(store) -> list[dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, row_id, {', '.join(INDEXED)} FROM cases")).mappings().all()
    return [dict(r) for r in rows]


def brute_force(store, query: str) -> set[str]:
    """Ids of cases where the normalised query is a substring of one normalised indexed field."""
    q = normalize(query)
    return {r["id"] for r in indexed_rows(store) if any(q in normalize(r[c]) for c in INDEXED)}


def search(store, flt: CaseFilter, **kw) -> list[str]:
    queries = CaseQueries(store.engine)
    lq, total = queries.prepare(flt, **kw)
    ids = [row[0] for row in queries.page(lq, limit=10_000)]
    assert total == len(ids), (flt, total, len(ids))
    assert len(set(ids)) == len(ids)
    return ids


def all_pages(store, flt: CaseFilter, size: int, **kw) -> tuple[list[str], case_queries.ListQuery]:
    queries = CaseQueries(store.engine)
    lq, total = queries.prepare(flt, **kw)
    out, offset = [], 0
    while True:
        page = queries.page(lq, offset=offset, limit=size)
        assert len(page) <= size
        if not page:
            break
        out.extend(row[0] for row in page)
        offset += size
    assert len(out) == total
    return out, lq


@dataclass
class Spec:
    party_name: str
    place: str
    facts: str
    cause: str = "擅自搭建建筑物、构筑物"
    category: str = "违法建筑"
    party_kind: str = "person"
    party_id_number: str = ""
    day: date = date(2026, 1, 5)
    town: str = "nanqiao"


SPECS = [
    Spec("王建国", "奉贤区解放东路100号", "当事人在解放东路100号擅自搭建彩钢板违建约30平方米。",
         party_id_number=make_citizen_id("310120", date(1970, 5, 1), 11), day=date(2026, 1, 3)),
    Spec("欧阳娜", "奉贤区江海路88号", "在江海路88号门前跨门营业，堆放货物约5平方米。", cause="跨门营业",
         category="市容环境", party_id_number=ID_WITH_X, day=date(2026, 1, 3)),
    Spec("欧阳明", "奉贤区南桥路8号", "屋顶加层，属违法建设，俗称违建。", party_id_number="", day=date(2026, 1, 4)),
    Spec("上海鑫盛餐饮管理有限公司", "奉贤区百齐路66号", "油烟净化设施未正常使用，ABC牌风机油烟直排。",
         cause="餐饮油烟超标排放", category="环境保护", party_kind="org", party_id_number="91350100M000100Y43",
         day=date(2026, 2, 1)),
    Spec("王", "奉贤区运河北路1号", "单字当事人，事实以王结尾：王", day=date(2026, 2, 1)),
    Spec("陈秀英", "奉贤区奉城大街300号", "在奉城大街擅自设摊经营水果，占地约６平方米（全角数字）。",
         cause="擅自占用道路从事经营活动", category="市容环境", town="fengcheng", day=date(2026, 2, 10),
         party_id_number=make_citizen_id("310120", date(1962, 11, 30), 222)),
    Spec("张三丰", "奉贤区南奉公路2000号", "未经批准擅自挖掘城市道路约12平方米。", cause="擅自挖掘城市道路",
         category="市政设施", town="fengcheng", day=date(2026, 3, 1)),
    Spec("李违", "奉贤区环城东路5号", "建筑垃圾运输车辆未密闭，沿途撒漏约200米。",
         cause="建筑垃圾运输车辆未密闭运输", category="交通运输", day=date(2026, 3, 2)),
    Spec("赵六", "奉贤区金海公路9号", "车牌甲1234567乙3456789，两串数字之间隔着汉字。", day=date(2026, 3, 3)),
]


def create(store, profile, make_draft, spec: Spec):
    actor = FENGCHENG if spec.town == "fengcheng" else profile
    draft = make_draft(party_name=spec.party_name, place=spec.place, facts=spec.facts, cause=spec.cause,
                       category=spec.category, party_kind=spec.party_kind, party_id_number=spec.party_id_number)
    return cases.create_case(store, actor, draft, now=datetime.combine(spec.day, datetime.min.time()).replace(hour=9))


@pytest.fixture
def corpus(store, profile, make_draft):
    return [create(store, profile, make_draft, s) for s in SPECS]


# -- text search --------------------------------------------------------------------------------------------------

QUERIES = [
    "王",            # one character, also a whole field and the very last character of a field
    "欧阳",          # two-character surname
    "违建",
    "违",            # one character inside words and at the start of a name
    "解放东",        # place fragment
    "江海路88",
    "01001x",        # ID number fragment, lowercase x
    "y43",           # credit code fragment
    "〔2026〕0002",  # case-number fragment with its punctuation
    "2026-0002",     # ...and with other punctuation
    "综执立",
    "abc",           # ASCII in facts, other case
    "6平方米",       # full-width digit in the text, ASCII in the query
    "擅自",
    "油烟直排",
    "号",
    "米。",          # trailing punctuation is ignored
    "不存在的词语",
    "王欧阳",        # spans two cases' fields: nothing
    "19700501",      # birth date in an ID number: six digits or more go to the digit grams
    "3101201962",    # region and birth year
    "201962113",     # ...running into the sequence code
    "12345",         # five digits: the trigram index
    "2345678",       # spans two digit runs of one field (甲1234567乙3456789): nothing
    "1234567",
]


@pytest.mark.parametrize("query", QUERIES)
def test_text_search_equals_brute_force(store, corpus, query):
    expected = brute_force(store, query)
    assert set(search(store, CaseFilter(text=query))) == expected


def test_text_search_known_answers(store, corpus):
    ids = [r.id for r in corpus]
    assert set(search(store, CaseFilter(text="欧阳"))) == {ids[1], ids[2]}
    assert set(search(store, CaseFilter(text="01001x"))) == {ids[1]}
    assert set(search(store, CaseFilter(text="违建"))) == {ids[0], ids[2]}
    assert set(search(store, CaseFilter(text="6平方米"))) == {ids[5]}
    assert set(search(store, CaseFilter(text="王"))) == {ids[0], ids[4]}
    assert search(store, CaseFilter(text="王欧阳")) == []
    # Numbers are per town and year: the second nanqiao case of 2026 is the only 〔2026〕0002 there, plus
    # the second fengcheng one.
    assert set(search(store, CaseFilter(text="〔2026〕0002"))) == {ids[1], ids[6]}


def test_query_without_letters_or_digits_matches_everything(store, corpus):
    assert match_for("——") is None
    assert set(search(store, CaseFilter(text="——"))) == {r.id for r in corpus}
    assert set(search(store, CaseFilter(text="   "))) == {r.id for r in corpus}


def test_match_carries_no_fts_syntax_and_picks_the_index_by_length():
    assert match_for('a" OR "b') == (TRIGRAM_TABLE, '"aorb"')
    assert match_for("12345") == (TRIGRAM_TABLE, '"12345"')
    assert match_for("〔2026〕0012") == (BIGRAM_TABLE, '"202600 026001 260012"')
    assert match_for("１９８０-0101") == (BIGRAM_TABLE, '"198001 980010 800101"')
    assert match_for("2026001x") == (TRIGRAM_TABLE, '"2026001x"')
    assert match_for("违") == (BIGRAM_TABLE, '"违"*')
    assert match_for("违建") == (BIGRAM_TABLE, '"违建"')
    assert match_for("违法建") == (TRIGRAM_TABLE, '"违法建"')
    for hostile in ('"', 'NEAR(a b)', "a*", "x OR y", "col:value", "^start", "(a) AND (b)"):
        found = match_for(hostile)
        assert found is None or (found.expr.count('"') == 2 and found.expr.startswith('"'))


def test_hostile_queries_do_not_raise(store, corpus):
    for hostile in ('"', 'NEAR(违 建)', "违*", "违 OR 建", "facts:违建", "^王", "(王) AND (违)"):
        assert set(search(store, CaseFilter(text=hostile))) == brute_force(store, hostile)


def test_bigrams_layout():
    assert bigrams("违法建筑") == "违法 法建 建筑 筑"
    assert bigrams("〔2026〕0012号") == "20 02 26 60 00 01 12 2号 号 202600 026001 260012 2"
    assert bigrams("a1234567b123456") == ("a1 12 23 34 45 56 67 7b b1 12 23 34 45 56 6 "
                                          "123456 234567 7 123456 6")
    assert bigrams("王") == "王"
    assert bigrams("") == "" and bigrams(None) == ""
    assert normalize("奉南桥综执立〔2026〕0012号") == "奉南桥综执立20260012号"
    assert normalize("３４０５２４X") == "340524x"


def test_updating_facts_moves_case_in_and_out_of_results(store, profile, corpus, make_draft):
    target = corpus[3]  # the restaurant
    assert target.id in search(store, CaseFilter(text="油烟直排"))
    assert target.id not in search(store, CaseFilter(text="夜间施工"))
    draft = target.draft()
    draft.facts = "22时后夜间施工，噪声扰民。"
    cases.update_case(store, profile, target.id, draft, base_version=target.version, now=datetime(2026, 2, 2, 9))
    assert target.id not in search(store, CaseFilter(text="油烟直排"))
    assert target.id in search(store, CaseFilter(text="夜间施工"))
    for q in ("油烟", "噪声", "施工", "鑫盛"):
        assert set(search(store, CaseFilter(text=q))) == brute_force(store, q)


def test_updating_unindexed_column_keeps_index(store, corpus):
    target = corpus[0]
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET party_phone = '13900000000', status = 'filed' WHERE id = :id"),
                     {"id": target.id})
    assert target.id in search(store, CaseFilter(text="解放东"))


def test_deleting_case_removes_it_from_index(store, corpus):
    target = corpus[1]
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM cases WHERE id = :id"), {"id": target.id})
    assert search(store, CaseFilter(text="江海路")) == []
    assert set(search(store, CaseFilter(text="欧阳"))) == {corpus[2].id}
    with store.engine.connect() as conn:
        # the index holds exactly one document per remaining case
        docs = conn.execute(text("SELECT count(*) FROM case_search WHERE case_search MATCH '\"号\"*'")).scalar()
        assert docs == len(corpus) - 1


# -- property: any substring of indexed text finds the case -------------------------------------------------------

ALPHABET = ("违法建筑擅自搭建当事人奉贤区南桥镇解放东路号弄室王李张欧阳娜一二三〇零壹贰"
            "abcXYZ0123456789 -_.,，。、（）〔〕【】\"'*:^()ＡＢＣ１２３ｘ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), facts=st.text(alphabet=ALPHABET, min_size=1, max_size=40))
def test_any_substring_of_indexed_facts_finds_the_case(store, profile, make_draft, data, facts):
    norm = normalize(facts)
    rec = cases.create_case(store, profile, make_draft(facts=facts, party_name="甲", place="某地", cause="某事",
                                                       party_id_number=""))
    start = data.draw(st.integers(0, max(len(norm) - 1, 0)), label="start")
    end = data.draw(st.integers(min(start + 1, len(norm)), len(norm)), label="end")
    query = norm[start:end] or facts
    found = set(search(store, CaseFilter(text=query)))
    assert rec.id in found
    assert found == brute_force(store, query)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), facts=st.text(alphabet="0123456789１２３〔〕-号甲x ", min_size=6, max_size=40))
def test_any_substring_of_digit_runs_finds_exactly_the_cases_holding_it(store, profile, make_draft, data, facts):
    """Digit-heavy text: queries of six digits or more go to the digit grams; runs split by other characters."""
    norm = normalize(facts)
    rec = cases.create_case(store, profile, make_draft(facts=facts, party_name="甲", place="某地", cause="某事",
                                                       party_id_number=""))
    start = data.draw(st.integers(0, max(len(norm) - 1, 0)), label="start")
    end = data.draw(st.integers(min(start + 1, len(norm)), len(norm)), label="end")
    query = norm[start:end] or facts
    found = set(search(store, CaseFilter(text=query)))
    assert rec.id in found
    assert found == brute_force(store, query)
    other = data.draw(st.text(alphabet="0123456789", min_size=6, max_size=9), label="other")
    assert set(search(store, CaseFilter(text=other))) == brute_force(store, other)


# -- filters ------------------------------------------------------------------------------------------------------

@pytest.fixture
def lifecycle_corpus(store, profile, corpus):
    """Corpus cases moved along: 0 filed, 1 filed later, 3 decided, 5 filed (fengcheng), 6 not_filed."""
    def run(rec, actor, *steps):
        for action, when in steps:
            rec = cases.change_status(store, actor, rec.id, action, expected_status=rec.status, now=when)
        return rec

    out = list(corpus)
    out[0] = run(corpus[0], profile, ("file", datetime(2026, 1, 5, 9)))
    out[1] = run(corpus[1], profile, ("file", datetime(2026, 2, 20, 9)))
    out[3] = run(corpus[3], profile, ("file", datetime(2026, 2, 2, 9)), ("start_investigation", datetime(2026, 2, 3)),
                 ("close_investigation", datetime(2026, 2, 4)), ("notify", datetime(2026, 2, 5)),
                 ("decide", datetime(2026, 2, 6)))
    out[5] = run(corpus[5], FENGCHENG, ("file", datetime(2026, 2, 11, 9)),
                 ("start_investigation", datetime(2026, 2, 12)))
    out[6] = run(corpus[6], FENGCHENG, ("not_file", datetime(2026, 3, 2, 9)))
    return out


def _rows(store) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text("SELECT * FROM cases")).mappings()]


def test_filters_match_python_predicates(store, lifecycle_corpus):
    rows = _rows(store)
    iso = date.isoformat
    checks = [
        (CaseFilter(status="filed"), lambda r: r["status"] == "filed"),
        (CaseFilter(status="clue"), lambda r: r["status"] == "clue"),
        (CaseFilter(town_code="fengcheng"), lambda r: r["town_code"] == "fengcheng"),
        (CaseFilter(category="市容环境"), lambda r: r["category"] == "市容环境"),
        (CaseFilter(opened_from=date(2026, 1, 4), opened_to=date(2026, 2, 10)),
         lambda r: "2026-01-04" <= r["opened_on"] <= "2026-02-10"),
        (CaseFilter(opened_from=date(2026, 2, 1)), lambda r: r["opened_on"] >= "2026-02-01"),
        (CaseFilter(opened_to=date(2026, 1, 3)), lambda r: r["opened_on"] <= "2026-01-03"),
        (CaseFilter(town_code="nanqiao", category="违法建筑", text="违建"),
         lambda r: r["town_code"] == "nanqiao" and r["category"] == "违法建筑"
         and any("违建" in normalize(r[c]) for c in INDEXED)),
        (CaseFilter(status="filed", text="欧阳"), lambda r: r["status"] == "filed" and "欧阳" in r["party_name"]),
    ]
    for day in (date(2026, 4, 1), date(2026, 4, 6), date(2026, 4, 7), date(2026, 5, 12), date(2026, 6, 1)):
        checks.append((CaseFilter(overdue_on=day),
                       lambda r, d=iso(day): r["decision_due"] is not None and r["decision_due"] < d
                       and r["status"] in OPEN_BEFORE_DECISION))
    for flt, pred in checks:
        expected = {r["id"] for r in rows if pred(r)}
        assert set(search(store, flt)) == expected, flt


def test_overdue_known_answers(store, lifecycle_corpus):
    c = lifecycle_corpus
    # 90 days after 2026-01-05 is Sunday 5 April, inside the Qingming holiday (4-4..4-6): due Tuesday 7 April.
    due0 = decision_deadline(date(2026, 1, 5), calendar=official_calendar())
    assert c[0].decision_due == due0 == date(2026, 4, 7)
    assert search(store, CaseFilter(overdue_on=due0)) == []  # the last day itself is still in time
    assert search(store, CaseFilter(overdue_on=date(2026, 4, 8))) == [c[0].id]
    # decided case 3 (due 2026-05-05) never counts as overdue; 5 is investigating; 1 is filed
    late = set(search(store, CaseFilter(overdue_on=date(2026, 12, 31))))
    assert late == {c[0].id, c[1].id, c[5].id}
    assert set(search(store, CaseFilter(overdue_on=date(2026, 12, 31), town_code="fengcheng"))) == {c[5].id}


# -- sorting and paging -------------------------------------------------------------------------------------------

def _expected_order(store, ids: set[str], sort: str, descending: bool) -> list[str]:
    rows = [r for r in _rows(store) if r["id"] in ids]
    rows.sort(key=lambda r: (r[sort] is not None, r[sort] or "", r["row_id"]), reverse=descending)
    return [r["id"] for r in rows]


@pytest.mark.parametrize("sort", sorted(case_queries.SORTABLE))
@pytest.mark.parametrize("descending", [True, False])
def test_pages_concatenate_to_the_sorted_list(store, lifecycle_corpus, sort, descending):
    for flt in (CaseFilter(), CaseFilter(text="号"), CaseFilter(text="擅自", town_code="nanqiao")):
        everything = search(store, flt, sort=sort, descending=descending)
        assert everything == _expected_order(store, set(everything), sort, descending)
        for size in (1, 3):
            paged, _ = all_pages(store, flt, size, sort=sort, descending=descending)
            assert paged == everything


def test_unknown_sort_column_is_refused(store):
    with pytest.raises(ValueError):
        CaseQueries(store.engine).prepare(CaseFilter(), sort="facts; DROP TABLE cases")


def test_the_lists_connection_keeps_more_pages_than_sqlites_default(store):
    queries = CaseQueries(store.engine)
    try:
        assert queries._all("PRAGMA cache_size", {}) == [(-case_queries.LIST_CACHE_KIB,)]
        assert case_queries.LIST_CACHE_KIB > 2000  # SQLite's default: 2,000 KiB
    finally:
        queries.close()


def test_dense_path_pages_like_the_sparse_path(store, lifecycle_corpus, monkeypatch):
    queries = [("号", {}), ("擅自", {}), ("号", {"status": "filed"}), ("奉", {"town_code": "nanqiao"}),
               ("号", {"opened_from": date(2026, 2, 1)}), ("王", {})]
    sparse = {}
    for q, kw in queries:
        lq, _ = CaseQueries(store.engine).prepare(CaseFilter(text=q, **kw), sort="number", descending=False)
        assert not lq.dense and lq.hit_ids is not None
        sparse[q, tuple(kw.items())] = search(store, CaseFilter(text=q, **kw), sort="number", descending=False)

    monkeypatch.setattr(case_queries, "DENSE_HITS", 1)
    dense_seen = False
    for q, kw in queries:
        flt = CaseFilter(text=q, **kw)
        lq, total = CaseQueries(store.engine).prepare(flt, sort="number", descending=False)
        hits = len(brute_force(store, q))
        assert lq.dense == (hits > 1)
        dense_seen |= lq.dense
        expected = sparse[q, tuple(kw.items())]
        assert total == len(expected)
        paged, _ = all_pages(store, flt, 2, sort="number", descending=False)
        assert paged == expected
        assert set(paged) == {i for i in brute_force(store, q) if i in set(search(store, CaseFilter(**kw)))}
    assert dense_seen


def test_search_by_opening_date_reads_the_index_in_key_order(store, lifecycle_corpus):
    """Sorted by opening date (the register's default), a text search reads its matches from the index in key
    order: no count, no sorting of the matches, and the same cases in the same order as the row-id plan."""
    queries = CaseQueries(store.engine)
    for flt in (CaseFilter(text="号"), CaseFilter(text="擅自", town_code="nanqiao"), CaseFilter(text="奉贤区")):
        for descending in (True, False):
            lq = queries.plan(flt, descending=descending)
            assert lq.in_key_order and lq.total is None and lq.hit_ids is None
            sql, params = queries.page_sql(lq)
            plan = [row[3] for row in queries._all(f"EXPLAIN QUERY PLAN {sql}", {**params, "limit": 5, "offset": 0})]
            assert plan[0].startswith("SCAN " + flt.match.table), plan
            assert not any("TEMP B-TREE" in step for step in plan), plan
            by_row_id = queries.plan(flt, sort="number")
            expected = _expected_order(store, {r[0] for r in queries.page(by_row_id, limit=1000)}, "opened_on",
                                       descending)
            assert [r[0] for r in queries.page(lq, limit=1000)] == expected
            assert queries.count(lq) == len(expected)


def test_a_filtered_list_reads_its_cases_from_an_index_in_date_order(store, lifecycle_corpus):
    """Filtered by status, town or category (a town's user always is, by town), the register's default order
    comes from the filter's index (migration 0010): no sorting of every matching case before the first page."""
    queries = CaseQueries(store.engine)
    for flt in (CaseFilter(status="filed"), CaseFilter(town_code="nanqiao"), CaseFilter(category="违法建筑"),
                CaseFilter(owner_towns=("nanqiao",)), CaseFilter(status="closed", town_code="nanqiao")):
        for descending in (True, False):
            lq = queries.plan(flt, descending=descending)
            sql, params = queries.page_sql(lq)
            plan = [row[3] for row in queries._all(f"EXPLAIN QUERY PLAN {sql}", {**params, "limit": 5, "offset": 0})]
            assert plan[0].startswith("SEARCH c USING INDEX ix_cases_"), (flt, plan)
            assert not any("TEMP B-TREE" in step for step in plan), (flt, plan)
    queries.close()


def test_changing_the_opening_date_moves_the_case_in_search_order(store, corpus):
    """The index key holds the opening date: the triggers re-key a case whose date changes (a 'delete' with a
    wrong key would leave a stale document behind, found here as a duplicate or a wrong order)."""
    oldest = min(corpus, key=lambda r: (r.opened_on, 0))
    before = search(store, CaseFilter(text="号"))
    assert before[-1] == oldest.id
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET opened_on = '2026-12-31' WHERE id = :id"), {"id": oldest.id})
    after = search(store, CaseFilter(text="号"))
    assert after[0] == oldest.id and sorted(after) == sorted(before)
    with store.engine.connect() as conn:
        docs = conn.execute(text("SELECT count(*) FROM case_search WHERE case_search MATCH '\"号\"*'")).scalar()
    assert docs == len(corpus)


def _segments(store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(DISTINCT segid) FROM {table}_idx")).scalar()


def test_daily_maintenance_merges_the_index_segments_and_finds_the_same(store, data_paths, corpus, profile,
                                                                         make_draft):
    """Each saved case leaves a small index segment; the daily job (after its backup) merges them into one per
    index, a step at a time, and every search answers as before."""
    from fx_desktop.store import daily_backup

    for i in range(12):
        cases.create_case(store, profile, make_draft(facts=f"第{i}次巡查发现擅自搭建彩钢板。"))
    queries = ("号", "擅自", "欧阳", "江海路88", "01001x", "彩钢板")
    before = {q: search(store, CaseFilter(text=q)) for q in queries}
    assert _segments(store, "case_search") > 1 and _segments(store, "case_trigrams") > 1
    assert daily_backup(data_paths, now=datetime(2026, 3, 10, 8, 0)) is not None
    assert _segments(store, "case_search") == 1 and _segments(store, "case_trigrams") == 1
    assert {q: search(store, CaseFilter(text=q)) for q in queries} == before


def _postings(store) -> dict[str, set[tuple]]:
    """Every (term, document key, column, offset) of both indexes, read back with fts5vocab."""
    out = {}
    with store.engine.begin() as conn:
        for table in (BIGRAM_TABLE, TRIGRAM_TABLE):
            conn.execute(text(f"CREATE VIRTUAL TABLE temp.{table}_v USING fts5vocab(main, {table}, 'instance')"))
            out[table] = set(conn.execute(text(f"SELECT term, doc, col, offset FROM temp.{table}_v")).all())
            conn.execute(text(f"DROP TABLE temp.{table}_v"))
    return out


def test_a_rebuilt_index_holds_exactly_what_the_triggers_wrote(store, corpus, profile, make_draft):
    """A bulk load's index (search_index.rebuild(): each field normalised once for both indexes, tokenised on a
    thread of its own, in chunks) holds the same terms of the same cases at the same places as the triggers
    write case by case, for empty fields, full-width digits and long digit runs alike."""
    from fx_desktop.store import search_index

    for i in range(7):
        cases.create_case(store, profile, make_draft(party_id_number="", facts=f"第{i}次：编号３１０１２０{i}９９号。"))
    by_triggers = _postings(store)
    assert all(by_triggers.values())
    search_index.REBUILD_CHUNK, chunk = 4, search_index.REBUILD_CHUNK  # several chunks, one left part-full
    try:
        with store.writes.begin() as session:
            search_index.pause(session)
            search_index.rebuild(session)
    finally:
        search_index.REBUILD_CHUNK = chunk
    with store.sessions() as session:
        assert not search_index.paused(session)
    assert _postings(store) == by_triggers


def test_normalize_keeps_exactly_the_letters_and_digits():
    """normalize() uses a regular expression for speed; it must agree with str.isalnum() on every character."""
    import unicodedata

    for code in range(0x30000):
        ch = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        folded = unicodedata.normalize("NFKC", ch).casefold()
        assert normalize(ch) == "".join(c for c in folded if c.isalnum()), hex(code)

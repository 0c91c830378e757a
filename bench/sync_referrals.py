"""Realistic referrals (移送) for seeding fx-bureau's database directly, as `bench.sync_data.server_rows` makes
cases: each one made by `fx_desktop.domain.referral.submit` from a seeded case the town's squad leader may refer,
to a department, with an official number, then taken on by the department's steps (receipt, acceptance, result;
some returned, some withdrawn by the town) through `domain.referral.apply_step` — the functions fx-bureau's
handlers call. A referral's case is touched as the handlers touch it (its status by `case_effect`, its version and
sequence number raised)."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from fx_desktop.domain import referral as rf
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.organisations import OrgDirectory, OrgKind
from fx_desktop.domain.roles import Role
from fx_desktop.domain.workdays import HolidayCalendar

from .sync_data import person_name

REASONS = ("属于市场监管部门管辖", "涉及食品安全，超出本单位职权", "涉及建设工程质量，由住建部门处理",
           "涉及环境污染，由生态环境部门处理", "涉及消防安全隐患，移送有管辖权的部门")
BASES = ("《行政处罚法》第二十三条", "《行政处罚法》第五十七条", "《上海市城市管理综合行政执法条例》第十二条")
MATERIALS = ("现场检查笔录", "询问笔录", "现场照片", "当事人身份证明", "责令改正通知书", "勘验图")
ITEMS = (("电子秤", "30kg", "台"), ("液化气罐", "15kg", "只"), ("三轮车", "", "辆"), ("广告牌", "2m×1m", "块"))
# (status after the department's steps, the steps) and how often; the rest of the referrals stay submitted
OUTCOMES = ((("sign_referral",), 15), (("sign_referral", "accept_referral"), 20),
            (("sign_referral", "accept_referral", "record_referral_result"), 25), (("return_referral",), 10),
            (("withdraw_referral",), 5), ((), 25))
REFERABLE = frozenset({CaseStatus.CLUE, CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.INVESTIGATION_CLOSED,
                       CaseStatus.NOTIFIED})


@dataclass(frozen=True)
class SeedCase:
    """What a referral needs of a seeded case."""

    id: str
    number: str
    town_code: str
    status: str
    opened_on: date
    fields: dict
    evidence: list


def _submit_args(rng: random.Random, case: SeedCase, receiving: str) -> dict:
    materials = [{"title": t, "pages": rng.randrange(1, 12), "evidence_id": None}
                 for t in rng.sample(MATERIALS, rng.randrange(1, 5))]
    items = [{"name": n, "spec": s, "quantity": str(rng.randrange(1, 4)), "unit": u, "condition": "完好",
              "kept_at": "中队暂扣仓库"} for n, s, u in rng.sample(ITEMS, rng.randrange(0, 3))]
    return {"referral_id": None, "case_id": case.id, "receiving_org": receiving, "expected_case_state": case.status,
            "reason": rng.choice(REASONS), "legal_basis": rng.choice(BASES),
            "summary": f"{case.fields.get('party_name', '当事人')}{case.fields.get('cause', '')}，经查属实。",
            "materials": materials, "items": items,
            "contact": {"name": person_name(rng), "phone": f"021-5718{rng.randrange(10**4):04d}"}}


def _step_args(rng: random.Random, name: str, state: dict, at: datetime) -> dict:
    args = {"expected_status": state["status"]}
    if name == "sign_referral":
        args.update(received_on=at.date().isoformat(), signed_by=person_name(rng), materials_match=True)
    elif name == "accept_referral":
        args.update(their_number=f"沪奉市监案〔{at.year}〕{rng.randrange(1, 9999):04d}号")
    elif name == "record_referral_result":
        args.update(result=rng.choice(("filed", "filed", "not_filed")), reasons="经审查，依法作出处理。")
    else:
        args.update(reason="材料不全，请补正后重新移送。" if name == "return_referral" else "当事人已自行整改。")
    return args


def referral_rows(rng: random.Random, cases: list[SeedCase], count: int, orgs: OrgDirectory, number_format,
                  *, calendar: HolidayCalendar, rules: rf.ReferralRules, now: datetime, first_seq: int):
    """Yield (referral row, party row, case change) for `count` of the referable `cases` (fx_bureau.models
    Referral / RecordParty columns as dicts; the case change as {id, status, seq, updated_at}); seq numbers from
    `first_seq` on, the case touched just before its referral as the handlers do. The serials used are filled into
    the returned dict: (owner, year) -> last serial."""
    departments = [o.code for o in orgs.of_kind(OrgKind.DEPARTMENT)]
    picked = rng.sample([c for c in cases if CaseStatus(c.status) in REFERABLE], count)
    outcomes, weights = zip(*OUTCOMES)
    serials: dict[tuple[str, int], int] = {}

    def rows():
        seq = first_seq
        for case in picked:
            owner, receiving = orgs.require(case.town_code), orgs.require(rng.choice(departments))
            leader = rf.Actor(person_name(rng), Role.SQUAD_LEADER, owner.code)
            liaison = rf.Actor(person_name(rng), Role.DEPARTMENT_LIAISON, receiving.code)
            latest = max(case.opened_on + timedelta(days=1), now.date() - timedelta(days=40))
            day = case.opened_on + timedelta(days=rng.randrange(1, max(2, (latest - case.opened_on).days)))
            at = datetime.combine(min(day, now.date()), time(rng.randrange(8, 18), rng.randrange(60)))
            args = _submit_args(rng, case, receiving.code)
            args["referral_id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            serials[(owner.code, at.year)] = serials.get((owner.code, at.year), 0) + 1
            args["number"] = number_format(owner.short_name, at.year, serials[(owner.code, at.year)])
            state = rf.submit(args, case={**case.fields, "id": case.id, "status": case.status, "number": case.number,
                                          "town_code": case.town_code, "evidence": case.evidence},
                              owner=owner, receiving=receiving, actor=leader, at=at, calendar=calendar, rules=rules)
            version, case_status = 1, rf.case_effect("submit_referral", state)
            for name in rng.choices(outcomes, weights)[0]:
                at += timedelta(days=rng.randrange(1, 6), hours=rng.randrange(0, 5))
                if at > now:
                    break
                actor = leader if name == "withdraw_referral" else liaison
                try:
                    state = rf.apply_step(name, state, _step_args(rng, name, state, at), actor=actor, at=at,
                                          calendar=calendar, rules=rules)
                except DomainError:
                    break
                version += 1
                case_status = rf.case_effect(name, state) or case_status
            yield ({"id": state["id"], "owner_org": owner.code, "receiving_org": receiving.code, "case_id": case.id,
                    "number": state["number"], "status": state["status"], "version": version, "seq": seq + 1,
                    "data": state, "created_at": datetime.fromisoformat(state["submitted"]["at"]), "updated_at": at},
                   {"kind": "referral", "record_id": state["id"], "org_code": receiving.code},
                   {"id": case.id, "status": case_status, "seq": seq, "updated_at": at})
            seq += 2

    return rows(), serials

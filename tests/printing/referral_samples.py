"""A realistic referral state dict (contract section 4) for the referral form tests: long facts that wrap, twelve
materials with page counts, eight seized items with long names."""
from __future__ import annotations

import copy

ORG_NAMES = {"nanqiao": "上海市奉贤区南桥镇人民政府", "ghzy": "上海市奉贤区规划和自然资源局"}
REFERRAL_NO, CASE_NO = "奉南桥综执移〔2026〕0003号", "奉南桥综执立〔2026〕0123号"
TEMP_REFERRAL = "临时编号2026-ab12-0007"

SUMMARY = ("2026年1月12日，我单位执法人员在日常巡查中发现，当事人上海奉贤鑫隆建材有限公司在奉贤区南桥镇江海路1288号"
           "厂区东侧空地上，未经规划和自然资源部门批准，擅自开挖地基并浇筑混凝土基础，堆放建筑材料约三百立方米，"
           "占用集体土地约一千二百平方米。经现场勘验并调取土地利用现状图比对，该地块为一般耕地。\n"
           "执法人员当场制作了现场检查笔录，拍摄现场照片四十六张，并对当事人法定代表人李国强进行了询问，"
           "当事人对上述事实无异议，但未能提供任何用地审批手续。")
FACTS = SUMMARY + "\n另查明，当事人于2025年10月起即在该地块堆放建筑材料，周边村民多次投诉。"
REASON = ("经审查，当事人的行为涉嫌非法占用耕地，属于土地管理违法行为，依法应由规划和自然资源部门管辖，"
          "不属于我单位综合行政执法事项范围。")
BASIS = "《中华人民共和国行政处罚法》第二十二条、《中华人民共和国土地管理法》第六十七条、第七十七条"

MATERIAL_TITLES = ["案件移送审批表", "现场检查笔录", "现场勘验笔录及示意图", "现场照片（四十六张）",
                   "询问笔录（李国强）", "法定代表人身份证明及身份证复印件", "营业执照复印件",
                   "土地利用现状图及比对说明", "村民投诉记录", "责令停止违法行为通知书及送达回证",
                   "先行登记保存证据通知书", "视听资料光盘（一张）"]
ITEM_NAMES = ["履带式液压挖掘机（柳工CLG922E，黄色，带破碎锤附件）", "混凝土搅拌运输车（车牌沪D·7K2X9）",
              "螺纹钢筋（HRB400E）", "商品混凝土试块", "彩钢夹芯板（白色，双面彩钢）", "施工用移动式配电箱",
              "手持式电动切割机", "施工图纸及工程量清单（复印件）"]


def referral_state(**changes) -> dict:
    state = {
        "number": REFERRAL_NO, "status": "submitted", "owner_org": "nanqiao", "receiving_org": "ghzy",
        "case_snapshot": {"number": CASE_NO, "cause": "擅自占用土地开挖地基", "party_kind": "org",
                          "party_name": "上海奉贤鑫隆建材有限公司", "place": "奉贤区南桥镇江海路1288号厂区东侧",
                          "occurred_at": "2026-01-12T09:40:00", "facts": FACTS},
        "reason": REASON, "legal_basis": BASIS, "summary": SUMMARY,
        "materials": [{"no": i, "title": t, "pages": p, "evidence_id": f"ev-{i:02d}"}
                      for i, (t, p) in enumerate(zip(MATERIAL_TITLES, (1, 3, 4, 12, 6, 2, 1, 3, 2, 2, 1, 1)), 1)],
        "items": [{"name": n, "spec": s, "quantity": q, "unit": u, "condition": c, "kept_at": k}
                  for n, s, q, u, c, k in zip(
                      ITEM_NAMES,
                      ["CLG922E，斗容1.0立方米", "12立方米", "Φ25mm×9m", "150mm×150mm×150mm", "950型，厚75mm",
                       "三级配电箱", "355型，2200W", "A3，共42页"],
                      [1, 1, 2.5, 6, 120, 1, 2, 1],
                      ["台", "辆", "吨", "块", "张", "个", "把", "套"],
                      ["完好，油箱约半箱", "完好", "表面轻微锈蚀", "完好", "部分边角破损", "外壳变形，未通电",
                       "完好", "完好"],
                      ["南桥镇城管执法队暂扣物品仓库（江海路28号）"] * 2 + ["现场（已贴封条）"] * 3
                      + ["南桥镇城管执法队暂扣物品仓库"] * 3)],
        "contact": {"name": "张伟", "phone": "021-57123456"},
        "submitted": {"by": "王队长", "org": "nanqiao", "at": "2026-02-03T10:15:00+08:00"}, "submitted_on": "2026-02-03", "receipt_due": "2026-02-06", "receipt": None,
    }
    state.update(changes)
    return copy.deepcopy(state)


def signed_state(**receipt) -> dict:
    values = {"received_on": "2026-02-05", "signed_by": "陈立新", "materials_match": False,
              "missing": "视听资料光盘（一张）未随卷移送，请补送。"}
    values.update(receipt)
    return referral_state(status="received", receipt=values)


def org_name(code: str) -> str:
    return ORG_NAMES[code]

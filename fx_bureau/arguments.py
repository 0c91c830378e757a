"""Declared argument schemas for pushed mutations, and pydantic's complaints said in Chinese.

Every mutation name has a schema (pydantic, strict: a string is not an integer, a list is not an object) next to
its handler; the push checks the arguments against it before the handler runs, so a wrong shape is a rejection
with a reason that names the argument and what was expected, never an exception. Unknown keys are ignored: an
older server keeps accepting a newer client's mutations that carry an extra optional argument, and the reverse.
"""
from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, ValidationError

from fx_desktop.domain.case_draft import officer_from_json
from fx_desktop.domain.errors import DomainError, kind_of
from fx_desktop.domain.text_cleaning import has_lone_surrogate, without_lone_surrogates
from fx_desktop.domain.timestamps import parse_time

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
MAX_ERRORS_SHOWN = 3


class BadArguments(DomainError):
    """The arguments do not fit the mutation's schema: the mutation is rejected with this reason."""


class Args(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN)]


def _time_text(value: Any) -> Any:
    """A time argument, read by the one shared parser and passed on in its plain local form."""
    if value is None:
        return None
    return parse_time(value, "时间").isoformat()


def _officer(value: Any) -> Any:
    """The officer shape the client's draft reader takes (its ValueError is the rejection), passed on as sent."""
    officer_from_json(value)
    return value


OptionalTime = Annotated[Any, BeforeValidator(_time_text)]
Officer = Annotated[Any, BeforeValidator(_officer)]

_EXPECTED = {
    "dict_type": "对象", "model_type": "对象", "model_attributes_type": "对象", "list_type": "列表",
    "string_type": "文本", "int_type": "整数", "int_from_float": "整数", "bool_type": "true 或 false",
    "float_type": "数字", "none_required": "空值（null）", "int_parsing": "整数", "float_parsing": "数字",
    "bool_parsing": "true 或 false",
}
_PLACES = {"body": "", "query": "查询参数 ", "header": "请求头 ", "path": "路径参数 ", "cookie": "Cookie "}


def _where(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not (part.startswith(("function-", "constrained-")) or "[" in part):  # pydantic's union tags
            text += f".{part}" if text else str(part)
    return text


def _one(error: dict, root: str) -> str:
    loc = tuple(error.get("loc") or ())
    place = ""
    if root == "请求" and loc and loc[0] in _PLACES:  # FastAPI's RequestValidationError: where in the request
        place, loc = _PLACES[loc[0]], loc[1:]
    where = place + (_where(loc) or root)
    kind = error.get("type", "")
    if kind == "string_unicode":
        return f"{where} 含有无效的字符（不成对的 UTF-16 代理字符）"
    if kind == "json_invalid":
        return "请求体不是有效的 JSON"
    if kind == "missing":
        return f"缺少 {where}"
    if kind in _EXPECTED:
        return f"{where} 应为{_EXPECTED[kind]}"
    if kind == "literal_error":
        expected = str((error.get("ctx") or {}).get("expected", "规定的取值"))
        return f"{where} 应为以下取值之一：{expected.replace(' or ', '、').replace(', ', '、')}"
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        shape = {UUID_PATTERN: "标识（UUID，如 3f2b…-…）", SHA256_PATTERN: "64 位小写十六进制的 SHA-256 值"}
        return f"{where} 应为{shape.get(pattern, '规定格式的文本')}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{where} 应不小于 {(error.get('ctx') or {}).get('ge', (error.get('ctx') or {}).get('gt'))}"
    if kind in ("string_too_long", "too_long"):
        return f"{where} 过长"
    if kind == "value_error":
        cause = (error.get("ctx") or {}).get("error")
        message = getattr(cause, "message", None) or str(cause or "")
        if message.startswith("时间"):
            return f"{where} 的{message}"
        return f"{where} {message}".rstrip()
    return f"{where} 的值不符合要求"


def describe(exc, root: str = "参数") -> str:
    """pydantic's errors (of a ValidationError or FastAPI's RequestValidationError) as one Chinese sentence naming
    each argument at fault (the first few of them)."""
    errors = list(exc.errors())
    shown = "；".join(dict.fromkeys(_one(e, root) for e in errors[:MAX_ERRORS_SHOWN]))
    more = f"等 {len(errors)} 处" if len(errors) > MAX_ERRORS_SHOWN else ""
    return f"{shown}{more}"


MAX_DEPTH = 16  # the deepest honest arguments (criteria, changed officers) are 3 levels deep


def _unfit(value: Any, depth: int = 0) -> str | None:
    """What makes these arguments unusable whatever the mutation: nesting deep enough to exhaust the recursion
    limit further on, NaN or infinity (no JSON column stores them), a lone surrogate ("\\ud800": not UTF-8, so no
    database stores it and no answer can carry it back)."""
    if depth > MAX_DEPTH:
        return f"嵌套超过 {MAX_DEPTH} 层"
    if isinstance(value, float) and not math.isfinite(value):
        return "含有无效的数字（NaN 或无穷大）"
    if isinstance(value, str):
        return "文本中含有无效的字符（不成对的 UTF-16 代理字符）" if has_lone_surrogate(value) else None
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else []
    return next((problem for item in items if (problem := _unfit(item, depth + 1))), None)


def storable(text: str) -> str:
    """`text` as every database stores it: valid UTF-8 (a lone surrogate becomes "?"), without NUL characters."""
    return without_lone_surrogates(text, "?").replace("\x00", "")


def check(schema: type[Args], args: Any) -> dict:
    """The arguments as the handler reads them (a dict of the declared keys), or BadArguments."""
    if not isinstance(args, dict):
        raise BadArguments(f"变更参数不正确：参数应为对象，收到的是{kind_of(args)}。")
    problem = _unfit(args)
    if problem:
        raise BadArguments(f"变更参数不正确：{problem}。")
    try:
        return schema.model_validate(args).model_dump()
    except ValidationError as exc:
        raise BadArguments(f"变更参数不正确：{describe(exc)}。") from None


"""The meeting and supervision print data (meeting_data.py) to and from plain JSON, for `fx-desktop print
--meeting-json FILE` (administrators, scripts, tests): objects by field name, dates and times in ISO 8601, amounts
as text, tuples as lists. Reading checks every value against the dataclasses' annotations and says in Chinese which
one is wrong; a field left out takes its default."""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from ..domain.errors import DomainError

_KINDS = {"str": "文本", "int": "整数", "bool": "true/false", "float": "数字", "date": "日期（YYYY-MM-DD）",
          "datetime": "日期时间（YYYY-MM-DDTHH:MM）", "Decimal": "金额", "list": "列表", "dict": "对象"}


def dump(data) -> dict:
    """`data` (a dataclass) as JSON-ready plain values."""
    return _plain(dataclasses.asdict(data))


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def load(cls, value, *, source: str = "数据") -> object:
    """An instance of dataclass `cls` from plain JSON values; DomainError naming the field at fault."""
    return _convert(cls, value, "", source)


def read_file(path: str | Path, cls) -> object:
    """`cls` from the JSON file at `path` (UTF-8)."""
    source = f"数据文件“{path}”"
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DomainError(f"无法读取{source}：{exc.strerror or exc}。请检查路径和读取权限。") from exc
    except UnicodeDecodeError as exc:
        raise DomainError(f"{source}不是 UTF-8 编码的文本文件，请另存为 UTF-8 后重试。") from exc
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(f"{source}不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）。") from exc
    return load(cls, value, source=source)


@lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _wrong(source: str, path: str, expected: str, value) -> DomainError:
    shown = json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return DomainError(f"{source}中“{path or '（整个文件）'}”应为{expected}，实际为 {shown}。请改正后重试。",
                       field=path or None)


def _convert(tp, value, path: str, source: str):
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        return _convert(options[0], value, path, source)
    if origin is tuple:
        if not isinstance(value, list):
            raise _wrong(source, path, "列表", value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v, f"{path}[{i}]", source) for i, v in enumerate(value))
        if len(value) != len(args):
            raise _wrong(source, path, f"{len(args)}项的列表", value)
        return tuple(_convert(a, v, f"{path}[{i}]", source) for i, (a, v) in enumerate(zip(args, value)))
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise _wrong(source, path, f"对象（{tp.__name__}）", value)
        hints = _hints(tp)
        fields = {f.name: f for f in dataclasses.fields(tp) if f.init}
        unknown = [k for k in value if k not in fields]
        if unknown:
            where = f"“{path}”中" if path else ""
            raise DomainError(f"{source}{where}有未知的字段：{'、'.join(unknown)}。可用的字段：{'、'.join(fields)}。",
                              field=path or None)
        missing = [n for n, f in fields.items() if n not in value and f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING]
        if missing:
            where = f"“{path}”" if path else ""
            raise DomainError(f"{source}{where}缺少必填字段：{'、'.join(missing)}。", field=path or None)
        return tp(**{k: _convert(hints[k], v, f"{path}.{k}" if path else k, source) for k, v in value.items()})
    if tp is datetime or tp is date:
        if not isinstance(value, str):
            raise _wrong(source, path, _KINDS[tp.__name__], value)
        try:
            parsed = datetime.fromisoformat(value) if tp is datetime else date.fromisoformat(value)
        except ValueError:
            raise _wrong(source, path, _KINDS[tp.__name__], value) from None
        return parsed
    if tp is Decimal:
        try:
            return Decimal(str(value)) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else \
                Decimal("x")
        except InvalidOperation:
            raise _wrong(source, path, _KINDS["Decimal"], value) from None
    if tp in (str, int, bool, float):
        ok = isinstance(value, tp) and not (tp is int and isinstance(value, bool))
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not ok:
            raise _wrong(source, path, _KINDS[tp.__name__], value)
        return value
    return value  # anything else (typing.Any) as it is

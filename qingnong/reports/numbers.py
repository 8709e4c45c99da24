"""Reading the numbers people type into a returned form (forms.md "What people send back").

`12`, `１２` (full-width), `12个`, `12 `, `1,200`, `12.0` read as 12; `约12`, `12余`,
`12左右` read as 12 but are flagged approximate; an empty cell, `-`, `—`, `/` or `无`
read as 0. Anything else (`十二`, `12-15`, a date) is refused with a Chinese reason the
importer puts after the cell address (`F7：“十二”不是数字`).
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

EMPTY = {"", "-", "--", "—", "——", "–", "/", "\\", "无", "空", "暂无", "没有"}
APPROX_PREFIXES = ("大约", "大概", "约计", "约", "近", "概")
APPROX_SUFFIXES = ("左右", "以上", "多", "余", "+")
# Units people append to a count: 12个、12人、12条、12次、12名、12群、12户.
UNITS = "个人条次名群户支场篇期"
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


class NumberError(ValueError):
    """A cell that cannot be read as a count; str() is the Chinese reason."""


@dataclass(frozen=True)
class Count:
    value: int
    approximate: bool = False
    empty: bool = False


def shown(value):
    """A cell's value as the user typed it, for messages: 12.0 → 12."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip() if value is not None else ""


def parse_count(value):
    """A cell (as python-calamine returns it) → Count, or NumberError with the reason."""
    if value is None:
        return Count(0, empty=True)
    if isinstance(value, bool):
        raise NumberError(f"“{'TRUE' if value else 'FALSE'}”不是数字")
    if isinstance(value, (datetime, date, time, timedelta)):
        raise NumberError(f"“{shown(value)}”是日期或时间，不是数字（请把单元格格式改为“常规”或“数值”）")
    if isinstance(value, int):
        return Count(value)
    if isinstance(value, float):
        return Count(_whole(value, shown(value)))
    return _parse_text(str(value))


def _parse_text(raw):
    text = unicodedata.normalize("NFKC", raw)  # １２ → 12, full-width spaces and signs too
    text = re.sub(r"\s+", "", text)
    if text in EMPTY:
        return Count(0, empty=True)
    body = text.replace(",", "").replace("，", "")
    approximate = False
    for prefix in APPROX_PREFIXES:
        if body.startswith(prefix):
            body, approximate = body[len(prefix):], True
            break
    body = body.rstrip(UNITS)
    for suffix in APPROX_SUFFIXES:
        if body.endswith(suffix) and len(body) > len(suffix):
            body, approximate = body[: -len(suffix)], True
            break
    body = body.rstrip(UNITS)
    if not NUMBER.fullmatch(body):
        if re.fullmatch(r"\d+[-~至到]\d+", body):
            raise NumberError(f"“{raw.strip()}”是一个范围，请填一个数")
        if re.search(r"[零〇一二两三四五六七八九十百千万]", body) and not re.search(r"\d", body):
            raise NumberError(f"“{raw.strip()}”不是数字（请用阿拉伯数字填写）")
        raise NumberError(f"“{raw.strip()}”不是数字")
    return Count(_whole(float(body), raw.strip()), approximate=approximate)


def _whole(number, as_typed):
    if not float(number).is_integer():
        raise NumberError(f"“{as_typed}”不是整数")
    return int(number)

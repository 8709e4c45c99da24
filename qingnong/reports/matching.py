"""Tolerant matching of what people type against the org tree and the form's labels.

A returned form says `鱼河` for 鱼河镇, `榆阳` for 榆阳区, `鱼 河 镇` with stray spaces or
`鱼河镇` in full-width; header labels come with full-width brackets, line breaks and
units. `clean` undoes the typing differences; `stem` drops the division suffix (镇, 乡,
街道, 区, 县…) so that a name matches its org. A match that needed either is reported
to the user (the importer turns it into a warning), and a stem shared by two orgs is
never guessed.
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Longest first: 街道办事处 before 街道, 自治县 before 县.
TOWNSHIP_SUFFIXES = ("街道办事处", "街道办", "办事处", "民族乡", "街道", "镇", "乡")
COUNTY_SUFFIXES = ("自治县", "县区", "区", "县", "市", "旗")
COMMITTEE_SUFFIXES = ("团委员会", "团委", "团工委")
SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
BRACKETED = re.compile(r"\([^()]*\)")


def clean(text):
    """Full-width → half-width (NFKC), no spaces or line breaks at all."""
    if text is None:
        return ""
    return SPACES.sub("", unicodedata.normalize("NFKC", str(text)))


def label_key(text):
    """A header label for comparison: cleaned, units in brackets dropped, separators unified
    (`微信群内成员数（人）` == `微信群内成员数`, `订阅号／服务号` == `订阅号/服务号`)."""
    return _label_key(text) if isinstance(text, str) else _label_key(shown_text(text))


@lru_cache(maxsize=4096)  # the same labels on every sheet of a workbook (a province's has 107)
def _label_key(text):
    text = clean(text)
    text = re.sub(r"^[0-9一二三四五六七八九十]+[、.．:：)]", "", text)  # "1、县区名称", "一、…"
    text = BRACKETED.sub("", text)
    return text.replace("·", "").replace("、", "/").replace("：", "").replace(":", "").rstrip("*＊")


def shown_text(value):
    return "" if value is None else str(value)


def stem(name, suffixes):
    name = clean(name)
    for suffix in COMMITTEE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:  # 2-character names keep their suffix
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Match:
    org: object | None  # the Org, or None
    how: str  # "exact" | "cleaned" | "stem" | "ambiguous" | "none"
    candidates: tuple = ()  # names, when ambiguous

    @property
    def noted(self):
        """The match needed tolerance: tell the user which org it chose."""
        return self.how in ("cleaned", "stem")


def match_org(text, orgs, *, suffixes=TOWNSHIP_SUFFIXES):
    """The org in `orgs` that `text` names: exact name, then cleaned, then by stem."""
    raw = "" if text is None else str(text)
    if not clean(raw):
        return Match(None, "none")
    exact = [o for o in orgs if o.name == raw]
    if len(exact) == 1:
        return Match(exact[0], "exact")
    cleaned = [o for o in orgs if clean(o.name) == clean(raw)]
    if len(cleaned) == 1:
        return Match(cleaned[0], "cleaned")
    wanted = stem(raw, suffixes)
    by_stem = [o for o in orgs if stem(o.name, suffixes) == wanted]
    if len(by_stem) == 1:
        return Match(by_stem[0], "stem")
    if len(by_stem) > 1:
        return Match(None, "ambiguous", tuple(o.name for o in by_stem))
    return Match(None, "none")

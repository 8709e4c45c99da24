"""Data-quality rules as data (issue 12). Each rule is declared here with its default; a city
admin switches it on or off, sets its threshold and whether it blocks a save
(ledger.QualityRule rows, nearest org up the tree wins). `rules_for` reads them in one
statement; `violations` finds what breaks them under an org, one aggregate per rule, at
today's figures; entry forms call the `check_*` functions next to the field.

Member categories always add up to the total here: the ledger stores the nine categories
and derives the total, and the importer checks each 合计 against its rows."""
from dataclasses import dataclass, replace
from types import SimpleNamespace
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Abs, Coalesce

from qingnong.org.models import Org, OrgLevel
from qingnong.org.selectors import rollup

from .models import (
    BUILT, MEMBER_FIELD_NAMES, WECHAT_GROUP_CAP, Cadre, GroupStatus, GroupTotals, MemberSnapshot, MessageRecord, MonthlyTotals,
    QualityFollowUp, QualityRule, TotalsMeasure, TownshipFigures, WechatGroup, coarse_is,
)


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    explain: str  # what the threshold means, for the settings page
    threshold: Decimal | None = None
    blocking: bool = False
    enabled: bool = True
    unit: str = ""


RULES = [
    Rule("group_over_limit", "微信群人数超过上限", "一个微信群的成员不得超过该人数（微信群最多 500 人）",
         Decimal(WECHAT_GROUP_CAP), blocking=True, unit="人"),
    # 团员青年数 counts each young person once; one person is often in several groups (a
    # village group and a trade group), so members may exceed it, but not by a multiple.
    Rule("members_vs_youth", "群成员多于团员青年数的倍数", "乡镇各微信群成员合计不超过团员青年数的该倍数（一人可在几个群）",
         Decimal(3), unit="倍"),
    Rule("group_members_change", "群成员一个月内变化过大", "与 30 天前的记录相比，成员数增减超过该比例", Decimal(50), unit="%"),
    Rule("township_messages_change", "乡镇发送微信数月度变化过大", "上个月与再上个月相比，发送条数增减超过该比例",
         Decimal(80), unit="%"),
    Rule("temporary_past_end", "临时群过了结束日期仍为活跃", "临时群的结束日期已过，状态仍为“活跃”（请延期或改为已解散）"),
    Rule("dormant_with_messages", "不活跃的群仍有发送记录", "状态为“不活跃”的群近 30 天仍有发送微信的记录（请改回活跃，或核对记录）"),
    Rule("groups_vs_cadres", "微信群多于团干部能管理的数量", "乡镇微信群数不超过团干部数的该倍数", Decimal(5), unit="倍"),
]
BY_KEY = {rule.key: rule for rule in RULES}


def rules_for(org):
    """{key: Rule} in force for `org`: the defaults, overridden by the settings of the
    nearest org at or above it (one statement)."""
    return rules_for_many([org])[org.pk]


def rules_for_many(orgs):
    """{org id: {key: Rule}} for many orgs (a workbook of counties) in one statement."""
    paths = {p for org in orgs for p in [*org.ancestor_paths(), org.path]}
    rows = list(QualityRule.objects.filter(org__path__in=paths).select_related("org").order_by("org__depth"))
    result = {}
    for org in orgs:
        rules = dict(BY_KEY)
        for row in rows:  # nearer orgs come later and win
            if org.path.startswith(row.org.path):
                default = BY_KEY[row.key]
                rules[row.key] = replace(default, enabled=row.enabled, blocking=row.blocking,
                                         threshold=row.threshold if row.threshold is not None else default.threshold)
        result[org.pk] = rules
    return result


@dataclass
class Violation:
    rule: Rule
    township: object  # {"pk", "name", "path"}
    group: object | None  # {"pk", "name"} for a rule about one group
    message: str
    follow_up: QualityFollowUp | None = None


def check_group_members(rules, total):
    """(error, warning) for a group's new member total."""
    rule = rules["group_over_limit"]
    if rule.enabled and total > rule.threshold:
        text = f"成员合计 {total} 人，超过上限 {rule.threshold:.0f} 人。"
        return (text, "") if rule.blocking else ("", text)
    return "", ""


def check_township_row(rules, values):
    """[(column key, message, blocking)] for one township's 附件3 row (import preview)."""
    found = []
    members = sum(values.get(k) or 0 for k in MEMBER_FIELD_NAMES)
    youth, groups, cadres = values.get("youth_count") or 0, values.get("group_count") or 0, values.get("cadre_count") or 0
    rule = rules["members_vs_youth"]
    if rule.enabled and youth and members > youth * rule.threshold:
        found.append(("youth_count", f"微信群内成员共 {members} 人，超过团员青年数 {youth} 的 {rule.threshold:g} 倍，请核对。",
                      rule.blocking))
    rule = rules["groups_vs_cadres"]
    if rule.enabled and cadres and groups > cadres * rule.threshold:
        found.append(("group_count", f"微信群 {groups} 个，超过团干部 {cadres} 人的 {rule.threshold:g} 倍，请核对。", rule.blocking))
    return found


def violations(parent, *, rules, today):
    """[Violation] under `parent` (a city, county or township) by today's figures, with
    the follow-up recorded for each: one statement per enabled rule, two for the lookups."""
    townships = {t["path"]: t for t in Org.objects.filter(path__startswith=parent.path, level=OrgLevel.TOWNSHIP)
                 .values("pk", "name", "path")}
    if parent.level == OrgLevel.TOWNSHIP:
        townships = {parent.path: {"pk": parent.pk, "name": parent.name, "path": parent.path}}
    if not townships:
        return []
    width = len(next(iter(townships)))
    found = []
    for key, finder in FINDERS.items():
        rule = rules[key]
        if rule.enabled:
            found += finder(rule, parent, townships, width, today)
    follow_ups = {(f.org_id, f.group_id, f.rule): f
                  for f in QualityFollowUp.objects.filter(org__path__startswith=parent.path).select_related("by")}
    for v in found:
        v.follow_up = follow_ups.get((v.township["pk"], v.group["pk"] if v.group else None, v.rule.key))
    return found


def _groups(parent):
    return WechatGroup.objects.filter(org__path__startswith=parent.path)


def _township_of(townships, path, width):
    return townships.get(path[:width])


def _find_over_limit(rule, parent, townships, width, today):
    rows = _groups(parent).filter(status__in=BUILT, members_total__gt=rule.threshold).values("pk", "name", "org__path", "members_total")
    return [Violation(rule, t, {"pk": r["pk"], "name": r["name"]}, f"成员 {r['members_total']} 人，超过 {rule.threshold:.0f} 人")
            for r in rows if (t := _township_of(townships, r["org__path"], width))]


def _find_temporary(rule, parent, townships, width, today):
    rows = _groups(parent).filter(status=GroupStatus.ACTIVE, ends_on__lt=today).values("pk", "name", "org__path", "ends_on")
    return [Violation(rule, t, {"pk": r["pk"], "name": r["name"]}, f"结束日期 {r['ends_on']:%Y-%m-%d} 已过，仍为活跃")
            for r in rows if (t := _township_of(townships, r["org__path"], width))]


def _find_dormant_with_messages(rule, parent, townships, width, today):
    """A 不活跃 group with messages dated in the last 30 days: one of the two is wrong (issue 18)."""
    since = today - timedelta(days=29)
    sent = MessageRecord.objects.filter(group=OuterRef("pk"), period_end__gte=since, period_start__lte=today)
    rows = (_groups(parent).filter(status=GroupStatus.DORMANT).annotate(n=Subquery(
        sent.order_by().values("group").annotate(n=Sum("count")).values("n"), output_field=IntegerField()))
        .filter(n__gt=0).values("pk", "name", "org__path", "n"))
    return [Violation(rule, t, {"pk": r["pk"], "name": r["name"]}, f"状态为不活跃，近 30 天有 {r['n']} 条发送记录")
            for r in rows if (t := _township_of(townships, r["org__path"], width))]


def _find_members_change(rule, parent, townships, width, today):
    month_ago = today - timedelta(days=30)
    total = sum((F(f) for f in MEMBER_FIELD_NAMES[1:]), F(MEMBER_FIELD_NAMES[0]))
    before = (MemberSnapshot.objects.filter(group=OuterRef("pk"), taken_on__lte=month_ago).order_by("-taken_on")
              .annotate(t=total).values("t")[:1])
    basis_points = int(rule.threshold * 100)  # integer arithmetic on every database: change/before > threshold%
    rows = (_groups(parent).filter(status__in=BUILT, members_as_of__gt=month_ago)
            .annotate(before=Subquery(before, output_field=IntegerField())).filter(before__gt=0)
            .annotate(change=Abs(F("members_total") - F("before")) * 10000, limit=F("before") * basis_points)
            .filter(change__gt=F("limit"))
            .values("pk", "name", "org__path", "members_total", "before"))
    return [Violation(rule, t, {"pk": r["pk"], "name": r["name"]},
                      f"30 天前 {r['before']} 人，现在 {r['members_total']} 人（{(r['members_total'] - r['before']) / r['before']:+.0%}）")
            for r in rows if (t := _township_of(townships, r["org__path"], width))]


def _per_township(qs, path_field, townships, **sums):
    """{township path: {name: value}}: org.selectors.rollup over the townships, one GROUP BY."""
    return rollup([SimpleNamespace(path=p) for p in townships], qs, path=path_field, **sums)


def _find_messages_change(rule, parent, townships, width, today):
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    before = (last - timedelta(days=1)).replace(day=1)
    totals = MonthlyTotals.objects.filter(coarse_is(False), path__startswith=parent.path, measure=TotalsMeasure.MESSAGES)
    a = _per_township(totals.filter(month=before), "path", townships, n=Sum("n"))
    b = _per_township(totals.filter(month=last), "path", townships, n=Sum("n"))
    share = rule.threshold / 100
    found = []
    for path, t in townships.items():
        was, now = (a.get(path) or {}).get("n") or 0, (b.get(path) or {}).get("n") or 0
        if was and abs(now - was) > was * share:
            found.append(Violation(rule, t, None, f"{before.month}月 {was} 条，{last.month}月 {now} 条（{(now - was) / was:+.0%}）"))
    return found


def _latest_figures(parent, width):
    latest = TownshipFigures.objects.filter(org=OuterRef("org")).order_by("-as_of").values("pk")[:1]
    rows = TownshipFigures.objects.filter(org__path__startswith=parent.path, org__level=OrgLevel.TOWNSHIP).filter(
        pk=Subquery(latest)).values("org__path", "youth_count", "cadre_count")
    return {row["org__path"][:width]: row for row in rows}


def _find_members_vs_youth(rule, parent, townships, width, today):
    members = _per_township(GroupTotals.objects.filter(path__startswith=parent.path), "path", townships, n=Sum("members"))
    figures = _latest_figures(parent, width)
    found = []
    for path, t in townships.items():
        youth, n = (figures.get(path) or {}).get("youth_count") or 0, (members.get(path) or {}).get("n") or 0
        if youth and n > youth * rule.threshold:
            found.append(Violation(rule, t, None, f"群成员合计 {n} 人，团员青年数 {youth}，超过 {rule.threshold:g} 倍"))
    return found


def _find_groups_vs_cadres(rule, parent, townships, width, today):
    """Cadres: the township's 团干部数 (its latest figures), or the cadres in the ledger where
    it has more of them (the ledger often holds only the secretaries)."""
    groups = _per_township(GroupTotals.objects.filter(path__startswith=parent.path), "path", townships, n=Sum("built"))
    cadres = _per_township(Cadre.objects.filter(org__path__startswith=parent.path), "org__path", townships,
                           n=Coalesce(Count("pk"), 0))
    figures = _latest_figures(parent, width)
    found = []
    for path, t in townships.items():
        g = (groups.get(path) or {}).get("n") or 0
        c = max((cadres.get(path) or {}).get("n") or 0, (figures.get(path) or {}).get("cadre_count") or 0)
        if c and g > c * rule.threshold:
            found.append(Violation(rule, t, None, f"微信群 {g} 个，团干部 {c} 人，超过 {rule.threshold:g} 倍"))
    return found


FINDERS = {
    "group_over_limit": _find_over_limit,
    "members_vs_youth": _find_members_vs_youth,
    "group_members_change": _find_members_change,
    "township_messages_change": _find_messages_change,
    "temporary_past_end": _find_temporary,
    "dormant_with_messages": _find_dormant_with_messages,
    "groups_vs_cadres": _find_groups_vs_cadres,
}

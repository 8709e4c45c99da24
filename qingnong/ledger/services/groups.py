"""Writes to the ledger. Every service checks scope and role (org.scoping) first, runs in
one transaction, and records who entered each figure and from where (`source`)."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log, audit_log_bulk, check_version, record_restore, record_soft_delete, save_edit
from qingnong.lib.dates import today, week_of
from qingnong.lib.bulk import update_rows, update_rows_with_history
from qingnong.org.scoping import in_scope, require_edit

from ..models import (
    MEMBER_FIELD_NAMES, Activity, WECHAT_GROUP_CAP, GroupKind, GroupStatus, MemberSnapshot, MessageCategory, MessageRecord, Source,
    message_dates,
    WechatGroup,
)
from ..quality import check_group_members, rules_for
from ..rules import county_name_warning
from ..totals import refresh as refresh_totals

GROUP_FIELDS = ["name", "kind", "covers_level", "bases", "founded_on", "status", "closed_on", "ends_on", "owner",
                "purpose", "qr_code", "qr_expires_on"]


def _not_future(value, label):
    if value and value > today():
        raise ValidationError({label: "日期不能晚于今天。"})


def _check_group(group, user):
    if group.owner_id and not in_scope(user, group.owner.org):
        raise ValidationError({"owner": "群主不在您的权限范围内。"})
    _not_future(group.founded_on, "founded_on")
    # 团青群按地缘/业缘/事缘/趣缘建立；青农群按层级覆盖下一级。
    if group.kind == GroupKind.YOUTH:
        group.covers_level = ""
    else:
        group.bases = ""
    if group.ends_on and group.founded_on and group.ends_on < group.founded_on:
        raise ValidationError({"ends_on": "结束日期不能早于建群日期。"})
    # The day it closed keeps past figures right (models.built_on); today unless given.
    if group.status == GroupStatus.CLOSED:
        group.closed_on = group.closed_on or today()
        _not_future(group.closed_on, "closed_on")
        if group.founded_on and group.closed_on < group.founded_on:
            raise ValidationError({"closed_on": "解散日期不能早于建群日期。"})
    else:
        group.closed_on = None
    duplicate = WechatGroup.objects.filter(org=group.org, name=group.name).exclude(pk=group.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"“{group.org.name}”已有名为“{group.name}”的微信群。"})


def group_warnings(group):
    """Advice shown after saving; never blocks the save."""
    warnings = []
    if group.kind == GroupKind.WORK:
        warning = county_name_warning(group.name, group.org)
        if warning:
            warnings.append(warning)
    return warnings


@transaction.atomic
def group_create(*, user, org, **fields):
    require_edit(user, org)
    group = WechatGroup(org=org, **{k: v for k, v in fields.items() if k in GROUP_FIELDS})
    _check_group(group, user)
    group.full_clean()
    group._history_user = user
    group.save()
    return group, group_warnings(group)


@transaction.atomic
def group_update(*, user, group, expected_version, **fields):
    require_edit(user, group.org)
    group = WechatGroup.objects.select_for_update().get(pk=group.pk)
    check_version(group, expected_version)
    for key, value in fields.items():
        if key in GROUP_FIELDS:
            setattr(group, key, value)
    _check_group(group, user)
    save_edit(group, user=user)
    return group, group_warnings(group)


def _member_total(counts, rules=None):
    """The total of the nine categories; past WeChat's cap, or past the city's blocking
    rule (ledger.quality), it is refused."""
    total = sum(int(counts.get(f) or 0) for f in MEMBER_FIELD_NAMES)
    if total > WECHAT_GROUP_CAP:
        raise ValidationError(f"成员合计 {total} 人，超过微信群上限 {WECHAT_GROUP_CAP} 人。")
    error, _ = check_group_members(rules, total) if rules else ("", "")
    if error:
        raise ValidationError(error)
    return total


def _apply_current(group, snapshot):
    """Copy a snapshot onto the group when it is the latest one (same transaction)."""
    if group.members_as_of is None or snapshot.taken_on >= group.members_as_of:
        for f in MEMBER_FIELD_NAMES:
            setattr(group, f, getattr(snapshot, f))
        group.members_total = snapshot.total
        group.members_as_of = snapshot.taken_on
        return True
    return False


@transaction.atomic
def snapshot_record(*, user, group, taken_on, counts, source=Source.MANUAL):
    """Record the member counts of `group` on `taken_on` (one snapshot per day; re-entering
    the same day replaces it). Keeps the group's current figures in step."""
    require_edit(user, group.org)
    _not_future(taken_on, "taken_on")
    total = _member_total(counts, rules_for(group.org))
    group = WechatGroup.objects.select_for_update().get(pk=group.pk)
    snapshot = MemberSnapshot.objects.filter(group=group, taken_on=taken_on).first()
    before = {f: getattr(snapshot, f) for f in MEMBER_FIELD_NAMES} if snapshot else {}
    snapshot = snapshot or MemberSnapshot(group=group, taken_on=taken_on)
    for f in MEMBER_FIELD_NAMES:
        setattr(snapshot, f, int(counts.get(f) or 0))
    snapshot.total, snapshot.source, snapshot.entered_by = total, source, user
    if _apply_current(group, snapshot):  # the group's current copy first: the snapshot's save refreshes the unit once
        WechatGroup.objects.filter(pk=group.pk).update(
            members_total=group.members_total, members_as_of=group.members_as_of,
            **{f: getattr(group, f) for f in MEMBER_FIELD_NAMES},
        )
    snapshot.save()  # post_save (ledger.totals) refreshes the unit's summary rows, today's and dated
    audit_log(obj=group, action=AuditAction.UPDATE, user=user,  # a member record of an existing group
              note=f"{'修改' if before else '新增'}成员记录 {taken_on}：合计 {total} 人", changes=_snapshot_changes(before, snapshot))
    return snapshot


def _snapshot_changes(before, snapshot):
    labels = {f.name: str(f.verbose_name) for f in MemberSnapshot._meta.fields}
    return {
        labels[f]: [str(before.get(f, "")), str(getattr(snapshot, f))]
        for f in MEMBER_FIELD_NAMES
        if before.get(f) != getattr(snapshot, f)
    }


@transaction.atomic
def weekly_save(*, user, org, day, rows):
    """The one-page weekly entry: member counts and messages of many groups in one go.

    `rows` maps group id → {"counts": {field: n}, "messages": {category: n}, "stamp": str}.
    `stamp` is the weekly_stamp of what the user saw: today's snapshot or the week's message
    records saved by someone else since then are a conflict and nothing is written. The
    number of SQL statements does not depend on the number of groups."""
    require_edit(user, org)
    _not_future(day, "day")
    monday, sunday = week_of(day)
    groups = {g.pk: g for g in WechatGroup.objects.select_for_update(of=("self",)).select_related("org").filter(
        pk__in=list(rows), org__path__startswith=org.path)}
    if set(groups) != {int(pk) for pk in rows}:
        raise ValidationError("提交的微信群不在本组织范围内，或已被删除。请刷新页面。")
    existing = {s.group_id: s for s in MemberSnapshot.objects.filter(group_id__in=groups, taken_on=day)}
    messages = _own_messages(groups, monday, sunday)
    others = _other_messages(groups, messages, monday, sunday)
    rules = rules_for(org)  # the subtree's rules: one statement for the whole grid
    errors, conflicts, stamps = {}, {}, {}
    for pk, row in rows.items():
        snapshot, sent = existing.get(int(pk)), messages.get(int(pk), {})
        stamps[int(pk)] = weekly_stamp(snapshot, [(r.pk, r.version) for r in sent.values()])
        if row.get("stamp", "") != stamps[int(pk)]:
            conflicts[int(pk)] = (snapshot, {c: r.count for c, r in sent.items()})
        try:
            row["total"] = _member_total(row["counts"], rules)
            row["overlaps"] = _unconfirmed_overlaps(row, sent, others.get(int(pk), {}))
        except ValidationError as error:
            errors[int(pk)] = error.messages[0]
    if errors or conflicts:
        raise WeeklyConflict(errors=errors, conflicts=conflicts, stamps=stamps)

    new_snapshots, changed_snapshots, changed_groups, audits = [], [], [], []
    for pk, row in rows.items():
        group = groups[int(pk)]
        snapshot = existing.get(group.pk) or MemberSnapshot(group=group, taken_on=day)
        before = {f: getattr(snapshot, f) for f in MEMBER_FIELD_NAMES} if snapshot.pk else {}
        for f in MEMBER_FIELD_NAMES:
            setattr(snapshot, f, int(row["counts"].get(f) or 0))
        snapshot.total, snapshot.source, snapshot.entered_by = row["total"], Source.MANUAL, user
        snapshot.entered_at = timezone.now()
        if snapshot.pk is None:
            new_snapshots.append(snapshot)
        elif before != {f: getattr(snapshot, f) for f in MEMBER_FIELD_NAMES}:
            changed_snapshots.append(snapshot)
        else:
            continue
        if _apply_current(group, snapshot):
            changed_groups.append(group)
        # The group is not new: it gets a new (or corrected) member record (issue 17).
        what = "修改成员记录" if before else "新增成员记录"
        audits.append(dict(obj=group, action=AuditAction.UPDATE, changes=_snapshot_changes(before, snapshot),
                           note=f"每周填报：{what} {day} 合计 {snapshot.total} 人"))
    MemberSnapshot.objects.bulk_create(new_snapshots)
    update_rows(changed_snapshots, [*MEMBER_FIELD_NAMES, "total", "source", "entered_by", "entered_at"])
    # The groups' and records' 修改历史 too (the 操作记录 entries are written below, once).
    update_rows_with_history(changed_groups, [*MEMBER_FIELD_NAMES, "members_total", "members_as_of"],
                             default_user=user, default_change_reason="每周填报")
    audits += _weekly_messages(user, groups, rows, messages, monday, sunday)
    # Bulk writes send no post_save: the summary rows of the groups' units, once.
    refresh_totals({g.org_id for g in groups.values()}, ("groups", "messages"))
    audit_log_bulk(audits, user=user)


def weekly_stamp(snapshot, records):
    """What one row of the weekly grid was drawn from: today's snapshot and the week's own
    message records ([(id, version)]). Saving a row whose stamp has changed since is a
    conflict (someone else saved the group's week in between)."""
    if snapshot is None and not records:
        return ""  # nothing saved for the row yet
    seen = ",".join(f"{pk}.{version}" for pk, version in sorted(records))
    return f"{snapshot.entered_at.isoformat() if snapshot else ''}|{seen}"


def _own_messages(groups, monday, sunday):
    """{group id: {category: the week's own weekly-entry record}} (Monday–Sunday, MANUAL; the
    lowest id if there are several: the one the grid shows, selectors.messages.weekly_messages)."""
    existing = {}
    for record in MessageRecord.objects.select_related("org").filter(
            group_id__in=groups, period_start=monday, period_end=sunday, source=Source.MANUAL).order_by("pk"):
        existing.setdefault(record.group_id, {}).setdefault(record.category, record)
        record.group = groups[record.group_id]  # str() and the audit log need it; no extra query
    return existing


def _other_messages(groups, own, monday, sunday):
    """{group id: {category: (records, messages)}}: the live records overlapping the week other
    than the grid's own (逐条记录, a month's total, an import…), in one statement."""
    own_pks = [r.pk for sent in own.values() for r in sent.values()]
    rows = (MessageRecord.objects.filter(group_id__in=groups, period_start__lte=sunday, period_end__gte=monday)
            .exclude(pk__in=own_pks).values_list("group_id", "category").annotate(Count("pk"), Sum("count")))
    others = {}
    for group_id, category, records, total in rows:
        others.setdefault(group_id, {})[category] = (records, total)
    return others


def _unconfirmed_overlaps(row, sent, others):
    """The grid asks what the single-record form asks (message_create's DuplicateWarning): a
    count entered or changed for a category that other records of the week already count is
    saved only once the user confirms it is other messages. Returns the note for the log."""
    labels = dict(MessageCategory.choices)
    touched = [c for c, n in row["messages"].items()
               if n and c in others and n != getattr(sent.get(c), "count", 0)]
    if not touched:
        return ""
    named = "、".join(f"{labels[c]} {others[c][1]} 条" for c in touched)
    if not row.get("confirm_overlap"):
        raise ValidationError(f"本周已有逐条记录（{named}）计入统计。如果是同一批信息，请不要再填；"
                              "确是另外发送的，请勾选“确认这是另外发送的信息，不是重复填报”后再保存。")
    return f"已确认是另外发送的信息，不是重复填报（本周已有逐条记录：{named}）"


def _weekly_messages(user, groups, rows, existing, monday, sunday):
    """Upsert one MessageRecord per group and category for the week (`existing`: _own_messages);
    0 removes it."""
    new, changed, removed, audits = [], [], [], []
    for pk, row in rows.items():
        group = groups[int(pk)]
        for category in MessageCategory.values:
            count = int(row["messages"].get(category) or 0)
            record = existing.get(group.pk, {}).get(category)
            if record and count == 0:
                removed.append(record.pk)
            elif record and record.count != count:
                audits.append(dict(obj=record, action=AuditAction.UPDATE, changes={"条数": [str(record.count), str(count)]},
                                   note=row.get("overlaps", "")))
                record.count, record.entered_by, record.updated_at = count, user, timezone.now()
                record.version += 1
                changed.append(record)
            elif not record and count:
                new.append(MessageRecord(org=group.org, group=group, **message_dates(monday, sunday),  # counts on its Thursday
                                         count=count, category=category, entered_by=user))
    update_rows_with_history(changed, ["count", "entered_by", "updated_at", "version"],
                             default_user=user, default_change_reason="每周填报")
    if removed:  # soft delete: the 回收站 can bring a week's figure back
        MessageRecord.objects.filter(pk__in=removed).update(deleted_at=timezone.now(), deleted_by=user)
        audits += [dict(obj=record, action=AuditAction.DELETE, changes={}, note="每周填报：条数改为 0")
                   for sent in existing.values() for record in sent.values() if record.pk in removed]
    created = bulk_create_with_history(new, MessageRecord, default_user=user, default_change_reason="每周填报")
    confirmed = {int(pk): row.get("overlaps", "") for pk, row in rows.items()}
    audits += [dict(obj=r, action=AuditAction.CREATE, changes={},
                    note="；".join(filter(None, [f"每周填报：{r.get_category_display()} {r.count} 条", confirmed[r.group_id]])))
               for r in created]
    return audits


class WeeklyConflict(ValidationError):
    """Rows that cannot be saved: `errors` (group id → message), `conflicts` (group id → what
    someone else saved since: (today's snapshot or None, {category: messages this week})) and
    `stamps` (group id → the row's weekly_stamp now: a form re-armed with it saves over theirs)."""

    def __init__(self, *, errors, conflicts, stamps):
        self.errors, self.conflicts, self.stamps = errors, conflicts, stamps
        super().__init__("部分微信群的数据未能保存，请查看标红的行。")


@transaction.atomic
def group_delete(*, user, group):
    """Soft delete, with what hangs on the group: its message records and the activities
    linked to it go to the 回收站 with it, stamped with the group's own deletion time, so that
    they count nowhere (issue 17); group_restore brings back exactly those. Returns
    (messages, activities) moved."""
    require_edit(user, group.org)
    record_soft_delete(obj=group, user=user)
    return _carry_along(group, user, deleting=True)


@transaction.atomic
def group_restore(*, user, group):
    require_edit(user, group.org)
    if group.org.is_deleted:
        raise ValidationError(f"所属组织“{group.org.name}”已删除，请先恢复该组织。")
    if WechatGroup.objects.filter(org=group.org, name=group.name).exists():
        raise ValidationError(f"“{group.org.name}”已有同名微信群“{group.name}”，请先改名。")
    moved = _carry_along(group, user, deleting=False)  # before record_restore clears the stamp
    record_restore(obj=group, user=user)
    return [f"一并恢复了该群的发送记录 {moved[0]} 条、关联活动 {moved[1]} 项。"] if any(moved) else []


def _carry_along(group, user, *, deleting):
    """Move the group's live message records and linked activities to the 回收站 (deleting)
    or bring back those that went there with it (same deleted_at as the group; a record
    deleted on its own before stays there). A few statements whatever the number of rows."""
    moved, units = [], {group.org_id}
    for model in (MessageRecord, Activity):
        rows = model.all_objects.filter(group=group, deleted_at__isnull=True) if deleting else \
            model.all_objects.filter(group=group, deleted_at=group.deleted_at)
        records = list(rows.select_related("org"))
        rows.update(deleted_at=group.deleted_at if deleting else None, deleted_by=user if deleting else None,
                    version=F("version") + 1)
        audit_log_bulk([dict(obj=r, action=AuditAction.DELETE if deleting else AuditAction.RESTORE, changes={},
                             note=f"随微信群“{group.name}”{'移入回收站' if deleting else '恢复'}") for r in records], user=user)
        units |= {r.org_id for r in records}
        moved.append(len(records))
    refresh_totals(units, ("messages", "activities"))
    return tuple(moved)

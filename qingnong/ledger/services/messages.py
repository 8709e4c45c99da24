"""Writes of message records (发送微信): one day, or a week/month period with a count, for
one WeChat group or one official account. The record takes its org from that group or
account, so the 附件3 township totals are one indexed GROUP BY on (org, month, category)."""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from qingnong.audit.services import check_version, record_restore, record_soft_delete, save_edit
from qingnong.lib.dates import month_of, today
from qingnong.org.scoping import require_edit

from ..models import MessageRecord, Source, counts_on_day
from ..selectors.messages import message_overlaps
from ..totals import refresh as refresh_totals

MESSAGE_FIELDS = ["period_start", "period_end", "count", "category", "theme", "title", "link"]
# A bulk record counts in the month it starts in; more than a month would blur the
# monthly figures, so longer periods are entered month by month.
MAX_PERIOD_DAYS = 31


def _check_message(message, *, end_was=None):
    """The record's rules, raised as {field: message} so a form shows them by the field."""
    if (message.group_id is None) == (message.account_id is None):
        raise ValidationError({"target": "请选择一个微信群或一个公众号（只能选一个）。"})
    errors = {}
    if message.period_start and message.period_start > today():
        errors["period_start"] = "开始日期不能晚于今天。"
    # The weekly entry records the whole week (Monday–Sunday); editing such a record
    # keeps its Sunday even while that Sunday is still ahead.
    if message.period_end and message.period_end > today() and message.period_end != end_was:
        errors["period_end"] = "结束日期不能晚于今天。"
    if message.period_start and message.period_end:
        if message.period_end < message.period_start:
            errors["period_end"] = "结束日期不能早于开始日期。"
        elif message.period_end - message.period_start >= timedelta(days=MAX_PERIOD_DAYS):
            errors["period_end"] = f"一条记录最长统计 {MAX_PERIOD_DAYS} 天，更长的时间请按月分开填写。"
    if message.count is None or message.count < 1:
        errors["count"] = "条数至少为 1。"
    if errors:
        raise ValidationError(errors)
    if message.group_id:
        message.theme = ""  # 公众号栏目只适用于公众号
    message.org = (message.group or message.account).org
    message.counts_on = counts_on_day(message.period_start, message.period_end)  # the one day it counts on
    message.month = month_of(message.counts_on)


class DuplicateWarning(ValidationError):
    """Live records of the same group (or account) and category already cover part of the
    period: saving would count those messages twice in 检查验收 unless they really are
    other messages. `overlaps` are the records; the caller shows them and asks for
    confirm_overlap=True. The message lands on a form's confirm_overlap field."""

    def __init__(self, overlaps):
        self.overlaps = overlaps
        total = sum(r.count for r in overlaps)
        super().__init__({"confirm_overlap": (
            f"这段时间已有 {len(overlaps)} 条同类别的发送记录（共 {total} 条信息），确是另外发送的请勾选后再保存。")})


def describe_overlap(record):
    """"10月06日–10月12日 政策法规 5 条（每周填报）": one overlapping record, for the page and the log."""
    period = f"{record.period_start:%m月%d日}" if record.period_end == record.period_start \
        else f"{record.period_start:%m月%d日}–{record.period_end:%m月%d日}"
    return f"{period} {record.get_category_display()} {record.count} 条（{record.entry_kind}）"


def _overlaps_of(user, message):
    """The other live records of `message`'s target and category overlapping its period (one query)."""
    return message_overlaps(user, group_id=message.group_id, account_id=message.account_id, category=message.category,
                            start=message.period_start, end=message.period_end, exclude_pk=message.pk)


def _check_overlap(user, message, *, confirm_overlap):
    """Unconfirmed overlap raises DuplicateWarning; confirmed, returns the note for the
    audit log ("" when nothing overlaps)."""
    overlaps = _overlaps_of(user, message)
    if not overlaps:
        return ""
    if not confirm_overlap:
        raise DuplicateWarning(overlaps)
    note = f"已确认是另外发送的信息，不是重复填报（时间重叠的已有记录：{'；'.join(describe_overlap(r) for r in overlaps)}）"
    return note if len(note) <= 500 else note[:499] + "…"  # AuditEntry.note holds 500


def _note(message, note):
    """The confirmation goes into the audit entry of the save (audit.handlers) and the history row."""
    if note:
        message._audit_note, message._change_reason = note, note[:100]


def _target_editable(user, *, group, official_account):
    for target in (group, official_account):
        if target is not None:
            if target.is_deleted:
                raise ValidationError({"target": f"“{target}”已删除。"})
            require_edit(user, target.org)


@transaction.atomic
def message_create(*, user, group=None, official_account=None, period_start, period_end=None, count,
                   category, theme="", title="", link="", source=Source.MANUAL, confirm_overlap=False):
    """Record `count` messages of `category` sent in `group` or by `official_account`
    (exactly one) on `period_start`, or over `period_start`–`period_end`. Records of the
    same target and category overlapping the period raise DuplicateWarning unless
    `confirm_overlap` (the audit log then notes the confirmation)."""
    _target_editable(user, group=group, official_account=official_account)
    message = MessageRecord(
        group=group, account=official_account, period_start=period_start, period_end=period_end or period_start,
        count=count, category=category, theme=theme or "", title=title or "", link=link or "",
        source=source, entered_by=user,
    )
    _check_message(message)
    message.full_clean()
    note = _check_overlap(user, message, confirm_overlap=confirm_overlap)
    message._history_user = user
    _note(message, note)
    message.save()
    return message


@transaction.atomic
def message_update(*, user, message, expected_version, group=None, official_account=None, confirm_overlap=False,
                   **fields):
    """Change a record seen at `expected_version`; a newer save by someone else is refused.
    Overlap with other records of the same target and category: as message_create."""
    require_edit(user, message.org)
    message = MessageRecord.objects.select_for_update(of=("self",)).select_related("org").get(pk=message.pk)
    check_version(message, expected_version)
    end_was, org_was = message.period_end, message.org_id
    if group is not None or official_account is not None:
        _target_editable(user, group=group, official_account=official_account)
        message.group, message.account = group, official_account
    for key, value in fields.items():
        if key in MESSAGE_FIELDS:
            setattr(message, key, "" if value is None and key in ("theme", "title", "link") else value)
    if not message.period_end:
        message.period_end = message.period_start
    _check_message(message, end_was=end_was)
    note = _check_overlap(user, message, confirm_overlap=confirm_overlap)
    message.entered_by = user
    _note(message, note)
    save_edit(message, user=user)
    if message.org_id != org_was:  # moved to another group or account: the old unit loses it
        refresh_totals([org_was], ("messages",))
    return message


@transaction.atomic
def message_delete(*, user, message):
    """Soft delete; the 回收站 brings it back."""
    require_edit(user, message.org)
    record_soft_delete(obj=message, user=user)


@transaction.atomic
def message_restore(*, user, message):
    require_edit(user, message.org)
    target = message.group or message.account
    if target.is_deleted:
        raise ValidationError(f"“{target}”已删除，请先恢复它，再恢复这条发送记录。")
    if message.org.is_deleted:
        raise ValidationError(f"所属组织“{message.org.name}”已删除，请先恢复该组织。")
    record_restore(obj=message, user=user)
    # Undoing a delete is never refused for this; the records entered since are named.
    overlaps = _overlaps_of(user, message)
    if overlaps:
        return [f"这段时间已有同类别的发送记录：{'；'.join(describe_overlap(r) for r in overlaps)}。"
                "如果是同一批信息，请删除其中一条，以免重复计数。"]
    return []

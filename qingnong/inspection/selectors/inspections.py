"""Inspection reads: rounds, a county's inspection, and the ledger figures its findings show.

Visibility (issue 6): the city (any org above the county, in scope) sees every inspection
of its counties; the county sees its own only once the city has published it. Anything
else is a 404, so an unpublished inspection is indistinguishable from a missing one.
"""
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from qingnong.campaign.scorecard import with_progress
from qingnong.campaign.selectors import rate_window
from qingnong.ledger.models import Activity, ActivityType, MessageCategory, MessageRecord, OfficialAccount, WechatGroup
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import get_scoped_or_404, governing, is_above, scope_path, scoped

from ..models import FocusItem, Inspection, InspectionPhoto, InspectionRound, InspectionStatus
from qingnong.accounts.models import User
import io
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt


def _visible(qs, user):
    """Inspections in scope; the county's own only once published (the city, above it,
    sees them at every stage)."""
    qs = scoped(qs, user)
    if not scope_path(user):  # everything (superuser) or nothing
        return qs
    return qs.filter(~Q(org=user.org_id) | Q(status=InspectionStatus.PUBLISHED))


def inspection_list(user, *, round=None):
    qs = _visible(Inspection.objects.select_related("round", "org", "inspector"), user)
    if round is not None:
        qs = qs.filter(round=round)
    return qs.order_by("-round__starts_on", "org__code", "org__path")


def inspection_or_404(user, inspection_id):
    """The inspection with its findings, spot checks and photos, if `user` may see it."""
    qs = inspection_list(user).prefetch_related("findings", "spot_checks__group", "photos")
    return get_scoped_or_404(qs, user, pk=inspection_id)


def photo_or_404(user, photo_id):
    photo = get_scoped_or_404(InspectionPhoto.objects.select_related("inspection__org"), user, pk=photo_id)
    if not is_above(user, photo.inspection.org) and photo.inspection.status != InspectionStatus.PUBLISHED:
        raise Http404("记录不存在或不在您的权限范围内")
    return photo


def round_list(user):
    """Rounds run by the user's org or an org in its subtree."""
    return scoped(InspectionRound.objects.select_related("campaign", "org"), user).order_by("-starts_on", "-pk")


def round_or_404(user, round_id):
    """A round run by the user's org, an org above it (governing: the county may be told
    it exists) or below it; the view decides what the user may do with it."""
    rounds = governing(InspectionRound.objects.select_related("campaign", "org"), user)
    round = rounds.filter(pk=round_id).first()
    if round is None:
        raise Http404("记录不存在或不在您的权限范围内")
    return round


def counties_of(org):
    return Org.objects.filter(path__startswith=org.path, level=OrgLevel.COUNTY).order_by("code", "name")


def inspector_choices(org):
    """City-level users who may inspect: active accounts of the org running the round."""
    return User.objects.filter(org=org, is_active=True).order_by("username")


def spot_check_groups(inspection):
    """The county's groups an inspector may pick for a spot check."""
    return WechatGroup.objects.filter(org__path__startswith=inspection.org.path).select_related("org").order_by(
        "org__path", "name")


def finding_figures(county, *, campaign, as_of):
    """The ledger's figures for each focus item of `county` as of `as_of`, with the targets:
    {item: {"lines": [[label, shown]], ...numbers}}. Stored on the Finding as a snapshot so
    the report keeps showing what the inspector saw, whatever the ledger says later."""
    (row,) = with_progress([county], campaign=campaign, as_of=as_of)
    start, end = rate_window(campaign, as_of)  # the campaign's own weeks, named on the page
    totals = _sums_since(county, start=start, as_of=end)
    window = f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
    official_account = OfficialAccount.objects.filter(org=county).first()
    planned = row.planned_youth or 0
    c = campaign

    def pct(part, whole):
        return round(part * 100 / whole) if whole else None

    def shown_pct(part, whole):
        return f"{pct(part, whole)}%" if whole else "—"

    groups_pct = pct(row.youth_groups, planned)
    groups = {
        "youth_groups": row.youth_groups, "planned_youth": planned, "percent": groups_pct,
        "goal_percent": c.youth_groups_goal_percent, "minimum": c.youth_groups_per_township * row.n_townships,
        "work_groups": row.work_groups, "own_work_groups": row.own_work_groups, "work_target": c.work_groups_per_county,
        "account_opened": row.account_opened, "account_name": official_account.name if official_account else "",
        "lines": [
            ["团青微信群（已建 / 计划）", (f"{row.youth_groups} / {planned}（{shown_pct(row.youth_groups, planned)}，目标 {c.youth_groups_goal_percent}%）"
                                        if planned else f"{row.youth_groups} 个（未报计划表）")],
            ["团青微信群（每乡镇不少于 {}）".format(c.youth_groups_per_township), f"{row.youth_groups} / {c.youth_groups_per_township * row.n_townships}"],
            ["青农微信群", f"{row.work_groups} 个（县本级 {row.own_work_groups}，应不少于 {c.work_groups_per_county}）"],
            ["微信公众号", (f"已开通：{official_account.name}" if row.account_opened and official_account else "未开通")],
        ],
    }
    youths = {
        "youths_reached": row.youths_reached, "grassroots_cadres": row.grassroots_cadres,
        "cadres_on_target": row.cadres_on_target, "youths_per_cadre": c.youths_per_cadre,
        "percent": pct(row.cadres_on_target, row.grassroots_cadres),
        "lines": [
            ["联系团员青年数（团青群成员）", f"{row.youths_reached:,} 人"],
            [f"基层团干部联系青年≥{c.youths_per_cadre} 名", f"{row.cadres_on_target} / {row.grassroots_cadres}（{shown_pct(row.cadres_on_target, row.grassroots_cadres)}）"],
        ],
    }
    weeks = max(1, round(((end - start).days + 1) / 7))
    n_groups = row.youth_groups + row.work_groups
    by_category = [[label, totals.get(f"msg_{value}", 0)] for value, label in MessageCategory.choices]
    sent = sum(n for _, n in by_category)
    per_group_week = round(sent / n_groups / weeks, 2) if n_groups else None
    messages = {
        "since": start.isoformat(), "until": end.isoformat(), "weeks": weeks, "groups": n_groups, "total": sent,
        "by_category": by_category, "per_group_week": per_group_week,
        "lines": [
            [f"发送微信（{window}，全面建设阶段起）", f"{sent} 条"],
            *[[f"　{label}", f"{n} 条"] for label, n in by_category],
            ["每群每周发送", (f"{per_group_week} 条（{n_groups} 个群，{weeks} 周）" if n_groups else "尚无微信群")],
        ],
    }
    by_type = [[label, totals.get(f"act_{value}", 0)] for value, label in ActivityType.choices]
    held = sum(n for _, n in by_type)
    activities = {
        "since": start.isoformat(), "until": end.isoformat(), "total": held, "by_type": by_type,
        "townships": row.n_townships,
        "lines": [
            [f"线下活动（{window}）", f"{held} 次（{row.n_townships} 个乡镇）"],
            *[[f"　{label}", f"{n} 次"] for label, n in by_type],
        ],
    }
    return {FocusItem.GROUPS: groups, FocusItem.YOUTHS: youths, FocusItem.MESSAGES: messages,
            FocusItem.ACTIVITIES: activities}


def _sums_since(county, *, start, as_of):
    """Messages by category and activities by type in the county's whole subtree (its own,
    its townships', villages' and 直属 orgs') from `start` to `as_of`, keyed like 附件3's
    columns (msg_policy, act_skills …). Two GROUP BYs."""
    sums = {}
    messages = MessageRecord.objects.filter(org__path__startswith=county.path, counts_on__gte=start,
                                            counts_on__lte=as_of)
    for row in messages.values("category").annotate(n=Sum("count")).order_by():
        sums[f"msg_{row['category']}"] = row["n"] or 0
    activities = Activity.objects.filter(org__path__startswith=county.path, held_on__gte=start, held_on__lte=as_of)
    for row in activities.values("activity_type").annotate(n=Count("pk")).order_by():
        sums[f"act_{row['activity_type']}"] = row["n"]
    return sums


def figures_as_of(inspection):
    """The date the figures are taken at: the inspection date, never after today."""
    day = inspection.inspected_on or inspection.round.starts_on
    return min(day, today())


def checklist_rows(inspection):
    """[(finding, its photos)] in the plan's order of the four items."""
    order = {value: i for i, value in enumerate(FocusItem.values)}
    photos = list(inspection.photos.all())
    findings = sorted(inspection.findings.all(), key=lambda f: order.get(f.item, 99))
    return [(f, [p for p in photos if p.finding_id == f.pk]) for f in findings]


def other_photos(inspection):
    return [p for p in inspection.photos.all() if p.finding_id is None]


def inspections_to_do(user):
    """The inspections assigned to `user` that are not submitted yet."""
    return inspection_list(user).filter(inspector=user).filter(
        Q(status=InspectionStatus.ASSIGNED) | Q(status=InspectionStatus.IN_PROGRESS))



def report_docx(inspection):
    """The report as a Word file the city files: the same content as the HTML report."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # Word picks the Chinese font from eastAsia
    doc.add_heading(f"{inspection.org.name}“两群一号”建设检查验收报告", level=1)
    doc.add_paragraph(f"检查轮次：{inspection.round.name}　检查日期：{inspection.inspected_on or '—'}")
    doc.add_paragraph(f"检查人：{inspection.inspector.get_full_name() if inspection.inspector else '—'}　"
                      f"状态：{inspection.get_status_display()}"
                      + (f"　发布时间：{timezone.localtime(inspection.published_at):%Y-%m-%d}" if inspection.published_at else ""))
    for finding, photos in checklist_rows(inspection):
        doc.add_heading(finding.get_item_display(), level=2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, shown in finding.figures.get("lines", []):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = str(label).strip(), str(shown)
        doc.add_paragraph(f"结论：{finding.get_verdict_display() or '未给出'}")
        if finding.comment:
            doc.add_paragraph(f"检查意见：{finding.comment}")
        for photo in photos:
            try:
                with photo.image.open("rb") as handle:
                    doc.add_picture(io.BytesIO(handle.read()), width=Cm(7))
            except (FileNotFoundError, ValueError, OSError):
                doc.add_paragraph("（照片文件缺失）")
        doc.add_paragraph(f"整改情况：{finding.response or '尚未回复'}")
    spots = list(inspection.spot_checks.all())
    if spots:
        doc.add_heading("抽查记录", level=2)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ["微信群", "抽查内容", "是否属实", "备注"]):
            cell.text = text
        for spot in spots:
            cells = table.add_row().cells
            passed = {True: "是", False: "否"}.get(spot.passed, "未确定")
            for cell, text in zip(cells, [spot.group.name if spot.group else "—", spot.question, passed, spot.note]):
                cell.text = text
    if inspection.summary:
        doc.add_heading("总体评价", level=2)
        doc.add_paragraph(inspection.summary)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

"""Writes of a township's own figures for 附件3: 团支部数、团干部数、团员青年数, by date."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qingnong.lib.dates import today
from qingnong.org.models import OrgLevel
from qingnong.org.scoping import require_edit

from ..models import Source, TownshipFigures

FIGURE_FIELDS = ["branch_count", "cadre_count", "youth_count"]


class FiguresConflict(ValidationError):
    """The date already has figures the user did not see (or saw an older version of)."""

    def __init__(self, *, current):
        self.current = current
        who = current.entered_by.get_full_name() if current.entered_by else "其他人"
        super().__init__(f"{current.as_of:%Y-%m-%d} 的数据已由{who}填报过（与您看到的不同）。请核对两个版本后再保存。")


@transaction.atomic
def figures_record(*, user, org, as_of, branch_count, cadre_count, youth_count, expected_version=None,
                   source=Source.MANUAL):
    """Record `org`'s figures as of `as_of`. 附件3 按乡镇填报: only township orgs have them.
    One row per township and date: entering a date again updates that row, but only when
    `expected_version` is the version the user saw (None: they saw no row for that date)."""
    require_edit(user, org)
    if org.level != OrgLevel.TOWNSHIP:
        raise ValidationError("团支部数、团干部数、团员青年数按乡镇填报，请在乡镇团委页面填写。")
    errors = {}
    if as_of > today():
        errors["as_of"] = "统计日期不能晚于今天。"
    values = {"branch_count": branch_count, "cadre_count": cadre_count, "youth_count": youth_count}
    for field, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool):
            errors[field] = "请输入整数。"
        elif value < 0:
            errors[field] = "不能为负数。"
    if errors:
        raise ValidationError(errors)
    figures = (TownshipFigures.objects.select_for_update(of=("self",)).select_related("entered_by")
               .filter(org=org, as_of=as_of).first())
    if figures is not None and (expected_version is None or int(expected_version) != figures.version):
        raise FiguresConflict(current=figures)
    if figures is None:
        figures = TownshipFigures(org=org, as_of=as_of)
    else:
        figures.version += 1
    for field, value in values.items():
        setattr(figures, field, value)
    figures.source, figures.entered_by = source, user
    figures.full_clean(validate_unique=False)
    figures._history_user = user
    try:
        with transaction.atomic():  # a savepoint: someone may insert the same date right now
            figures.save()
    except IntegrityError:
        raise FiguresConflict(current=TownshipFigures.objects.select_related("entered_by").get(org=org, as_of=as_of))
    return figures

"""附件2 微信体系建设情况统计表 from the ledger: the official accounts of the counties in
scope as of a date, one row per admin (an account without admins: one row; a county
without an account: one row with its name, so the gap shows).

"As of": an account counts from its opening date (开通日期) and until it was deleted;
an admin until the assignment was deleted. The ledger keeps no dated history of contact
details, so names, phones and WeChat/QQ numbers are the current ones.
"""
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from qingnong.ledger.models import AccountAdmin, AccountStatus, OfficialAccount
from qingnong.accounts.permissions import mask
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import scoped

from .layouts import roster as layout

LAYOUT = layout.LAYOUT


@dataclass
class RosterForm:
    org: Org
    as_of: date
    header: dict
    note: str
    rows: list = field(default_factory=list)  # dicts keyed by the layout's column keys (+ "org", "account_id")


def _live_on(as_of, prefix=""):
    return Q(**{f"{prefix}deleted_at__isnull": True}) | Q(**{f"{prefix}deleted_at__date__gt": as_of})


def counties_of(org, *, user=None):
    """The counties a form of `org` covers: the county itself, or those under it (in
    `user`'s scope when given: a command has no user and sees all)."""
    if org.level == OrgLevel.COUNTY:
        return [org]
    counties = Org.objects.filter(level=OrgLevel.COUNTY, path__startswith=org.path)
    if user is not None:
        counties = scoped(counties, user)
    return list(counties.order_by("code", "path"))


def roster_form(org, *, as_of, user=None, header=None):
    """附件2 for `org`: its own account first (a city may have one), then each county's."""
    counties = counties_of(org, user=user)
    owners = ([org] if org.level != OrgLevel.COUNTY else []) + counties
    admins = (AccountAdmin.all_objects.filter(_live_on(as_of)).select_related("cadre")
              .order_by("role", "pk"))  # 专职 ("full_time") before 兼职 ("part_time")
    accounts = (OfficialAccount.all_objects
                .filter(org__in=owners, status=AccountStatus.OPENED)
                .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=as_of))
                .filter(_live_on(as_of))
                .prefetch_related(Prefetch("admins", queryset=admins, to_attr="admins_then")))
    by_org = {}
    for account_row in accounts:
        by_org.setdefault(account_row.org_id, []).append(account_row)
    form = RosterForm(org=org, as_of=as_of, note=f"截至{as_of:%Y年%m月%d日}",
                      header={"county": org.name, "reported_at": f"{as_of:%Y年%m月%d日}", **(header or {})})
    for owner in owners:
        owned = by_org.get(owner.pk, [])
        if not owned and owner.level == OrgLevel.COUNTY:
            form.rows.append({"org": owner, "county": owner.name, "account": None, "account_id": None})
        for account_row in owned:
            base = {"org": owner, "county": owner.name, "account": account_row.name, "account_id": account_row.pk}
            if not account_row.admins_then:
                form.rows.append(base)
            for admin in account_row.admins_then:
                cadre = admin.cadre
                # Personal data as the reader may see it (a viewer: masked), on the page and in the .xlsx.
                shown = (lambda value: mask(value, user)) if user is not None else (lambda value: value)
                form.rows.append({**base, "admin_name": cadre.name, "phone": shown(cadre.mobile),
                                  "wechat_id": shown(cadre.wechat_id), "qq": shown(cadre.qq)})
    return form

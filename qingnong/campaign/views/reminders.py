"""提醒 (issue 12): for a county or city admin, what each county under it owes now as the
message to paste into its 青农 work group, a copy button, the people to call as CSV, and
"已提醒" recorded with who and when. The same service as `qingnong remind`; an org that
has done what is asked is never named."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, relation_required, role_required
from qingnong.audit.services import audit_export
from qingnong.lib.csvfiles import write_csv
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import in_scope

from .. import selectors
from ..reminders import CONTACT_HEADER, campaign_debts, reminder_contacts, reminder_message, reminders_record


@role_required(Role.ADMIN, after_scope=True)
@relation_required(in_scope)
def remind(request, org_id):
    org = get_for_user(request, Org.objects.all(), org_id, rw=True)
    campaign = selectors.current_campaign(request.user)
    if campaign is None or org.level not in (OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY):
        return render(request, "campaign/remind.html", {"org": org, "campaign": campaign, "debts": []})
    as_of = selectors.default_as_of(campaign)
    debts = campaign_debts(campaign=campaign, root=org, as_of=as_of)
    if request.method == "POST" and debts:
        reminders_record(campaign=campaign, debts=debts, as_of=as_of, user=request.user)
        messages.success(request, f"已记录：{len(debts)} 个县区已提醒（{request.user.get_full_name()}）。")
        return redirect("campaign:remind", org_id=org.pk)
    if request.GET.get("format") == "csv":
        return _contacts_csv(request, org, debts)
    last = selectors.last_reminders(campaign, [d.county for d in debts])
    rows = [(d, reminder_message(d, as_of=as_of), last.get(d.county.pk)) for d in debts]
    return render(request, "campaign/remind.html", {"org": org, "campaign": campaign, "as_of": as_of, "rows": rows, "debts": debts})


def _contacts_csv(request, org, debts):
    rows = reminder_contacts(debts)
    audit_export(org=org, user=request.user, what=f"待提醒联系人（{len(debts)} 个县区，共 {len(rows)} 人）")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%BE%85%E6%8F%90%E9%86%92%E8%81%94%E7%B3%BB%E4%BA%BA.csv"
    response.write("\ufeff")  # BOM: Excel opens it as UTF-8
    write_csv(response, CONTACT_HEADER, rows)
    return response


urls = [path("remind/<int:org_id>/", remind, name="remind")]

"""数据质量 (issue 12): the figures under an org that break the city's rules, per township
and group, with what was done about each (已核实 / 已更正); the city admin's rule settings."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import get_for_user, role_required
from qingnong.lib.dates import today
from qingnong.lib.forms import paginate

from .. import quality
from ..models import FollowUp, WechatGroup
from ..services.quality import RULE_LEVELS, quality_follow_up, quality_rule_set
from .common import org_for_user


def quality_list(request, org_id):
    org = org_for_user(request, org_id)
    rules = quality.rules_for(org)
    found = quality.violations(org, rules=rules, today=today())
    shown = request.GET.get("show", "open")
    if shown == "open":  # 已核实 figures are right: out of the way unless asked for
        found = [v for v in found if not (v.follow_up and v.follow_up.state == FollowUp.VERIFIED)]
    return render(request, "ledger/quality_list.html", {
        "org": org, "page": paginate(request, found), "count": len(found), "rules": rules.values(), "show": shown,
        "states": FollowUp.choices, "can_set": org.level in RULE_LEVELS and request.user.can_manage_users,
    })


@require_POST
@role_required(Role.REPORTER, after_scope=True)
def quality_follow_up_save(request, org_id):
    township = org_for_user(request, org_id, rw=True)
    group_id = request.POST.get("group") or None
    group = get_for_user(request, WechatGroup.objects.select_related("org"), group_id) if group_id else None
    try:
        quality_follow_up(user=request.user, township=township, group=group, rule=request.POST.get("rule", ""),
                          state=request.POST.get("state", ""), note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已记录：{township.name}{'（' + group.name + '）' if group else ''}。")
    back = request.POST.get("back", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if safe else "ledger:quality", **({} if safe else {"org_id": township.pk}))


@role_required(Role.ADMIN, after_scope=True)
def quality_rules(request, org_id):
    org = org_for_user(request, org_id, rw=True)
    rules = quality.rules_for(org)
    if request.method == "POST":
        errors = []
        for rule in rules.values():
            try:
                quality_rule_set(user=request.user, org=org, key=rule.key, enabled=f"{rule.key}-enabled" in request.POST,
                                 blocking=f"{rule.key}-blocking" in request.POST,
                                 threshold=request.POST.get(f"{rule.key}-threshold", ""))
            except ValidationError as error:
                errors += error.messages
        if not errors:
            messages.success(request, "已保存数据质量规则，对本市所有县区、乡镇生效。")
            return redirect("ledger:quality", org_id=org.pk)
        messages.error(request, "；".join(errors))
    return render(request, "ledger/quality_rules.html", {"org": org, "rules": rules.values(),
                                                          "editable": org.level in RULE_LEVELS})


urls = [
    path("orgs/<int:org_id>/quality/", quality_list, name="quality"),
    path("orgs/<int:org_id>/quality/follow-up/", quality_follow_up_save, name="quality-follow-up"),
    path("orgs/<int:org_id>/quality/rules/", quality_rules, name="quality-rules"),
]

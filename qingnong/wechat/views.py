"""The 公众号's link to the platform (county admins and the city only), the township QR
posters, and the callback the platform pushes events to (public, signature-checked)."""
import segno
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from qingnong.accounts.models import Role
from qingnong.accounts.permissions import check_role, get_for_user, role_required
from qingnong.lib.dates import today
from qingnong.lib.forms import run_service
from qingnong.org.models import Org, OrgLevel
from qingnong.lib.secrets import SecretUnreadable, unseal

from . import classify, selectors, services
from .forms import ArticleForm, LinkForm, WecomLinkForm
from .models import AccountLink

app_name = "wechat"


def _account(request, account_id):
    account = selectors.account_or_404(request.user, account_id)
    check_role(request)
    return account


@role_required(Role.ADMIN, after_scope=True)
def link(request, account_id):
    account = _account(request, account_id)
    current = selectors.link_of(account)
    form = LinkForm(request.POST or None, initial={"app_id": current.app_id if current else "",
                                                    "verified_service": current.verified_service if current else False})
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, services.link_account, user=request.user, account=account, **form.cleaned_data)
        if ok:
            flash.success(request, "已链接公众平台接口，AppSecret 已加密保存。")
            return redirect("wechat:link", account_id=account.pk)
    context = {"oa": account, "link": current, "form": form}
    if current:
        rows, other, total = selectors.followers_by_township(current)
        context.update(rows=rows, other=other, total=total, runs=selectors.recent_runs(current),
                       days=selectors.recent_days(current), missing=selectors.missing_codes(current),
                       codes=len(selectors.codes_of(current)),
                       articles=[(a, classify.suggest(a.title)) for a in selectors.articles_to_confirm(current)],
                       article_form=ArticleForm(),
                       callback=request.build_absolute_uri(reverse("wechat:callback", kwargs={"link_id": current.pk})))
    return render(request, "wechat/link.html", context)


@require_POST
@role_required(Role.ADMIN, after_scope=True)
def unlink(request, account_id):
    account = _account(request, account_id)
    current = selectors.link_of(account)
    if current:
        services.unlink_account(user=request.user, link=current)
        flash.success(request, "已解除链接；保存的 AppSecret 已删除。")
    return redirect("wechat:link", account_id=account.pk)


@require_POST
@role_required(Role.ADMIN, after_scope=True)
def make_codes(request, account_id):
    account = _account(request, account_id)
    current = selectors.link_of(account)
    if current:
        try:
            made = services.create_township_codes(user=request.user, link=current)
            flash.success(request, f"已生成 {made} 个乡镇的关注二维码。" if made else "各乡镇都已有二维码。")
        except ValidationError as error:
            flash.error(request, " ".join(error.messages))
    return redirect("wechat:link", account_id=account.pk)


@role_required(Role.ADMIN, after_scope=True)
def posters(request, account_id):
    """One A4 poster per township: its name and its code, drawn here as SVG (no image is
    fetched from the platform, so it prints on an intranet too)."""
    account = _account(request, account_id)
    current = selectors.link_of(account)
    codes = selectors.codes_of(current) if current else []
    items = [(c, mark_safe(segno.make(c.url, error="m").svg_inline(scale=8, border=2, title=f"{c.org.name}关注二维码")))
             for c in codes]
    return render(request, "wechat/posters.html", {"oa": account, "items": items})


@require_POST
@role_required(Role.ADMIN, after_scope=True)
def article_confirm(request, article_id):
    """A person gives a published article its 内容类别 (and 栏目): it is then a message record."""
    article = selectors.article_or_404(request.user, article_id)
    check_role(request)
    form = ArticleForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_article(user=request.user, article=article, **form.cleaned_data)
            flash.success(request, f"已记入发送微信：“{article.title}”。")
        except ValidationError as error:
            flash.error(request, " ".join(error.messages))
    else:
        flash.error(request, f"“{article.title}”：请选择内容类别。")
    return redirect("wechat:link", account_id=article.link.account_id)


@role_required(Role.ADMIN, after_scope=True)
def wecom(request, org_id):
    """A county's WeCom 客户群: the link (corp id + secret), each group's health and the
    ledger group a person matched it to."""
    org = get_for_user(request, Org.objects.all(), org_id)
    check_role(request)
    if org.level != OrgLevel.COUNTY:
        return render(request, "wechat/wecom.html", {"org": org, "not_county": True})
    current = selectors.wecom_link_of(org)
    form = WecomLinkForm(request.POST or None, initial={"corp_id": current.corp_id if current else ""})
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, services.link_wecom, user=request.user, org=org, **form.cleaned_data)
        if ok:
            flash.success(request, "已链接企业微信，Secret 已加密保存。客户群的数据在每天的同步后出现。")
            return redirect("wechat:wecom", org_id=org.pk)
    context = {"org": org, "link": current, "form": form}
    if current:
        # Health over the 30 days up to the last one synced (today's figures come tomorrow).
        context["rows"] = selectors.wecom_health(current, as_of=current.synced_through or today())
        context["ledger_groups"] = selectors.ledger_groups(org)
        context["runs"] = selectors.recent_runs(current)
    return render(request, "wechat/wecom.html", context)


@require_POST
@role_required(Role.ADMIN, after_scope=True)
def wecom_match(request, wecom_group_id):
    wecom_group = selectors.wecom_group_or_404(request.user, wecom_group_id)
    check_role(request)
    chosen = request.POST.get("group", "")
    group = None
    if chosen:
        group = selectors.ledger_groups(wecom_group.link.org).filter(pk=chosen if chosen.isdigit() else 0).first()
        if group is None:
            flash.error(request, "所选的群不在本县区的台帐中。")
            return redirect("wechat:wecom", org_id=wecom_group.link.org_id)
    services.match_wecom_group(user=request.user, wecom_group=wecom_group, group=group)
    flash.success(request, f"“{wecom_group.name}”已对应：{group.name if group else '（无）'}。")
    return redirect("wechat:wecom", org_id=wecom_group.link.org_id)


@csrf_exempt  # the platform posts here; the signature, not a cookie, proves it
@login_not_required
def callback(request, link_id):
    current = get_object_or_404(AccountLink.objects.select_related("account"), pk=link_id)
    query = request.GET
    try:
        check_signature(current.callback_token, query.get("signature", ""), query.get("timestamp", ""), query.get("nonce", ""))
    except InvalidSignatureException:
        return HttpResponseForbidden("signature")
    if request.method == "GET":  # the platform checks the URL when it is saved
        return HttpResponse(query.get("echostr", ""), content_type="text/plain")
    body = request.body
    if query.get("encrypt_type") == "aes":
        try:
            crypto = WeChatCrypto(current.callback_token, unseal(current.aes_key_sealed), current.app_id)
            body = crypto.decrypt_message(body, query.get("msg_signature", ""), query.get("timestamp", ""), query.get("nonce", ""))
        except (InvalidSignatureException, InvalidAppIdException, SecretUnreadable, ValueError):
            return HttpResponseForbidden("signature")
    services.record_event(current, parse_message(body))
    return HttpResponse("success", content_type="text/plain")


urlpatterns = [
    path("accounts/<int:account_id>/", link, name="link"),
    path("accounts/<int:account_id>/unlink/", unlink, name="unlink"),
    path("accounts/<int:account_id>/codes/", make_codes, name="codes"),
    path("accounts/<int:account_id>/posters/", posters, name="posters"),
    path("articles/<int:article_id>/confirm/", article_confirm, name="article-confirm"),
    path("orgs/<int:org_id>/wecom/", wecom, name="wecom"),
    path("wecom/groups/<int:wecom_group_id>/match/", wecom_match, name="wecom-match"),
    path("callback/<int:link_id>/", callback, name="callback"),
]

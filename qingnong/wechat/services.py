"""Writes of the WeChat link (issue 14): link and unlink a county's 公众号, make the township
QR codes, record what the platform pushes, and the nightly sync. Each write is one
transaction; what comes from the platform reaches the ledger through the ledger's services
(source 公众号接口)."""
import re
import secrets
from datetime import datetime, timedelta, timezone as dt_timezone

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qingnong.audit.models import AuditAction
from qingnong.audit.services import audit_log
from qingnong.ledger.models import AccountType, Source, SubscriberSnapshot
from qingnong.ledger.services.accounts import subscriber_record
from qingnong.ledger.services.messages import message_create
from qingnong.lib.secrets import seal
from qingnong.org.models import OrgLevel
from qingnong.org.scoping import require_admin, require_edit

from . import gateway, selectors
from .models import (AccountLink, DailyUserFigures, Follower, PlatformEvent, PublishedArticle, SyncRun, TownshipCode,
                     WecomGroup, WecomGroupDay, WecomLink, WecomOwnerDay)

APP_ID = re.compile(r"wx[0-9a-f]{16}")
AES_KEY = re.compile(r"[A-Za-z0-9]{43}")
DAYS_PER_CALL = 7  # datacube: at most 7 days a call
READY_AT = 8  # yesterday's figures are ready after 08:00 (Beijing time)
READS_DAYS = 7  # an article's readers are given for 7 days after it is sent: re-read that window each run


@transaction.atomic
def link_account(*, user, account, app_id, secret, aes_key="", verified_service=False):
    """Link `account` with its AppID and AppSecret, checked against the platform first. The
    secret is sealed at rest, never shown again and never in the audit log."""
    require_admin(user, account.org)
    app_id, secret, aes_key = app_id.strip(), secret.strip(), aes_key.strip()
    errors = {}
    if not APP_ID.fullmatch(app_id):
        errors["app_id"] = "AppID 是 wx 开头的 18 位字母和数字，在公众平台“设置与开发→基本配置”中查看。"
    if not re.fullmatch(r"[0-9a-f]{32}", secret):
        errors["secret"] = "AppSecret 是 32 位字母和数字。"
    if aes_key and not AES_KEY.fullmatch(aes_key):
        errors["aes_key"] = "EncodingAESKey 是 43 位字母和数字。"
    if verified_service and account.account_type != AccountType.SERVICE:
        errors["verified_service"] = "只有服务号能认证并使用带参数二维码；这个公众号在台帐中登记为订阅号。"
    if AccountLink.objects.filter(app_id=app_id).exclude(account=account).exists():
        errors["app_id"] = "这个 AppID 已链接到另一个公众号。"
    if errors:
        raise ValidationError(errors)
    try:
        gateway.check_credentials(app_id, secret)
    except gateway.PlatformError as error:
        raise ValidationError({"secret" if error.code in (40001, 40125) else "app_id" if error.code == 40013 else None: error.message})
    link, created = AccountLink.objects.update_or_create(account=account, defaults={
        "app_id": app_id, "secret_sealed": seal(secret), "aes_key_sealed": seal(aes_key),
        "verified_service": verified_service, "linked_by": user})
    if created:
        link.callback_token = secrets.token_hex(16)
        link.save(update_fields=["callback_token"])
    audit_log(obj=account, action=AuditAction.UPDATE, user=user,
              note=f"链接公众平台接口（AppID {app_id}{'，已认证服务号' if verified_service else ''}）")
    return link


@transaction.atomic
def unlink_account(*, user, link):
    require_admin(user, link.account.org)
    account = link.account
    link.delete()
    audit_log(obj=account, action=AuditAction.UPDATE, user=user, note=f"解除公众平台接口链接（AppID {link.app_id}）")


def create_township_codes(*, user, link):
    """One permanent QR code per township of the account's county (its scene: the township's
    code), for those that have none yet. Each code is kept as soon as the platform gives it,
    so a failure part way keeps those made and the next try makes the rest."""
    require_admin(user, link.account.org)
    if not link.verified_service:
        raise ValidationError("带参数的二维码只有已认证的服务号才能生成（微信平台的规定）。订阅号或未认证的服务号无法按乡镇统计新关注的人。")
    have = set(link.codes.values_list("org_id", flat=True))
    made = 0
    for township in selectors.townships_of(link.account).exclude(pk__in=have):
        try:
            answer = gateway.township_code(link, township.code)
        except gateway.PlatformError as error:
            raise ValidationError(f"已生成 {made} 个乡镇的二维码，其余没有生成：{error.message}")
        TownshipCode.objects.create(link=link, org=township, scene=township.code, ticket=answer["ticket"], url=answer["url"])
        made += 1
    if made:
        audit_log(obj=link.account, action=AuditAction.UPDATE, user=user, note=f"生成乡镇关注二维码 {made} 个")
    return made


def record_event(link, message):
    """Record a subscribe, scan or unsubscribe pushed by the platform, once (a retried push
    carries the same sender and CreateTime). A new subscriber through a township's code is
    that township's; one already known keeps the township they first came through."""
    kind = getattr(message, "event", "")  # subscribe | subscribe_scan | scan | unsubscribe; a text message has none
    if kind not in ("subscribe", "subscribe_scan", "scan", "unsubscribe"):
        return False
    scene = getattr(message, "scene_id", "") or ""
    try:
        with transaction.atomic():
            PlatformEvent.objects.create(link=link, openid=message.source, created=message.create_time, event=kind, scene=scene)
            township = link.codes.filter(scene=scene).values_list("org_id", flat=True).first() if scene else None
            follower = Follower.objects.select_for_update().filter(link=link, openid=message.source).first()
            if kind == "unsubscribe":
                if follower:
                    follower.following = False
                    follower.save(update_fields=["following"])
            elif follower is None:
                # A scan by someone we have not seen subscribe followed before the codes: no township.
                Follower.objects.create(link=link, openid=message.source, township_id=None if kind == "scan" else township,
                                        since=message.create_time)
            elif kind in ("subscribe", "subscribe_scan"):
                follower.following = True
                follower.township_id = follower.township_id or township
                follower.save(update_fields=["following", "township"])
    except IntegrityError:  # the same event again
        return False
    return True


# ---------------------------------------------------------------- the nightly sync


def days_to_fetch(link, *, now=None, back=30):
    """The days not yet fetched whole, up to the last one the platform has ready (yesterday
    after 08:00, else the day before); a new link starts `back` days ago."""
    now = timezone.localtime(now or timezone.now())
    last = now.date() - timedelta(days=1 if now.hour >= READY_AT else 2)
    first = link.synced_through + timedelta(days=1) if link.synced_through else last - timedelta(days=back - 1)
    return first, last


def sync_account(link, *, now=None, back=30):
    """Fetch every missing day of user figures, 7 days a call; each day is written whole in
    one transaction with the ledger's subscriber snapshot (source 公众号接口), so a fault
    leaves no partial day and the next run starts where this one stopped. One SyncRun row
    records it; returns it."""
    run = SyncRun.objects.create(link=link)
    first, last = days_to_fetch(link, now=now, back=back)
    day = first
    try:
        if link.linked_by is None or not link.linked_by.is_active:  # the ledger's writes are made in their name
            raise gateway.PlatformError("链接这个公众号的账号已停用，请县级管理员重新链接后再同步。")
        while day <= last:
            window_end = min(day + timedelta(days=DAYS_PER_CALL - 1), last)
            figures = gateway.user_figures(link, day, window_end)
            for offset in range((window_end - day).days + 1):
                _keep_day(link, day + timedelta(days=offset), figures)
                run.days_fetched += 1
            day = window_end + timedelta(days=1)
        if link.verified_service:
            run.articles = sync_articles(link)
            _keep_reads(link, first=last - timedelta(days=READS_DAYS - 1), last=last)
    except gateway.PlatformError as error:
        run.error = error.message
    run.finished_at = timezone.now()
    run.save(update_fields=["days_fetched", "articles", "error", "finished_at"])
    return run


@transaction.atomic
def _keep_day(link, day, figures):
    found = figures.get(day)
    if found is None or found["cumulate"] is None:
        raise gateway.PlatformError(f"平台没有给出 {day:%Y-%m-%d} 的累计关注人数，这一天没有保存；下次同步会再取。")
    typed = SubscriberSnapshot.objects.filter(account=link.account, taken_on=day).exclude(source=Source.API) \
        .values_list("subscribers", flat=True).first()
    kept = {"new_users": found["new"], "cancelled_users": found["cancel"], "cumulated_users": found["cumulate"]}
    if typed is not None:  # a figure typed in the ledger for this day, kept beside the platform's
        kept["typed"] = typed
    DailyUserFigures.objects.update_or_create(link=link, day=day, defaults=kept)
    subscriber_record(user=link.linked_by, official_account=link.account, taken_on=day, subscribers=found["cumulate"],
                      source=Source.API)
    AccountLink.objects.filter(pk=link.pk).update(synced_through=day)
    link.synced_through = day


def sync_articles(link, *, max_pages=50):
    """The account's published articles not yet known, newest first, page by page until a
    known one; kept all together in one transaction (a fault keeps none and the next run
    tries again). Returns how many are new."""
    known = set(link.articles.values_list("article_id", flat=True))
    found, offset = [], 0
    for _ in range(max_pages):
        items, total = gateway.published(link, offset)
        fresh = [i for i in items if i["article_id"] not in known]
        for item in fresh:
            day = timezone.localtime(datetime.fromtimestamp(int(item["update_time"]), tz=dt_timezone.utc)).date()
            for index, news in enumerate(item.get("content", {}).get("news_item", [])):
                found.append(PublishedArticle(link=link, article_id=item["article_id"], index=index,
                                              title=news.get("title", "")[:200] or "（无标题）", url=news.get("url", "")[:500],
                                              published_on=day))
        offset += len(items)
        if len(fresh) < len(items) or not items or offset >= total:
            break
    with transaction.atomic():
        PublishedArticle.objects.bulk_create(found, ignore_conflicts=True)
    return len(found)


def _keep_reads(link, *, first, last):
    """Readers of the articles sent each day of first..last, matched to the published list by
    title and day (the statistics name no article id); each day's in one transaction."""
    day = first
    while day <= last:
        reads = gateway.article_reads(link, day)
        with transaction.atomic():
            for title, (readers, as_of) in reads.items():
                link.articles.filter(title=title[:200], published_on=day).update(reads=readers, reads_as_of=as_of)
        day += timedelta(days=1)


@transaction.atomic
def confirm_article(*, user, article, category, theme=""):
    """A person gives the article its 内容类别 and 栏目: it becomes one message record of the
    account on its publish day (source 公众号接口), through the ledger's service."""
    article = PublishedArticle.objects.select_for_update().select_related("link__account").get(pk=article.pk)
    if article.message_id:
        raise ValidationError("这篇文章已经确认过了。")
    message = message_create(user=user, official_account=article.link.account, period_start=article.published_on,
                             count=1, category=category, theme=theme, title=article.title,
                             link=article.url if len(article.url) <= 200 else "",  # the record's field holds 200
                             source=Source.API, confirm_overlap=True)
    article.message = message
    article.save(update_fields=["message"])
    return message


# ---------------------------------------------------------------- WeCom customer groups

CORP_ID = re.compile(r"w[wx][0-9a-f]{16}")
WECOM_DAYS = 30  # statistic_group_by_day: at most 30 days a call (and the last 180 days)


@transaction.atomic
def link_wecom(*, user, org, corp_id, secret):
    """Link a county's WeCom app (corp id + the 客户联系 secret, checked first, sealed)."""
    require_admin(user, org)
    corp_id, secret = corp_id.strip(), secret.strip()
    errors = {}
    if org.level != OrgLevel.COUNTY:
        errors[None] = "企业微信客户群按县区链接：请在县区的页面操作。"
    if not CORP_ID.fullmatch(corp_id):
        errors["corp_id"] = "企业ID 是 ww 开头的 18 位字母和数字，在企业微信管理后台“我的企业”中查看。"
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", secret):
        errors["secret"] = "Secret 是 43 位左右的字母和数字，在“客户与上下游→客户联系→API”中查看。"
    if WecomLink.objects.filter(corp_id=corp_id).exclude(org=org).exists():
        errors["corp_id"] = "这个企业已链接到另一个县区。"
    if errors:
        raise ValidationError(errors)
    try:
        gateway.check_wecom(corp_id, secret)
    except gateway.PlatformError as error:
        raise ValidationError({"secret" if error.code == 40001 else "corp_id" if error.code == 40013 else None: error.message})
    link, _ = WecomLink.objects.update_or_create(org=org, defaults={"corp_id": corp_id, "secret_sealed": seal(secret), "linked_by": user})
    audit_log(obj=org, action=AuditAction.UPDATE, user=user, note=f"链接企业微信客户群接口（企业ID {corp_id}）")
    return link


def _same_name(text):
    return re.sub(r"[\s（）()·\-_]", "", text or "")


def sync_wecom(link, *, now=None):
    """Every 客户群 with its members today, and each owner's daily statistics for the days
    not yet kept (≤ 30 back). Everything is fetched first and kept in one transaction, so a
    fault keeps nothing of this run (the message stays on the link) and the next run
    starts from the same day. Returns "" or the message."""
    now = timezone.localtime(now or timezone.now())
    last = now.date() - timedelta(days=1)
    first = link.synced_through + timedelta(days=1) if link.synced_through else last - timedelta(days=WECOM_DAYS - 1)
    first = max(first, last - timedelta(days=WECOM_DAYS - 1))
    run = SyncRun.objects.create(wecom=link)
    try:
        groups = gateway.wecom_groups(link)
        owners = sorted({g["owner"] for g in groups if g["owner"]})
        stats = gateway.wecom_owner_days(link, owners, first, last) if first <= last else {}
    except gateway.PlatformError as error:
        WecomLink.objects.filter(pk=link.pk).update(last_error=error.message)
        link.last_error = error.message
        SyncRun.objects.filter(pk=run.pk).update(error=error.message, finished_at=timezone.now())
        return error.message
    ledger = {_same_name(name): pk for pk, name in selectors.ledger_groups(link.org).values_list("pk", "name")}
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    # A constant number of statements however many groups and days (bulk upserts).
    with transaction.atomic():
        WecomGroup.objects.bulk_create([
            WecomGroup(link=link, chat_id=found["chat_id"], name=found["name"], owner=found["owner"],
                       members=len(found["members"]), suggested_id=ledger.get(_same_name(found["name"])))
            for found in groups], update_conflicts=True, unique_fields=["link", "chat_id"],
            update_fields=["name", "owner", "members", "suggested"])
        pk_of = dict(WecomGroup.objects.filter(link=link).values_list("chat_id", "pk"))
        WecomGroupDay.objects.bulk_create([
            WecomGroupDay(wecom_group_id=pk_of[found["chat_id"]], day=now.date(), members=len(found["members"]),
                          joined=sum(1 for _, t in found["members"] if t >= day_start))
            for found in groups], update_conflicts=True, unique_fields=["wecom_group", "day"], update_fields=["members", "joined"])
        WecomOwnerDay.objects.bulk_create([
            WecomOwnerDay(link=link, owner=owner, day=day, chats=int(data.get("chat_total", 0)),
                          chats_with_messages=int(data.get("chat_has_msg", 0)), members=int(data.get("member_total", 0)),
                          members_spoke=int(data.get("member_has_msg", 0)), messages=int(data.get("msg_total", 0)),
                          new_members=int(data.get("new_member_cnt", 0)))
            for (owner, day), data in stats.items()], update_conflicts=True, unique_fields=["link", "owner", "day"],
            update_fields=["chats", "chats_with_messages", "members", "members_spoke", "messages", "new_members"])
        link.synced_through, link.last_error = max(last, link.synced_through or last), ""
        link.save(update_fields=["synced_through", "last_error"])
        SyncRun.objects.filter(pk=run.pk).update(days_fetched=len({day for _, day in stats}), finished_at=timezone.now())
    return ""


@transaction.atomic
def match_wecom_group(*, user, wecom_group, group):
    """A person says which ledger group a 客户群 is (None: none of them)."""
    require_edit(user, wecom_group.link.org)
    if group is not None and not group.org.path.startswith(wecom_group.link.org.path):
        raise ValidationError({"group": "只能对应本县区的微信群。"})
    wecom_group.group = group
    wecom_group.save(update_fields=["group"])
    audit_log(obj=wecom_group.link.org, action=AuditAction.UPDATE, user=user,
              note=f"企业微信客户群“{wecom_group.name}”对应台帐中的群：{group.name if group else '（无）'}")

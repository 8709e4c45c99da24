"""What qingnong keeps of the WeChat platform (issue 14): a county's 公众号 linked by its
AppID and sealed AppSecret, the access token all workers share, one permanent QR code per
township, the subscribe events the platform pushes (who came through which township), the
daily user figures fetched each night, and a row per sync run. The platform keeps its
statistics for a limited time; these rows are our own copy."""
from django.conf import settings
from django.db import models


class AccountLink(models.Model):
    account = models.OneToOneField("ledger.OfficialAccount", verbose_name="公众号", on_delete=models.CASCADE,
                                   related_name="platform_link")
    app_id = models.CharField("AppID", max_length=32, unique=True)
    secret_sealed = models.TextField("AppSecret（加密保存）")
    # The callback's 令牌 (Token) and 消息加解密密钥 (EncodingAESKey, 安全模式), as set on the platform.
    callback_token = models.CharField("令牌（Token）", max_length=32)
    aes_key_sealed = models.TextField("EncodingAESKey（加密保存）", blank=True)
    verified_service = models.BooleanField("已认证的服务号", default=False)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="链接人", null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField("链接时间", auto_now_add=True)
    synced_through = models.DateField("已同步至", null=True, blank=True)  # the last day fetched whole

    scope_path = "account__org__path"

    class Meta:
        verbose_name = "公众号接口链接"
        verbose_name_plural = "公众号接口链接"

    def __str__(self):
        return f"{self.account} ({self.app_id})"


class PlatformToken(models.Model):
    """An access token, shared by every worker (the platform caps fresh tokens per day)."""

    key = models.CharField(max_length=100, unique=True)
    value = models.TextField()
    expires_at = models.DateTimeField(null=True)


class TownshipCode(models.Model):
    """A permanent parametric QR code (QR_LIMIT_STR_SCENE) whose scene is a township's code."""

    link = models.ForeignKey(AccountLink, on_delete=models.CASCADE, related_name="codes")
    org = models.ForeignKey("org.Org", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+")
    scene = models.CharField("场景值", max_length=64)
    ticket = models.CharField(max_length=200)
    url = models.CharField("二维码内容", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "org"], name="one_code_per_township"),
                       models.UniqueConstraint(fields=["link", "scene"], name="one_township_per_scene")]


class Follower(models.Model):
    """A subscriber as our callback has seen them: the township whose code they first came
    through (none: searched for the account, or came before the codes), and whether they
    still follow."""

    link = models.ForeignKey(AccountLink, on_delete=models.CASCADE, related_name="followers")
    openid = models.CharField(max_length=64)
    township = models.ForeignKey("org.Org", null=True, on_delete=models.SET_NULL, related_name="+")
    following = models.BooleanField(default=True)
    since = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "openid"], name="one_follower_per_openid")]
        indexes = [models.Index(fields=["link", "following", "township"], name="follower_counts")]


class PlatformEvent(models.Model):
    """Each event pushed to the callback, once: the platform retries an event it got no
    answer for, with the same sender and CreateTime, so those make it the same event."""

    link = models.ForeignKey(AccountLink, on_delete=models.CASCADE, related_name="events")
    openid = models.CharField(max_length=64)
    created = models.DateTimeField()  # CreateTime
    event = models.CharField(max_length=30)
    scene = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "openid", "created", "event"], name="event_once")]


class DailyUserFigures(models.Model):
    """datacube/getusersummary + getusercumulate for one day, whole (a day is written with
    both or not at all)."""

    link = models.ForeignKey(AccountLink, on_delete=models.CASCADE, related_name="days")
    day = models.DateField("日期")
    new_users = models.PositiveIntegerField("新关注")
    cancelled_users = models.PositiveIntegerField("取消关注")
    cumulated_users = models.PositiveIntegerField("累计关注")
    # The figure typed in the ledger for that day, which the platform's replaced (kept: a typed
    # figure far from the platform's is shown, not lost).
    typed = models.PositiveIntegerField("台帐填报", null=True, blank=True)
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["link", "day"], name="one_figure_row_per_day")]


class SyncRun(models.Model):
    """One run of wechat-sync for a 公众号 (link) or a county's WeCom (wecom)."""

    link = models.ForeignKey(AccountLink, null=True, on_delete=models.CASCADE, related_name="runs")
    wecom = models.ForeignKey("WecomLink", null=True, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField("开始", auto_now_add=True)
    finished_at = models.DateTimeField("结束", null=True)
    days_fetched = models.PositiveIntegerField("取得天数", default=0)
    articles = models.PositiveIntegerField("新文章", default=0)
    error = models.TextField("错误", blank=True)

    class Meta:
        ordering = ["-started_at"]


class PublishedArticle(models.Model):
    """An article the account published (freepublish/batchget), waiting for a person to give
    its 内容类别 and 栏目; confirmed, it becomes a message record of the account (source 公众号接口)."""

    link = models.ForeignKey(AccountLink, on_delete=models.CASCADE, related_name="articles")
    article_id = models.CharField(max_length=100)
    index = models.PositiveSmallIntegerField(default=0)  # its place in a publish of several
    title = models.CharField("标题", max_length=200)
    url = models.URLField("链接", max_length=500, blank=True)
    published_on = models.DateField("发布日期")
    message = models.ForeignKey("ledger.MessageRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reads = models.PositiveIntegerField("阅读人数", null=True, blank=True)  # datacube/getarticletotal, the latest day given
    reads_as_of = models.DateField("阅读人数截至", null=True, blank=True)

    scope_path = "link__account__org__path"

    class Meta:
        ordering = ["-published_on", "article_id", "index"]
        constraints = [models.UniqueConstraint(fields=["link", "article_id", "index"], name="article_once")]


# ---------------------------------------------------------------- WeCom customer groups (企业微信客户群)


class WecomLink(models.Model):
    """A county that runs its groups as WeCom 客户群 links its self-built app: the corp id and
    the 客户联系 secret (sealed). Ordinary WeChat groups have no API; these do."""

    org = models.OneToOneField("org.Org", verbose_name="县区", on_delete=models.CASCADE, related_name="wecom_link")
    corp_id = models.CharField("企业ID（CorpID）", max_length=32, unique=True)
    secret_sealed = models.TextField("客户联系 Secret（加密保存）")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="链接人", null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField("链接时间", auto_now_add=True)
    synced_through = models.DateField("统计已同步至", null=True, blank=True)
    last_error = models.TextField("上次同步的错误", blank=True)

    scope_path = "org__path"


class WecomGroup(models.Model):
    """A 客户群 as groupchat/get gives it, and the ledger group a person matched it to."""

    link = models.ForeignKey(WecomLink, on_delete=models.CASCADE, related_name="groups")
    chat_id = models.CharField(max_length=64)
    name = models.CharField("群名", max_length=200)
    owner = models.CharField("群主", max_length=64)
    members = models.PositiveIntegerField("成员数", default=0)
    suggested = models.ForeignKey("ledger.WechatGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    group = models.ForeignKey("ledger.WechatGroup", verbose_name="台帐中的群", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    scope_path = "link__org__path"

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["link", "chat_id"], name="wecom_group_once")]


class WecomGroupDay(models.Model):
    """A group's members on the day of a sync (and how many joined that day)."""

    wecom_group = models.ForeignKey(WecomGroup, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    members = models.PositiveIntegerField()
    joined = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wecom_group", "day"], name="wecom_group_day_once")]


class WecomOwnerDay(models.Model):
    """groupchat/statistic_group_by_day for one owner and day: the platform counts by owner,
    not by group, so a group's own figures are these when its owner has one group."""

    link = models.ForeignKey(WecomLink, on_delete=models.CASCADE, related_name="owner_days")
    owner = models.CharField(max_length=64)
    day = models.DateField()
    chats = models.PositiveIntegerField()
    chats_with_messages = models.PositiveIntegerField()
    members = models.PositiveIntegerField()
    members_spoke = models.PositiveIntegerField()
    messages = models.PositiveIntegerField()
    new_members = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "owner", "day"], name="wecom_owner_day_once")]
        indexes = [models.Index(fields=["link", "owner", "day"], name="wecom_owner_days")]

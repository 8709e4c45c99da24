"""Accounts: each user belongs to one org node and has one role in its subtree."""
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"
    REPORTER = "reporter", "填报员"
    VIEWER = "viewer", "查看员"


ROLE_RANK = {Role.VIEWER: 0, Role.REPORTER: 1, Role.ADMIN: 2}

mobile_validator = RegexValidator(r"^1\d{10}$", "手机号应为 11 位数字，以 1 开头。")


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    mobile = models.CharField(
        "手机号", max_length=11, unique=True, null=True, blank=True, validators=[mobile_validator],
        help_text="可用手机号代替用户名登录",
    )
    org = models.ForeignKey(
        "org.Org", verbose_name="所属组织", null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.VIEWER)
    version = models.PositiveIntegerField("版本", default=1)
    # Set with a password an administrator made (a new account, a reset): the holder picks
    # their own before anything else (accounts.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField("首次登录须改密码", default=False)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login", "version", "must_change_password"])
    scope_path = "org__path"

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        ordering = ["username"]

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def owner_org(self):
        return self.org

    def has_role(self, role):
        return self.is_superuser or ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def can_edit(self):
        return self.is_active and self.has_role(Role.REPORTER)

    @property
    def can_manage_users(self):
        return self.is_active and self.has_role(Role.ADMIN)

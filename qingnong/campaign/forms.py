"""Campaign forms: the city's campaign settings, copying it to a new year, the county's
附件1 plan, and the reason a reviewer gives."""
from dataclasses import dataclass

from django import forms

from .models import AccountKindChoice, Campaign, DeadlineKind, PhaseKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TARGET_FIELDS = ["youth_groups_per_township", "work_groups_per_county", "youths_per_cadre",
                 "youth_groups_goal_percent", "stale_after_days"]


def number_field(label, *, max_value=100000, help_text=""):
    return forms.IntegerField(
        label=label, min_value=0, max_value=max_value, help_text=help_text,
        error_messages={"required": "请填写数字（没有请填 0）。", "invalid": "请输入整数。", "min_value": "不能为负数。",
                        "max_value": f"不能超过 {max_value}。"},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": max_value}),
    )


class CampaignForm(forms.Form):
    """Targets, phases and deadlines of a campaign; one date field per phase end and deadline."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TARGET_FIELDS:
            field = Campaign._meta.get_field(name)
            self.fields[name] = number_field(str(field.verbose_name), max_value=100 if name == "youth_groups_goal_percent" else 1000)
        for kind, label in PhaseKind.choices:
            self.fields[f"phase_{kind}_start"] = forms.DateField(label=f"{label}阶段开始", widget=DATE)
            self.fields[f"phase_{kind}_end"] = forms.DateField(label=f"{label}阶段结束", widget=DATE)
        for kind, label in DeadlineKind.choices:
            self.fields[f"deadline_{kind}"] = forms.DateField(label=f"{label}截止", widget=DATE)

    @staticmethod
    def initial_for(campaign):
        initial = {name: getattr(campaign, name) for name in TARGET_FIELDS}
        initial["version"] = campaign.version
        for phase in campaign.phases.all():
            initial[f"phase_{phase.kind}_start"], initial[f"phase_{phase.kind}_end"] = phase.starts_on, phase.ends_on
        for deadline in campaign.deadlines.all():
            initial[f"deadline_{deadline.kind}"] = deadline.due_on
        return initial

    def clean(self):
        data = super().clean()
        for kind, label in PhaseKind.choices:
            start, end = data.get(f"phase_{kind}_start"), data.get(f"phase_{kind}_end")
            if start and end and end < start:
                self.add_error(f"phase_{kind}_end", f"{label}阶段的结束日期不能早于开始日期。")
        return data

    def service_args(self):
        data = self.cleaned_data
        return {
            "targets": {name: data[name] for name in TARGET_FIELDS},
            "phases": {kind: (data[f"phase_{kind}_start"], data[f"phase_{kind}_end"]) for kind in PhaseKind.values},
            "deadlines": {kind: data[f"deadline_{kind}"] for kind in DeadlineKind.values},
        }


class CopyForm(forms.Form):
    year = forms.IntegerField(label="复制到年度", min_value=2014, max_value=2100,
                              error_messages={"required": "请填写年度。", "invalid": "请输入四位年份。",
                                              "min_value": "年度不能早于 2014。", "max_value": "年度不能晚于 2100。"},
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请写明原因。"})


# 附件1, in the order of the paper form (../shared/spec/forms.md), then its header line's
# 填表人 and 联系方式. The account question (是否开通, which kind) is one choice.
ACCOUNT_CHOICES = [("", "否（尚未开通）"), (AccountKindChoice.SUBSCRIPTION, "是，订阅号"), (AccountKindChoice.SERVICE, "是，服务号")]
NUMBER_FIELDS = ["planned_county_youth_groups", "planned_county_work_groups", "township_count",
                 "planned_township_youth_groups", "planned_township_work_groups", "planned_direct_groups",
                 "planned_village_groups"]


class PlanForm(forms.Form):
    county_name = forms.CharField(label="县区名称", disabled=True, required=False)
    account_type = forms.ChoiceField(label="是否开通订阅号/服务号", choices=ACCOUNT_CHOICES, required=False,
                                     widget=forms.RadioSelect)
    account_name = forms.CharField(label="拟开通订阅号/服务号名称", max_length=100, required=False,
                                   help_text="按方案，团县委公众号统一命名为“青农XX”")
    wechat_lead = forms.CharField(label="区县微信负责人", max_length=50, required=False)
    admins_contact = forms.CharField(label="管理员姓名及联系方式", required=False, max_length=1000,
                                     widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一人：姓名 手机号")
    planned_county_youth_groups = number_field("拟建区县直属团青微信群数量")
    planned_county_work_groups = number_field("拟建区县直属青农微信群数量")
    township_count = number_field("现有乡镇数量")
    planned_township_youth_groups = number_field("拟建乡镇级团青微信群数量")
    planned_township_work_groups = number_field("拟建乡镇级青农微信群数量")
    planned_direct_groups = number_field("拟建直属团组织微信群数量")
    planned_village_groups = number_field("拟建村级团组织微信群数量")
    filled_by = forms.CharField(label="填表人", max_length=50, required=False)
    contact = forms.CharField(label="联系方式", max_length=50, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    CONFLICT_FIELDS = ["account_type", "account_name", "wechat_lead", "admins_contact", *NUMBER_FIELDS, "filled_by", "contact"]

    @staticmethod
    def initial_for(plan):
        initial = {name: getattr(plan, name) for name in PlanForm.CONFLICT_FIELDS}
        initial.update(county_name=plan.county_name, version=plan.version,
                       account_type=plan.account_type if plan.account_opened else "")
        return initial

    def service_fields(self):
        data = {name: self.cleaned_data[name] for name in self.CONFLICT_FIELDS}
        data["county_name"] = self.cleaned_data["county_name"]
        data["account_opened"] = bool(data["account_type"])
        return data


@dataclass
class PlanRow:
    """One line of 附件1 on screen: the field, its value as text, the ledger's figure and
    a warning where the two (or the plan's targets) disagree."""

    field: object  # BoundField
    shown: str
    ledger: str = ""
    warning: str = ""


def plan_rows(form, *, figures, campaign, county):
    """The plan's lines with the ledger beside each (`figures` from selectors.plan_ledger_figures)."""
    rows = []
    f = figures or {}
    townships = f.get("n_townships", 0)
    for name in ["county_name", "account_type", "account_name", "wechat_lead", "admins_contact", *NUMBER_FIELDS,
                 "filled_by", "contact"]:
        bound = form[name]
        value = bound.value()
        row = PlanRow(bound, _shown(bound, value))
        number = _int(value)
        if name == "county_name":
            row.ledger = f"组织树：{county.name}"
        elif name == "account_type":
            if not f.get("account_name"):
                row.ledger = "台账：尚未登记公众号"
            elif f.get("account_opened"):
                row.ledger = f"台账：已开通{AccountKindChoice(f['account_type']).label if f.get('account_type') else ''}"
            else:
                row.ledger = "台账：尚未开通（计划开通）"
            if value and not f.get("account_opened"):
                row.warning = "台账中公众号尚未登记为已开通，请核对或先更新台账。"
            elif not value and f.get("account_opened"):
                row.warning = "台账中公众号已开通，这里却填“否”。"
        elif name == "account_name":
            row.ledger = f"台账：{f['account_name']}" if f.get("account_name") else ""
            if value and not str(value).startswith("青农"):
                row.warning = "按方案，团县委公众号名称统一为“青农XX”。"
        elif name == "admins_contact":
            row.ledger = f"台账登记公众号管理员 {f.get('account_admins', 0)} 名" if f.get("account_name") else ""
        elif name == "township_count":
            row.ledger = f"组织树：{townships} 个乡镇"
            if number is not None and number != townships:
                row.warning = f"与组织树不一致：组织树中有 {townships} 个乡镇。"
        elif name in LEDGER_BUILT:
            key, what = LEDGER_BUILT[name]
            row.ledger = f"台账已建{what} {f.get(key, 0)} 个"
            if name == "planned_county_work_groups" and number is not None and number < campaign.work_groups_per_county:
                row.warning = f"方案要求每个团县委至少建青农微信群 {campaign.work_groups_per_county} 个。"
            minimum = campaign.youth_groups_per_township * townships
            if name == "planned_township_youth_groups" and number is not None and number < minimum:
                row.warning = f"方案要求每个乡镇不少于 {campaign.youth_groups_per_township} 个，{townships} 个乡镇共应不少于 {minimum} 个。"
        rows.append(row)
    return rows


LEDGER_BUILT = {
    "planned_county_youth_groups": ("county_youth", "团青群"),
    "planned_county_work_groups": ("county_work", "青农群"),
    "planned_township_youth_groups": ("township_youth", "团青群"),
    "planned_township_work_groups": ("township_work", "青农群"),
    "planned_direct_groups": ("direct_groups", "群"),
    "planned_village_groups": ("village_groups", "群"),
}


def _shown(bound, value):
    if bound.name == "account_type":
        return dict(ACCOUNT_CHOICES).get(value or "", value)
    return "" if value is None else str(value)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

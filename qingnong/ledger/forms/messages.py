from django import forms

from qingnong.lib.forms import FilterForm

from qingnong.lib.dates import today

from ..models import AccountTheme, MessageCategory
from .groups import DATE

MAX_COUNT = 100000


def target_key(record):
    """The picker value of a record's group ("g12") or account ("a3")."""
    return f"g{record.group_id}" if record.group_id else f"a{record.account_id}"


def target_choices(groups, accounts, *, blank):
    choices = [("", blank)]
    if groups:
        choices.append(("微信群", [(f"g{g.pk}", f"{g.name}（{g.org.name}）") for g in groups]))
    if accounts:
        choices.append(("公众号", [(f"a{a.pk}", f"{a.name}（{a.org.name}）") for a in accounts]))
    return choices


def count_input(label, *, min_value):
    return forms.IntegerField(
        label=label, min_value=min_value, max_value=MAX_COUNT,
        error_messages={"invalid": "请输入整数。", "required": "请填写条数。",
                        "min_value": "不能为负数。" if min_value == 0 else f"至少为 {min_value}。",
                        "max_value": f"不能超过 {MAX_COUNT}。"},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": min_value}),
    )


class MessageForm(forms.Form):
    target = forms.ChoiceField(label="微信群或公众号", error_messages={"required": "请选择微信群或公众号。",
                                                               "invalid_choice": "请选择本组织及下级的微信群或公众号。"})
    period_start = forms.DateField(label="日期", widget=DATE, error_messages={"required": "请填写日期。", "invalid": "请输入有效的日期。"})
    period_end = forms.DateField(label="结束日期", required=False, widget=DATE,
                                 help_text="按周或按月汇总填写时，填结束日期和这段时间的总条数；单日可不填。",
                                 error_messages={"invalid": "请输入有效的日期。"})
    count = count_input("条数", min_value=1)
    category = forms.ChoiceField(label="内容类别", choices=MessageCategory.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "请选择内容类别。"})
    theme = forms.ChoiceField(label="公众号栏目", required=False, choices=[("", "—"), *AccountTheme.choices],
                              help_text="公众号发送的填写；微信群不用填。")
    title = forms.CharField(label="标题", required=False, max_length=200)
    link = forms.URLField(label="链接", required=False, assume_scheme="https", max_length=200,
                          error_messages={"invalid": "请输入有效的网址，如 https://mp.weixin.qq.com/…"})
    # Shown only once the service found overlapping records (DuplicateWarning), or when ticked.
    confirm_overlap = forms.BooleanField(label="确认这是另外发送的信息，不是重复填报", required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, groups, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices(groups, accounts, blank="请选择…")
        self.targets = {f"g{g.pk}": ("group", g) for g in groups} | {f"a{a.pk}": ("official_account", a) for a in accounts}
        self.overlaps = []
        if self.is_bound and self.data.get("confirm_overlap") in ("on", "1", "true", "True"):
            self.ask_confirmation([])

    def ask_confirmation(self, overlaps):
        """The records the service found overlapping; the confirmation becomes a checkbox."""
        self.overlaps = overlaps
        self.fields["confirm_overlap"].widget = forms.CheckboxInput()

    def clean(self):
        """The date rules are the service's; checked here too so they show with the other errors."""
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and start > today():
            self.add_error("period_start", "开始日期不能晚于今天。")
        elif start and end and end < start:
            self.add_error("period_end", "结束日期不能早于开始日期。")
        kind, _ = self.targets.get(data.get("target"), (None, None))
        if kind == "official_account" and not data.get("theme"):
            self.add_error("theme", "公众号发送的请选择栏目。")
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        kind, target = self.targets[data.pop("target")]
        return {"group": None, "official_account": None, kind: target, **data}


class MessageFilterForm(FilterForm):
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *MessageCategory.choices])
    target = forms.ChoiceField(label="群/公众号", required=False)
    start = forms.DateField(label="从", required=False, widget=DATE)
    end = forms.DateField(label="到", required=False, widget=DATE)

    def __init__(self, *args, groups, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices(groups, accounts, blank="全部群和公众号")

    def filters(self):
        """Keyword arguments for selectors.message_list; a bad value is simply not applied."""
        self.is_valid()
        data = self.cleaned_data
        target = data.get("target") or ""
        return {
            "category": data.get("category") or "",
            "group_id": int(target[1:]) if target.startswith("g") else None,
            "account_id": int(target[1:]) if target.startswith("a") else None,
            "start": data.get("start"), "end": data.get("end"),
        }

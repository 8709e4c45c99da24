from django import forms

from qingnong.lib.forms import FilterForm

from qingnong.lib.dates import today

from ..models import AccountStatus, AccountType, AdminRole, Cadre
from ..services.cadres import wechat_id_validator
from .groups import DATE, count_field

MAX_SUBSCRIBERS = 10_000_000
MAX_SHOWN = 200  # cadres listed in the admin picker


class AccountForm(forms.Form):
    name = forms.CharField(label="公众号名称", max_length=100, help_text="县级公众号统一命名为“青农XX”，如“青农榆阳”")
    account_type = forms.ChoiceField(label="类型", choices=AccountType.choices, widget=forms.RadioSelect,
                                     initial=AccountType.SUBSCRIPTION)
    wechat_id = forms.CharField(label="微信号", max_length=50, required=False, validators=[wechat_id_validator],
                                widget=forms.TextInput(attrs={"autocapitalize": "off", "autocomplete": "off"}))
    status = forms.ChoiceField(label="状态", choices=AccountStatus.choices, widget=forms.RadioSelect,
                               initial=AccountStatus.PLANNED)
    opened_on = forms.DateField(label="开通日期", required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_opened_on(self):
        value = self.cleaned_data["opened_on"]
        if value and value > today():
            raise forms.ValidationError("开通日期不能晚于今天。")
        return value

    def clean(self):
        data = super().clean()
        if data.get("status") == AccountStatus.OPENED and not data.get("opened_on") and "opened_on" not in self.errors:
            self.add_error("opened_on", "已开通的公众号请填写开通日期。")
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class AdminForm(forms.Form):
    cadre = forms.ModelChoiceField(label="团干部", queryset=Cadre.objects.none(), empty_label="（请选择）",
                                   error_messages={"required": "请选择一名团干部。",
                                                   "invalid_choice": "请选择列表中的团干部。"})
    role = forms.ChoiceField(label="专兼职", choices=AdminRole.choices, widget=forms.RadioSelect,
                             initial=AdminRole.PART_TIME)

    def __init__(self, *args, candidates, shown=MAX_SHOWN, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cadre"]
        field.queryset = candidates  # validation: any candidate
        # Display: the first `shown` (the page's search box narrows a long list).
        field.choices = [("", field.empty_label), *((c.pk, _label(c)) for c in candidates[:shown])]


def _label(cadre):
    return f"{cadre.name}（{cadre.org.name}{' · ' + cadre.position if cadre.position else ''}）"


class SubscriberForm(forms.Form):
    taken_on = forms.DateField(label="统计日期", widget=DATE)
    subscribers = count_field("关注人数", required=True, max_value=MAX_SUBSCRIBERS)

    def clean_taken_on(self):
        value = self.cleaned_data["taken_on"]
        if value > today():
            raise forms.ValidationError("统计日期不能晚于今天。")
        return value


class AccountFilterForm(FilterForm):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *AccountStatus.choices])

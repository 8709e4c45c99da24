from django import forms

from qingnong.lib.forms import FilterForm
from django.db.models import Q

from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import scoped

from ..services.cadres import mobile_validator, qq_validator, wechat_id_validator
from .groups import count_field

GRASSROOTS_LEVELS = {OrgLevel.TOWNSHIP, OrgLevel.VILLAGE, OrgLevel.DIRECT}


class CadreForm(forms.Form):
    org = forms.ModelChoiceField(label="所属组织", queryset=Org.objects.none(), empty_label=None)
    name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=50, required=False)
    mobile = forms.CharField(
        label="手机号", max_length=11, required=False, validators=[mobile_validator],
        error_messages={"max_length": "手机号应为 11 位数字，以 1 开头。"},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "off"}),
    )
    wechat_id = forms.CharField(label="微信号", max_length=50, required=False, validators=[wechat_id_validator],
                                widget=forms.TextInput(attrs={"autocapitalize": "off", "autocomplete": "off"}))
    qq = forms.CharField(label="QQ 号", max_length=15, required=False, validators=[qq_validator],
                         error_messages={"max_length": "QQ 号应为 5–12 位数字，不以 0 开头。"},
                         widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    is_grassroots = forms.BooleanField(label="基层团干部（乡镇、村）", required=False,
                                       help_text="基层团干部每人通过微信联系农村青年不少于 20 名")
    youths_reached = count_field("微信联系农村青年数", max_value=5000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, org, cadre=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cadre is None:
            # A new cadre belongs to this org or one directly below it (a short list on a phone).
            self.fields["org"].queryset = scoped(Org.objects.all(), user).filter(
                Q(pk=org.pk) | Q(parent=org)).order_by("depth", "path")
            self.fields["org"].label_from_instance = lambda o: o.name if o.pk == org.pk else f"　{o.name}"
            self.fields["org"].initial = org.pk
            self.fields["is_grassroots"].initial = org.level in GRASSROOTS_LEVELS
        else:
            del self.fields["org"]  # moving a cadre is not part of this form

    def clean_youths_reached(self):
        return self.cleaned_data.get("youths_reached") or 0

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("org", None)
        return data


class CadreFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False, max_length=50)
    grassroots = forms.ChoiceField(label="类别", required=False,
                                   choices=[("", "全部团干部"), ("1", "基层团干部"), ("0", "非基层团干部")])

    def filters(self):
        """Keyword arguments for selectors.cadre_list; a bad value is simply not applied."""
        self.is_valid()
        return {"grassroots": self.cleaned_data.get("grassroots"), "query": self.cleaned_data.get("q")}

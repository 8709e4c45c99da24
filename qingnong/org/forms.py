from django import forms

from qingnong.lib.forms import FilterForm

from .models import Org, OrgLevel


class OrgChildForm(forms.Form):
    level = forms.ChoiceField(label="类型")
    name = forms.CharField(label="名称", max_length=100)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.value, level.label) for level in parent.addable_child_levels()]
        self.fields["name"].widget.attrs["placeholder"] = "如：鱼河村团支部"


class OrgEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    note = forms.CharField(label="备注", max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, org: Org, **kwargs):
        super().__init__(*args, **kwargs)
        if org.is_division:
            self.fields["name"].disabled = True
            self.fields["name"].help_text = "行政区划名称来自民政部数据"


class OrgSearchForm(FilterForm):
    q = forms.CharField(label="搜索", required=False, max_length=50)
    level = forms.ChoiceField(label="层级", required=False, choices=[("", "全部层级"), *OrgLevel.choices])

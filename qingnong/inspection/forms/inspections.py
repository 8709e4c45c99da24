"""Forms of the inspection pages: a round with its inspectors, a spot check, photos, a 整改 answer."""
from django import forms

from qingnong.ledger.forms.activities import PhotosField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)

    def __init__(self, *args, counties, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.counties = list(counties)
        for county in self.counties:
            self.fields[f"inspector_{county.pk}"] = forms.ModelChoiceField(
                label=f"{county.name}检查人", queryset=inspectors, required=False, empty_label="（暂不指派）")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        return data

    def inspectors(self):
        return {c.pk: self.cleaned_data.get(f"inspector_{c.pk}") for c in self.counties}


class AssignForm(forms.Form):
    inspector = forms.ModelChoiceField(label="检查人", queryset=None, required=False, empty_label="（暂不指派）")
    inspected_on = forms.DateField(label="检查日期", widget=DATE, required=False)

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors


class SpotCheckForm(forms.Form):
    group = forms.ModelChoiceField(label="抽查的微信群", queryset=None, required=False, empty_label="（不针对某个群）")
    question = forms.CharField(label="抽查内容", max_length=200, initial="该群存在且活跃")
    passed = forms.ChoiceField(label="是否属实", choices=[("", "未确定"), ("yes", "是"), ("no", "否")], required=False,
                               widget=forms.RadioSelect)
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        # A county's 340 groups, grouped under their township (<optgroup>): a phone's picker
        # jumps by township instead of scrolling one list (issue 18). Validation still uses the queryset.
        by_org = {}
        for group in groups.select_related("org").order_by("org__path", "name"):
            # The option keeps its township too: the offline queue (checklist.js) shows the option's text.
            by_org.setdefault(group.org.name, []).append((group.pk, f"{group.org.name} · {group.name}"))
        self.fields["group"].choices = [("", "（不针对某个群）"), *by_org.items()]

    def service_fields(self):
        data = self.cleaned_data
        return {"group": data["group"], "question": data["question"], "note": data["note"],
                "passed": {"yes": True, "no": False}.get(data["passed"])}


class PhotoForm(forms.Form):
    finding = forms.IntegerField(widget=forms.HiddenInput, required=False)
    photos = PhotosField(label="照片")


class ResponseForm(forms.Form):
    response = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

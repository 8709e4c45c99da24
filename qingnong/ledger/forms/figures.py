from django import forms

from ..rules import TOWNSHIP_BOUNDS
from .groups import DATE

def figure_field(label, key):
    bound = TOWNSHIP_BOUNDS[key]  # the same bound as the 附件3 import's
    return forms.IntegerField(
        label=label, min_value=0, max_value=bound,
        error_messages={"invalid": "请输入整数。", "required": f"请填写{label}。", "min_value": "不能为负数。",
                        "max_value": f"一个乡镇的{label}不会超过 {bound}，请核对是否多打了数字。"},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )


class FiguresForm(forms.Form):
    as_of = forms.DateField(label="统计日期", widget=DATE, error_messages={"required": "请填写统计日期。", "invalid": "请输入有效的日期。"})
    branch_count = figure_field("团支部数", "branch_count")
    cadre_count = figure_field("团干部数", "cadre_count")
    youth_count = figure_field("团员青年数", "youth_count")
    # The version of the row the user saw, and the date it belongs to (the user may change the date).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version_of = forms.DateField(widget=forms.HiddenInput, required=False)

    def expected_version(self):
        data = self.cleaned_data
        return data.get("version") if data.get("version_of") == data["as_of"] else None

    def service_fields(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "version_of")}
        return {**data, "expected_version": self.expected_version()}

    def show_current(self, current):
        """After a conflict: saving again overwrites the version now saved."""
        self.data = self.data.copy()
        self.data["version"], self.data["version_of"] = current.version, current.as_of.isoformat()

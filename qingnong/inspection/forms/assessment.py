"""Forms of the annual assessment: the rubric (items and weights), the account score's
weights (read from the query string, nothing saved) and an award."""
from django import forms

from qingnong.ledger.models import OfficialAccount

from ..models import AwardCategory, FocusItem, ScoreSource
from ..selectors.assessment import ACCOUNT_MEASURES


class RubricForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    counties_see_ranking = forms.BooleanField(label="各县区可以看到全部排名", required=False,
                                              help_text="不勾选时，各县区只能看到本县区的得分。")


class RubricItemForm(forms.Form):
    label = forms.CharField(label="考核项", max_length=100)
    source = forms.ChoiceField(label="计分依据", choices=ScoreSource.choices)
    focus_item = forms.ChoiceField(label="对应检查项", choices=[("", "—")] + FocusItem.choices, required=False,
                                   help_text="计分依据为检查结论时必填")
    weight = forms.IntegerField(label="权重（分）", min_value=0, max_value=100)
    full_marks_at = forms.FloatField(label="满分标准", min_value=0.01, initial=1.0,
                                     help_text="达到此值得满分")

    def clean(self):
        data = super().clean()
        if data.get("source") == ScoreSource.VERDICT and not data.get("focus_item"):
            self.add_error("focus_item", "按检查结论计分时，请选择对应的检查项。")
        return data


RubricItemFormSet = forms.formset_factory(RubricItemForm, extra=1, can_delete=True)


def rubric_items_initial(items):
    return [{"label": i.label, "weight": i.weight, "source": i.source, "focus_item": i.focus_item,
             "full_marks_at": i.full_marks_at} for i in items]


def rubric_items_cleaned(formset):
    """The kept rows (filled in, not marked for deletion), in order."""
    return [f.cleaned_data for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("label")]


class AccountWeightsForm(forms.Form):
    """The period and the weights of the account score, from the query string."""

    start = forms.DateField(label="评比开始", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="评比结束", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, weight, _, _ in ACCOUNT_MEASURES:
            self.fields[f"w_{key}"] = forms.IntegerField(label=label, min_value=0, max_value=100, initial=weight,
                                                         required=False, widget=forms.NumberInput(attrs={"class": "narrow"}))

    def clean(self):
        data = super().clean()
        weights = self.weights()
        if sum(weights.values()) != 100:
            raise forms.ValidationError(f"各项权重之和应为 100 分，现为 {sum(weights.values())} 分。")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("评比结束日期不能早于开始日期。")
        return data

    def weights(self):
        data = getattr(self, "cleaned_data", {})
        return {key: (data.get(f"w_{key}") if data.get(f"w_{key}") is not None else weight)
                for key, _, weight, _, _ in ACCOUNT_MEASURES}


class AwardForm(forms.Form):
    account = forms.ModelChoiceField(label="公众号", queryset=OfficialAccount.objects.none())
    category = forms.ChoiceField(label="奖项", choices=AwardCategory.choices)
    period_start = forms.DateField(label="评比开始", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    period_end = forms.DateField(label="评比结束", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="获奖理由", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = lambda a: f"{a.org.name} · {a.name}"

from html import escape

from django import forms
from django.db.models import Q
from django.utils.safestring import mark_safe

from qingnong.lib.dates import today
from qingnong.lib.forms import DirectHiddenInput, DirectNumberInput, FilterForm
from qingnong.org.models import OrgLevel
from qingnong.org.scoping import scoped

from ..models import (
    MEMBER_FIELDS, WECHAT_GROUP_CAP, Basis, Cadre, GroupKind, GroupStatus, MessageCategory,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_QR_BYTES = 2 * 1024 * 1024


def count_field(label, *, required=False, max_value=WECHAT_GROUP_CAP):
    return forms.IntegerField(
        label=label, min_value=0, max_value=max_value, required=required,
        error_messages={"invalid": "请输入整数。", "min_value": "不能为负数。", "max_value": f"不能超过 {max_value}。"},
        widget=DirectNumberInput(attrs={"inputmode": "numeric", "min": 0, "max": max_value}),
    )


class GroupForm(forms.Form):
    name = forms.CharField(label="群名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=GroupKind.choices, widget=forms.RadioSelect)
    bases = forms.MultipleChoiceField(label="建群依据（团青群）", choices=Basis.choices, required=False, widget=forms.CheckboxSelectMultiple)
    covers_level = forms.ChoiceField(label="覆盖层级（青农群）", required=False,
                                     choices=[("", "—"), *[(c.value, c.label) for c in (OrgLevel.TOWNSHIP, OrgLevel.VILLAGE, OrgLevel.DIRECT)]])
    status = forms.ChoiceField(label="状态", choices=GroupStatus.choices, initial=GroupStatus.ACTIVE)
    founded_on = forms.DateField(label="建群日期", required=False, widget=DATE)
    closed_on = forms.DateField(label="解散日期", required=False, widget=DATE,
                                help_text="状态为“已解散”时填写，不填为今天；此前的统计仍计入该群")
    ends_on = forms.DateField(label="结束日期（临时群）", required=False, widget=DATE)
    owner = forms.ModelChoiceField(label="群主", queryset=Cadre.objects.none(), required=False, empty_label="（未指定）")
    purpose = forms.CharField(label="用途/备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    qr_code = forms.ImageField(label="入群二维码", required=False, help_text="微信群二维码 7 天有效，超过 200 人后无法扫码入群")
    qr_expires_on = forms.DateField(label="二维码有效期至", required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        # Owners: cadres of this org, below it, or above it, within the user's scope.
        self.fields["owner"].queryset = scoped(Cadre.objects.select_related("org"), user).filter(
            Q(org__path__startswith=org.path) | Q(org__path__in=org.ancestor_paths())
        ).order_by("name")  # not sliced: Django cannot validate a choice against a sliced queryset
        self.fields["owner"].label_from_instance = lambda c: f"{c.name}（{c.org.name}{' · ' + c.position if c.position else ''}）"

    def clean_founded_on(self):
        value = self.cleaned_data["founded_on"]
        if value and value > today():
            raise forms.ValidationError("建群日期不能晚于今天。")
        return value

    def clean_qr_code(self):
        image = self.cleaned_data.get("qr_code")
        if image and image.size > MAX_QR_BYTES:
            raise forms.ValidationError("二维码图片不能超过 2 MB。")
        return image

    def clean(self):
        data = super().clean()
        if data.get("kind") == GroupKind.YOUTH and not data.get("bases"):
            self.add_error("bases", "团青微信群请至少选择一项建群依据（地缘/业缘/事缘/趣缘）。")
        if data.get("kind") == GroupKind.WORK and not data.get("covers_level"):
            self.add_error("covers_level", "青农微信群请选择覆盖的下一级。")
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["bases"] = "," + ",".join(sorted(data.get("bases") or [])) + "," if data.get("bases") else ""
        if not data.get("qr_code"):
            data.pop("qr_code", None)
        return data


class MemberCountsForm(forms.Form):
    """The nine 附件3 member columns; used alone (a snapshot) and per row of the weekly grid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, where, label in MEMBER_FIELDS:
            self.fields[field] = count_field(f"{where}·{label}")

    def member_total(self):
        return sum(self.cleaned_data.get(f) or 0 for f, _, _ in MEMBER_FIELDS)

    def clean(self):
        data = super().clean()
        total = self.member_total()
        if total > WECHAT_GROUP_CAP:
            raise forms.ValidationError(f"成员合计 {total} 人，超过微信群上限 {WECHAT_GROUP_CAP} 人。")
        return data


class SnapshotForm(MemberCountsForm):
    taken_on = forms.DateField(label="统计日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["taken_on"])

    def clean_taken_on(self):
        value = self.cleaned_data["taken_on"]
        if value > today():
            raise forms.ValidationError("统计日期不能晚于今天。")
        return value


def _cells(fields):
    """<label class="cell"> per field, its label, input and errors: written here, not by a
    template loop, as the weekly grid has ≈ 17 per group and up to 500 groups."""
    out = []
    for field in fields:
        errors = field.errors
        shown = "".join(f'<em class="error">{escape(e)}</em>' for e in errors)
        out.append(f'<label class="cell{" bad" if errors else ""}"><span>{escape(field.label)}</span>{field}{shown}</label>')
    return mark_safe("".join(out))


class WeeklyRowForm(MemberCountsForm):
    group = forms.IntegerField(widget=DirectHiddenInput)
    stamp = forms.CharField(widget=DirectHiddenInput, required=False)
    # Shown on rows whose week other records already count: the grid asks what the single-record form asks.
    confirm_overlap = forms.BooleanField(label="确认这是另外发送的信息，不是重复填报", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank never means zero (issue 17): a cleared member box is refused, not saved as 0.
        for name, _, _ in MEMBER_FIELDS:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = "成员数不能留空，没有成员请填 0。"
        for category, label in MessageCategory.choices:  # a blank message box: no record, as before
            self.fields[f"msg_{category}"] = count_field(label, max_value=10000)

    def member_fields(self):
        return [self[name] for name, _, _ in MEMBER_FIELDS]

    def message_fields(self):
        return [self[f"msg_{c}"] for c in MessageCategory.values]

    def member_cells(self):
        return _cells(self.member_fields())

    def message_cells(self):
        return _cells(self.message_fields())

    def row(self):
        data = self.cleaned_data
        return {
            "counts": {f: data.get(f) or 0 for f, _, _ in MEMBER_FIELDS},
            "messages": {c: data.get(f"msg_{c}") or 0 for c in MessageCategory.values},
            "stamp": data.get("stamp") or "",
            "confirm_overlap": bool(data.get("confirm_overlap")),
        }


WeeklyFormSet = forms.formset_factory(WeeklyRowForm, extra=0, max_num=2000, validate_max=True)


class GroupFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False, max_length=50)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *GroupKind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *GroupStatus.choices])
    basis = forms.ChoiceField(label="依据", required=False, choices=[("", "全部依据"), *Basis.choices])

    def filters(self):
        """Keyword arguments for selectors.group_list; a bad value is simply not applied."""
        self.is_valid()
        f = self.cleaned_data
        return {"kind": f.get("kind") or "", "status": f.get("status") or "", "basis": f.get("basis") or "",
                "query": f.get("q") or ""}

from django import forms

from qingnong.lib.forms import FilterForm

from ..models import ActivityType
from ..services.activities import MAX_PHOTOS, photo_problems
from .groups import DATE


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files from one <input type=file multiple>; cleaned to a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ActivityForm(forms.Form):
    held_on = forms.DateField(label="活动日期", widget=DATE, error_messages={"required": "请填写活动日期。", "invalid": "请输入有效的日期。"})
    activity_type = forms.ChoiceField(label="活动类型", choices=ActivityType.choices, widget=forms.RadioSelect,
                                      error_messages={"required": "请选择活动类型。"})
    title = forms.CharField(label="活动名称", max_length=200, error_messages={"required": "请填写活动名称。"})
    participants = forms.IntegerField(
        label="参加人数", min_value=0, max_value=100000,
        error_messages={"invalid": "请输入整数。", "required": "请填写参加人数。", "min_value": "不能为负数。", "max_value": "不能超过 100000。"},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    group = forms.ModelChoiceField(label="关联微信群", queryset=None, required=False, empty_label="（不关联）",
                                   error_messages={"invalid_choice": "关联的微信群须属于本组织或其下级。"})
    note = forms.CharField(label="活动简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label="活动照片", required=False,
                         help_text=f"可一次选多张，最多 {MAX_PHOTOS} 张；JPG、PNG 或 WebP，每张不超过 8 MB。上传后自动缩小并去除位置信息。")
    remove_photos = forms.MultipleChoiceField(label="删除照片", required=False, widget=forms.CheckboxSelectMultiple)
    drop_staged = forms.MultipleChoiceField(label="去掉照片", required=False, widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, groups, photos=(), staged=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: f"{g.name}（{g.org.name}）"
        self.existing_photos = list(photos)
        if self.existing_photos:
            self.fields["remove_photos"].choices = [(str(p.pk), f"第 {i} 张") for i, p in enumerate(self.existing_photos, 1)]
        else:
            del self.fields["remove_photos"]
        # Photos picked on an earlier try that came back with an error (held on the server).
        self.staged = list(staged)
        self.fields["drop_staged"].choices = [(str(p.pk), "") for p in self.staged]

    @property
    def kept_staged(self):
        dropped = set(self.data.getlist("drop_staged")) if hasattr(self.data, "getlist") else set()
        return [p for p in self.staged if str(p.pk) not in dropped]

    def hold(self, staged):
        """Sent back with an error: show the kept photos and those just uploaded (now held)."""
        self.staged = self.kept_staged + list(staged)

    def clean_photos(self):
        uploads = self.cleaned_data["photos"]
        removing = len(self.data.getlist("remove_photos")) if hasattr(self.data, "getlist") else 0
        existing = max(0, len(self.existing_photos) - removing) + len(self.kept_staged)
        problems = photo_problems(uploads, existing=existing)
        if problems:
            raise forms.ValidationError(problems)
        return uploads

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("drop_staged", None)
        data["staged"] = self.kept_staged
        if "remove_photos" in self.fields:
            data["remove_photos"] = [int(pk) for pk in data["remove_photos"]]
        return data


class ActivityFilterForm(FilterForm):
    activity_type = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *ActivityType.choices])
    start = forms.DateField(label="从", required=False, widget=DATE)
    end = forms.DateField(label="到", required=False, widget=DATE)

    def filters(self):
        self.is_valid()
        data = self.cleaned_data
        return {"activity_type": data.get("activity_type") or "", "start": data.get("start"), "end": data.get("end")}

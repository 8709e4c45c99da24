"""Small helpers shared by views that call services from forms."""
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.core.paginator import Paginator
from django.conf import settings


def run_service(form, service, **kwargs):
    """Call `service`; a ValidationError it raises lands on the form. Returns (ok, result)."""
    try:
        return True, service(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False, None


def paginate(request, queryset, per_page=None, *, count=None):
    """One page of `queryset` (two queries: COUNT and the page itself; one when the caller
    already counted the rows and passes `count`)."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not queried
    return paginator.get_page(request.GET.get("page"))


def conflict_rows(form, current, names, *, theirs=None):
    """(label, what you typed, what is saved now) for each field that differs, choice values
    shown by their Chinese labels on both sides. `theirs` overrides saved values for form
    fields that are not plain model attributes."""
    theirs = theirs or {}
    rows = []
    for name in names:
        field = form.fields[name]
        mine = form.data.get(name) or ""
        saved = theirs.get(name, getattr(current, name, ""))
        saved = "" if saved is None else saved
        if hasattr(saved, "pk"):
            saved = saved.pk
        if str(mine) == str(saved):
            continue
        labels = _choice_labels(field)
        rows.append((field.label, labels.get(str(mine), mine), labels.get(str(saved), saved)))
    return rows


def edit_conflict(form, record, names, *, theirs=None):
    """After a save was refused: if someone saved `record` since the form was shown, the
    differing fields (conflict_rows), with the form re-armed on the saved version so that
    saving again keeps what was typed. None when the refusal had another cause.
    `theirs(current)` gives saved values for fields that are not model attributes."""
    current = type(record).objects.get(pk=record.pk)
    if current.version == form.cleaned_data["version"]:
        return None
    form.data = form.data.copy()
    form.data["version"] = current.version
    return conflict_rows(form, current, names, theirs=theirs(current) if theirs else None)


def _choice_labels(field):
    labels = {}
    for value, label in getattr(field, "choices", None) or []:
        if isinstance(label, (list, tuple)):
            labels.update({str(v): lab for v, lab in label})
        else:
            labels[str(getattr(value, "value", value))] = label
    return labels


class _DirectRender:
    """A widget that writes its <input> in Python instead of through the template engine:
    the weekly grid draws ≈ 17 inputs per group for up to 500 groups, and the template path
    cost 425 ms for 162 groups (bench/load.py). Same attributes, escaped the same way, as
    Django's own input.html (tested); plain str building, as Django's lazy-aware helpers
    cost more than the escaping itself here."""

    def render(self, name, value, attrs=None, renderer=None):
        shown = self.format_value(value)
        parts = [f'<input type="{self.input_type}" name="{escape(name)}"']
        if shown is not None:
            parts.append(f' value="{escape(shown)}"')
        for key, v in self.build_attrs(self.attrs, attrs).items():
            if v is True:
                parts.append(f" {key}")
            elif v is not False and v is not None:
                parts.append(f' {key}="{escape(str(v))}"')
        return mark_safe("".join(parts) + ">")


class DirectNumberInput(_DirectRender, forms.NumberInput):
    pass


class DirectHiddenInput(_DirectRender, forms.HiddenInput):
    pass


class FilterForm(forms.Form):
    """A list page's filters, drawn without visible labels (a select's first option says what it
    filters, a box has a placeholder): each field carries its label as aria-label, so a screen
    reader names it too (axe: select-name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

"""The scorecard's cells written in Python: a county's 30 townships × 11 cells cost ≈ 8 ms
as template nodes, a fraction of that here (bench/NOTES.md). Same markup as the template
loop wrote (a test compares them): each value localized and escaped as {{ }} does."""
from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()


@lru_cache(maxsize=64)
def _column_attrs(key, label):
    return f' data-key="{escape(key)}" data-label="{escape(label)}"'


@register.simple_tag
def score_cells(row, links=True):
    """The <td>s of a TableRow; `links`: its 计划表 cell links to the county's plan."""
    out = []
    for col, cell, shown in row.cells:
        shown = conditional_escape(localize(shown))
        if links and col.key == "plan":
            shown = f'<a href="{escape(reverse("campaign:plan-detail", args=[row.org.pk]))}">{shown}</a>'
        title = f' title="{conditional_escape(localize(cell.note))}"' if cell.note else ""
        out.append(f'<td class="s-{escape(cell.status or "none")}"{_column_attrs(col.key, col.label)}{title}>{shown}</td>')
    return mark_safe("".join(out))

"""Template helpers for ledger pages: PII masking and small number formatting."""
from django import template

register = template.Library()


@register.filter
def mask(value, user):
    """Phones, WeChat IDs and QQ numbers are masked for viewers: 138****1234."""
    value = str(value or "")
    if not value or getattr(user, "can_edit", False):
        return value
    if len(value) >= 7:
        return f"{value[:3]}****{value[-4:]}"
    return value[:1] + "*" * (len(value) - 1)


@register.filter
def percent(part, whole):
    try:
        return f"{100 * part / whole:.0f}%" if whole else "—"
    except (TypeError, ZeroDivisionError):
        return "—"

"""{% load contacts %}: personal data shown by role (who may see a phone number is an
account's role, so the filter lives with the roles)."""
from django import template

from qingnong.accounts.permissions import mask, mask_labelled

register = template.Library()
register.filter("mask", mask)


@register.simple_tag
def shown(label, value, user):
    """{% shown field value user %}: a value of the 操作记录 under its field's label, masked if personal."""
    return mask_labelled(label, value, user)

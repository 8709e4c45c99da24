"""{% load contacts %}: personal data shown by role (who may see a phone number is an
account's role, so the filter lives with the roles)."""
from django import template

from qingnong.accounts.permissions import mask

register = template.Library()
register.filter("mask", mask)

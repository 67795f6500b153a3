from django import template
from django.utils.translation import get_language

from ibasho.families.risk import Signal

register = template.Library()


@register.simple_tag
def signal_label(signal: Signal) -> str:
    """A risk signal's label in the page's language (signals carry both)."""
    return signal.label(get_language())

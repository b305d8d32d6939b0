"""Tags every public page uses."""

from django import template

from ..history import data_last_changed

register = template.Library()


@register.simple_tag
def last_changed():
    """When public data last changed (one query)."""
    return data_last_changed()

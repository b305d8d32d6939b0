"""The data-quality counts on the admin index (templates/admin/index.html,
which shows them to those admin/quality.py's can_see() lets in)."""

from django import template
from django.utils import timezone

from ..stats import quality

register = template.Library()


@register.simple_tag
def quality_counts() -> dict:
    """Each data-quality question's count, and the review period."""
    return {**quality.cached_counts(timezone.localdate()), "review_days": quality.REVIEW_DAYS}

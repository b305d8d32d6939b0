"""The one answer to an invalid filter or range: HTTP 400 with the form's
messages, as ``param: message`` lines of plain text (CSV, feeds), as the HTML
form shown again with its errors, or in DRF's ``{"param": ["message"]}``."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse

ErrorsOf = forms.Form | Mapping


def error_messages(form_or_errors: ErrorsOf) -> dict[str, list[str]]:
    """Every message of a form (or of its ``errors``), by parameter."""
    errors = form_or_errors.errors if isinstance(form_or_errors, forms.Form) else form_or_errors
    return {name: [str(message) for message in messages] for name, messages in errors.items()}


def error_lines(form_or_errors: ErrorsOf) -> list[str]:
    """``param: message`` for every error."""
    return [
        f"{name}: {message}"
        for name, messages in error_messages(form_or_errors).items()
        for message in messages
    ]


def text_400(form_or_errors: ErrorsOf) -> HttpResponse:
    """The errors as plain-text lines, for answers read by programs."""
    text = "".join(f"{line}\n" for line in error_lines(form_or_errors))
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def page_400(request, template_name, context: dict) -> TemplateResponse:
    """The page again, its form showing its errors (templates include
    prisoners/_form_errors.html)."""
    return TemplateResponse(request, template_name, context, status=400)

"""The admin's language, chosen by each staff user: the language saved on the
user, else the language cookie, else the browser's Accept-Language, else
English. The public site keeps its own rule (the URL's prefix: /be/, /ru/,
none for English), which LocaleMiddleware applies before this runs."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from prisoners.models import StaffPreference

# The admin, its login and lockout pages, and the import and data-quality
# screens under the same prefix (tracker/urls.py).
ADMIN_PREFIX = "/admin/"
COOKIE_SECONDS = 365 * 24 * 60 * 60


def saved_language(request: HttpRequest) -> str | None:
    """The language the user saved, if they are staff and chose one."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_staff):
        return None
    return StaffPreference.objects.filter(user=user).values_list("language", flat=True).first()


def admin_language(request: HttpRequest) -> str:
    # check_path=False: the admin's URLs carry no language prefix.
    return saved_language(request) or translation.get_language_from_request(
        request, check_path=False
    )


class AdminLanguageMiddleware:
    """After the user is known (AuthenticationMiddleware): under /admin/,
    replaces the English LocaleMiddleware gives every unprefixed URL with the
    admin's language. Its answers vary with the cookie and Accept-Language
    (LocaleMiddleware adds Vary: Accept-Language, Cookie comes with the
    session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            language = admin_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


@require_POST
def choose_language(request: HttpRequest) -> HttpResponseRedirect:
    """The header's language chooser: saves the language on a staff user
    (kept across sessions and browsers) and in the language cookie (for the
    login page, before the user is known), then goes back. The public site
    ignores both: its language is in its URLs."""
    form = LanguageForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("admin:index")
    if not form.is_valid():
        messages.error(
            request, _("Choose one of the languages offered: English, Belarusian or Russian.")
        )
        return HttpResponseRedirect(back)
    language = form.cleaned_data["language"]
    if admin.site.has_permission(request):
        StaffPreference.objects.update_or_create(user=request.user, defaults={"language": language})
    response = HttpResponseRedirect(back)
    # Only the admin reads it; a year, so the login page keeps the choice.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=COOKIE_SECONDS,
        path=ADMIN_PREFIX,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response

"""Staff login and browser policy: the admin site that asks for a second
factor, the looser Content-Security-Policy scoped to the admin and the API
docs, and the answer to a locked-out login (the address lockouts count by
is tracker/client_ip.py's)."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template.response import TemplateResponse
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _


class TrackerAdminSite(AdminSite):
    """The curators' admin. With ``ADMIN_REQUIRE_2FA`` (on whenever DEBUG is
    off) a staff user must also have passed a second factor in this session,
    a TOTP code or a one-time recovery code: until then the admin treats them
    as not staff, and they reach nothing but the login page."""

    site_header = _("Political Prisoner Tracker")
    site_title = _("Political Prisoner Tracker admin")

    @property
    def login_form(self):
        if settings.ADMIN_REQUIRE_2FA:
            from .two_factor import TwoFactorAuthenticationForm

            return TwoFactorAuthenticationForm
        return None

    @property
    def login_template(self):
        return "admin/login_2fa.html" if settings.ADMIN_REQUIRE_2FA else None

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        if not settings.ADMIN_REQUIRE_2FA:
            return True
        # Set by django_otp's OTPMiddleware; a request without it is unverified.
        is_verified = getattr(request.user, "is_verified", None)
        return bool(is_verified and is_verified())


class TrackerAdminConfig(AdminConfig):
    default_site = "tracker.security.TrackerAdminSite"

    def ready(self):
        super().ready()
        checks.register(check_two_factor, checks.Tags.security, deploy=True)


def check_two_factor(app_configs, **kwargs):
    if settings.DEBUG or settings.ADMIN_REQUIRE_2FA:
        return []
    return [
        checks.Warning(
            "ADMIN_REQUIRE_2FA is off in production: staff log in with a password alone.",
            hint="Remove ADMIN_REQUIRE_2FA=0 from the environment.",
            id="tracker.W001",
        )
    ]


# Path prefixes whose pages cannot live with the strict policy, and what they
# add to it. simple-history's pages carry inline styles; drf-spectacular's
# Swagger UI page starts itself with an inline script and inline styles.
LOOSER_POLICIES = {
    "/admin/": {"style-src": [CSP.UNSAFE_INLINE], "img-src": ["data:"]},
    "/api/docs/": {
        "script-src": [CSP.UNSAFE_INLINE],
        "style-src": [CSP.UNSAFE_INLINE],
        "img-src": ["data:"],
    },
}


def loosened(policy: dict, additions: dict) -> dict:
    """``policy`` with each directive of ``additions`` widened by its values."""
    result = {name: list(values) for name, values in policy.items()}
    for name, values in additions.items():
        base = result.get(name) or list(policy.get("default-src", [CSP.SELF]))
        result[name] = [*base, *(v for v in values if v not in base)]
    return result


# The figures other sites may frame (prisoners/public/embeds.py), in every
# language: any page may frame them. Every other page stays unframable
# (frame-ancestors 'none' and X-Frame-Options: DENY); the embed views are
# exempt from the latter. Decided by path, not by the view: a page served
# from the page cache keeps its headers but not its view's attributes.
FRAMABLE = "embed/"


def framable(path: str) -> bool:
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.match(rf"/(?:(?:{languages})/)?{FRAMABLE}", path) is not None


class ScopedContentSecurityPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Django's CSP middleware, with ``LOOSER_POLICIES`` for their paths and
    any frame ancestor for ``FRAMABLE`` ones; every other page gets
    ``SECURE_CSP`` as it is."""

    def process_response(self, request, response):
        if not hasattr(response, "_csp_config") and settings.SECURE_CSP:
            if framable(request.path_info):
                response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}
            for prefix, additions in LOOSER_POLICIES.items():
                if request.path_info.startswith(prefix):
                    response._csp_config = loosened(settings.SECURE_CSP, additions)
                    break
        return super().process_response(request, response)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the admin's look, HTTP 429,
    how long to wait."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response: HttpResponse = TemplateResponse(request, "admin/lockout.html", context, status=429)
    return response.render()

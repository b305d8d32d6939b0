"""Staff login: the second factor with django-otp (an authenticator app and
one-time recovery codes) and django-axes' lockouts. Not imported while the
apps load: it needs the models."""

from __future__ import annotations

from dataclasses import dataclass

from axes.backends import AxesStandaloneBackend
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_DEVICE_NAME = "recovery codes"


class TwoFactorAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin login: user name, password and one code, either from the
    authenticator app (digits) or a recovery code (letters and digits).

    django-otp asks the user to pick a device; the shape of the code picks it
    here, so the login is one form, and a wrong app code never counts as a
    failed attempt against the recovery codes (each device is throttled on its
    own failures)."""

    otp_token = forms.CharField(
        required=False,
        label=_("Code"),
        help_text=_("The 6 digits from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    # Any failure, whatever failed (the user name, the password, the code,
    # a missing second factor, an account that may not log in), gets this one
    # answer: a different one for a wrong code would tell whoever tries
    # passwords that they found the right one.
    failure_message = _(
        "Enter a correct user name, password and code: the code from your authenticator "
        "app or a recovery code not used before. Staff without a second factor ask an "
        "administrator to run manage.py add_totp_device for them."
    )

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            raise ValidationError(self.failure_message, code="invalid_login") from None

    def _update_form(self, user):
        """Nothing: django-otp fills the device choice (this form has none:
        the code's shape picks the device) and writes the password back
        into the page once it was right, which would tell that it was."""

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data.get("otp_token", "").split())
        return token if token.isdigit() else token.lower().replace("-", "")

    def _chosen_device(self, user):
        chosen = super()._chosen_device(user)
        if chosen is not None:
            return chosen
        token = self.cleaned_data.get("otp_token", "")
        model = TOTPDevice if token.isdigit() else StaticDevice
        return model.objects.filter(user=user, confirmed=True).order_by("pk").first()


@dataclass
class StaffDevices:
    totp: TOTPDevice
    recovery_codes: list[str]


@transaction.atomic
def set_up_devices(user, recovery_codes: int = 10) -> StaffDevices:
    """Give ``user`` a new authenticator-app secret and new recovery codes,
    replacing any they had (a lost phone, used-up codes)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    totp = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(recovery_codes)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return StaffDevices(totp=totp, recovery_codes=codes)


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockouts for logins over HTTP. A login without a request
    (a management command checking a password, a test's ``client.login``) has
    no address to count by: it skips this backend instead of failing."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)

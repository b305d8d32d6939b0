from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracker.two_factor import set_up_devices


class Command(BaseCommand):
    help = (
        "Give a staff user a second factor for the admin: prints the otpauth:// URL "
        "for an authenticator app and one-time recovery codes. Running it again "
        "replaces both (a lost phone, used-up codes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--recovery-codes", type=int, default=10, help="How many recovery codes (10)."
        )

    def handle(self, *args, username, recovery_codes, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        if not user.is_staff:
            raise CommandError(f"{username!r} is not staff: the admin would refuse them anyway.")
        if not 1 <= recovery_codes <= 50:
            raise CommandError("--recovery-codes must be between 1 and 50.")
        devices = set_up_devices(user, recovery_codes=recovery_codes)
        self.stdout.write(
            f"Authenticator app for {username!r}: open this URL on the phone (or turn it "
            "into a QR code), or type the secret by hand.\n"
        )
        self.stdout.write(f"  {devices.totp.config_url}\n")
        self.stdout.write(f"  secret: {_base32(devices.totp.bin_key)}\n\n")
        self.stdout.write(
            "Recovery codes: each works once in place of the app's code. Keep them "
            "offline (printed, in a password manager).\n"
        )
        for code in devices.recovery_codes:
            self.stdout.write(f"  {code}\n")
        self.stdout.write(
            self.style.WARNING(
                "\nAny earlier app secret and recovery codes of this user no longer work."
            )
        )


def _base32(key: bytes) -> str:
    return b32encode(key).decode().rstrip("=")

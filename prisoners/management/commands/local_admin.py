import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) the local superuser 'admin' and print how to log in. DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("local_admin is for development (DEBUG=1) only.")
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Local admin: http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/ "
                f"username {username!r}, password {password!r} (new each `make run`)."
            )
        )

"""Django's makemessages, also finding the msgids of sentences said later
(prisoners/messages.py: ``say("…")``, ``say_count("…", "…", "n")``): the
importer's errors, which are translated when shown, not when found."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=say",
        "--keyword=say_count:1,2",
    ]

import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from prisoners.interchange.importer import run_import
from prisoners.interchange.mapping import Mapping, MappingError
from prisoners.interchange.sheets import ENCODINGS


class Command(BaseCommand):
    help = (
        "Import prisoners.csv, release_events.csv and sanctions_events.csv files (the kind of "
        "each is read from its header), as CSV or as spreadsheets (.xlsx, .xls, .ods: the "
        "first sheet). A file with its own column names is read through --mapping. All files "
        "are checked together; on any error nothing "
        "is written, every error is listed as PATH:LINE: COLUMN: message and the exit status "
        "is 1. Acts with an editor's rights. --dry-run lists each record it would create or "
        "update, with each changed column as before → after (-v 2: unchanged ones too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )
        parser.add_argument(
            "--user", metavar="NAME", help="Record the changes in history as made by this user."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--mapping",
            metavar="MAPPING.json",
            help='Read files with their own column names through this mapping: {"columns": '
            '{"their header": "our column", "another": null}, "dates": "DMY"} (null: ignore '
            "the column; dates DMY or YMD). The admin downloads saved mappings in this form.",
        )
        parser.add_argument(
            "--encoding",
            choices=ENCODINGS,
            help="Read a CSV that is not UTF-8 as this (cp1251: Windows-1251).",
        )

    def handle(self, *args, files, dry_run, user, quiet, verbosity=1, **options):
        mapping = read_mapping(options["mapping"]) if options.get("mapping") else None
        actor = None
        if user:
            User = get_user_model()
            try:
                actor = User.objects.get(**{User.USERNAME_FIELD: user})
            except User.DoesNotExist:
                raise CommandError(f"--user: there is no user named {user!r}") from None
        show_progress = not quiet and sys.stderr.isatty()

        def progress(items, total, desc):
            return tqdm(
                items,
                total=total,
                desc=desc,
                unit=" rows",
                file=sys.stderr,
                leave=False,
                disable=not show_progress,
                mininterval=0.5,
            )

        result = run_import(
            files,
            user=actor,
            dry_run=dry_run,
            progress=progress,
            mapping=mapping,
            encoding=options.get("encoding"),
        )
        if not result.ok:
            for line in result.errors:
                self.stderr.write(line)
            sys.exit(1)
        if dry_run or verbosity >= 2:
            for line in result.change_lines(unchanged=verbosity >= 2):
                self.stdout.write(line)
        self.stdout.write(str(result))


def read_mapping(path: str) -> Mapping:
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except OSError as error:
        raise CommandError(f"--mapping: cannot read {path}: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"--mapping: {path} is not JSON: {error}") from None
    try:
        return Mapping.from_dict(data)
    except MappingError as error:
        raise CommandError(f"--mapping: {path}: {error}") from None

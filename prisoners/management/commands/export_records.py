from django.core.management.base import BaseCommand

from prisoners.interchange.exporter import export_records


class Command(BaseCommand):
    help = (
        "Write prisoners.csv, release_events.csv and sanctions_events.csv into DIR: every "
        "record and column, or with --public what the public exports give."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--public",
            action="store_true",
            help="Published records only, without internal_notes or links to unpublished ones.",
        )

    def handle(self, *args, directory, public, **options):
        counts = export_records(directory, public=public)
        for filename, rows in counts.items():
            self.stdout.write(f"{filename}: {rows} rows")

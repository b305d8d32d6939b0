from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prisoners.interchange.importer import run_import

DEMO = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = (
        "Load the demo records (prisoners/demo/*.csv): the December 2025 release of 123 "
        "political prisoners and the lifting of US potash sanctions. Safe to run again."
    )

    def handle(self, *args, **options):
        files = [
            DEMO / name for name in ("sanctions_events.csv", "release_events.csv", "prisoners.csv")
        ]
        result = run_import(files, via="demo data")
        if not result.ok:
            raise CommandError("The demo data does not import:\n" + "\n".join(result.errors))
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from prisoners.data_version import bump_data_version
from prisoners.models import Person
from prisoners.stats.figures import mark_stale
from prisoners.synthetic import Generator


class Command(BaseCommand):
    help = (
        "Add realistic synthetic people (deterministic for a seed): repeated detentions, "
        "partial dates, Cyrillic and Latin names, release waves, sanctions, drafts and "
        "anonymous people, with a history over the last two years (/changes/, as_of=)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, persons, seed, quiet, **options):
        if persons < 1:
            raise CommandError("--persons must be at least 1.")
        generator = Generator(seed=seed, persons=persons)
        if Person.objects.filter(person_id__startswith=f"{generator.prefix}-").exists():
            raise CommandError(
                f"Synthetic data for seed {seed} is already here: use another --seed "
                "or a fresh database."
            )
        started = time.monotonic()
        with tqdm(total=persons, unit="person", disable=quiet or None) as bar:
            generator.run(progress=bar.update)
        bump_data_version()  # bulk writes send no signals
        mark_stale()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Generated {persons} synthetic people (seed {seed}) in {elapsed:.1f} s.")

"""Time reading an uploaded file without line breaks, the case that took
time growing with the square of its size (issue 16: 40 MB in 15 s).

    .venv/bin/python bench/upload_bench.py [--mb 40] [--compare]

Reads the file as the importer does (prisoners/interchange/reading.py: lines,
UTF-8, CSV) and prints the seconds; ``--compare`` also times the former line
splitting, for the record. A 5 MB file of ordinary rows is timed too, so that
the usual case is seen not to have slowed. It is not a test.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from prisoners.interchange.reading import Problems, Table  # noqa: E402


def former_binary_lines(source, size: int = 1 << 16):
    """The line splitting before issue 16: each chunk added to the
    unfinished line, which is split again."""
    rest = b""
    while chunk := source.read(size):
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        for part in parts:
            yield part + b"\n"
    if rest:
        yield rest


def read(data: bytes) -> tuple[float, list[str]]:
    started = time.perf_counter()
    problems = Problems()
    table = Table("prisoners.csv", io.BytesIO(data), problems)
    for _record in table.records():
        pass
    return time.perf_counter() - started, problems.lines()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=40)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    lineless = b"person_id,name," + b"x" * (args.mb * 2**20)
    seconds, problems = read(lineless)
    print(f"{args.mb} MB without line breaks: {seconds:.2f} s ({problems[0][:70]}…)")
    rows = b"person_id,name,bio\n" + b"".join(
        b"p-%d,Person %d,a short biography of someone\n" % (i, i) for i in range(120_000)
    )
    seconds, problems = read(rows)
    print(f"{len(rows) / 2**20:.1f} MB in 120,000 rows: {seconds:.2f} s")
    if args.compare:
        started = time.perf_counter()
        for _line in former_binary_lines(io.BytesIO(lineless)):
            pass
        print(f"former line splitting, {args.mb} MB: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()

"""The rows of the long public lists, projected once in Python. A template
reads a dict's key far faster than it calls a record's methods, filters and
tags, and a list page renders fifty rows of them: each row's values are
worked out here and the template only places them."""

from __future__ import annotations

from datetime import date

from .. import local_names
from ..local_names import LocalNames


def person_rows(people, as_of: date | None = None) -> list[dict]:
    """The list of people's rows: link, name (HTML), status in the person's
    gender, region in the page's language, and each detention's dates."""
    names = LocalNames()
    # A list as it stood links each person's page as it stood too.
    suffix = f"?as_of={as_of.isoformat()}" if as_of else ""
    return [
        {
            "url": person.get_absolute_url() + suffix,
            "name": local_names.html_name(person),
            "status": local_names.shown_status(person),
            "region": names.shown("region", person.region) or "—",
            "detentions": [_detention(detention) for detention in person.detentions.all()],
        }
        for person in people
    ]


def _detention(detention) -> dict:
    detained_on = detention.detained_on
    row = {"detained_on": detained_on, "detained": detained_on.display() if detained_on else ""}
    # A detention still open (or ended otherwise) has no release.
    release = getattr(detention, "release", None)
    if release:
        row["release"] = {
            "released_on": release.released_on,
            "released": release.released_on.display() if release.released_on else "",
            "type": release.get_release_type_display(),
        }
    return row

"""Posting the admin's forms as a browser would, for tests."""


def revert_data(client, url: str, person) -> dict:
    """What the admin's revert page for a person's version posts: the form's
    initial values as text, and the person's sources."""
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else str(value))
        for name, value in form.initial.items()
        if name in form.fields and not isinstance(value, list)
    }
    data["sources"] = [s.pk for s in person.sources.all()]
    return data

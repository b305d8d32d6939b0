"""One URL of every admin page type, in one place, for the records of
``tests.public_urls.build_world()``: the accessibility and catalog guards
fetch them all. When you add an admin screen, add it here."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from prisoners.models import Person
from tests.public_urls import build_world

# Files for the import's preview: one it would import, one with an error.
GOOD_FILE = b"person_id,name,born,region\nnew-1,Ihar Losik,1992,Brest\n"
BAD_FILE = b"person_id,name,born,region\nnew-2,Ihar Losik,1992-13-40,Brest\n"
IMPORT_FILES = {"good.csv": GOOD_FILE, "bad.csv": BAD_FILE}


def admin_urls() -> list[str]:
    """The index, each registered model's list and change form, a person's
    add form, history, delete confirmation and merge screens, the password
    change, the data-quality page and the import's upload."""
    world = build_world()
    person = world.person
    other = Person.objects.exclude(pk=person.pk).order_by("pk").first()
    urls = [
        reverse("admin:index"),
        reverse("admin:prisoners_person_add"),
        # A facility's add form; a detention's change form holds its stays.
        reverse("admin:prisoners_facility_add"),
        reverse("admin:prisoners_person_history", args=[person.pk]),
        reverse("admin:prisoners_person_delete", args=[person.pk]),
        reverse("admin:prisoners_person_merge", args=[person.pk, other.pk]),
        reverse("admin:prisoners_person_merges"),
        reverse("admin:password_change"),
        reverse("prisoners_quality"),
        reverse("prisoners_import"),
    ]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        instance = model._default_manager.order_by("pk").first()
        if instance is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[instance.pk]))
    return urls

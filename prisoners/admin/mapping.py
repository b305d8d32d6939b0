"""The import's reading screens, between the upload and the preview: a CSV
that is not UTF-8 shown as Windows-1251 to confirm, and the column mapping
of files whose headers are not the format's (each column to one of ours or
to "ignore", the date order, the first rows as they will be read). Mappings
are saved by the set of headers (``ColumnMapping``), offered again, edited
and deleted in their own admin, and downloaded as the file
``import_records --mapping`` takes.

What the curator chose is kept in the session as ``reading(request,
token)``: the ``mapping`` and ``encoding`` arguments of ``run_import``.
"""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..interchange.columns import PRISONERS
from ..interchange.mapping import Mapping, MappingError, header_key, headers_key, propose
from ..interchange.reading import Problems, Table
from ..interchange.sheets import WINDOWS_1251, first_lines, is_spreadsheet, is_utf8
from ..interchange.values import convert, text_of
from ..models import ColumnMapping, DateOrder

PREVIEW_ROWS = 5
IGNORE = "-"


def _key(token: str) -> str:
    return f"import-{token}-reading"


def reading(request, token: str) -> dict:
    """The curator's answers for an upload, as ``run_import`` takes them:
    ``{"mapping": dict or None, "encoding": "cp1251" or None}``."""
    kept = request.session.get(_key(token), {})
    return {"mapping": kept.get("mapping"), "encoding": kept.get("encoding")}


def forget(request, token: str) -> None:
    request.session.pop(_key(token), None)


def _remember(request, token: str, **answers) -> None:
    request.session[_key(token)] = {**reading(request, token), **answers}


def _not_utf8(files: list[tuple[str, Path]]) -> list[tuple[str, list[str]]]:
    """The CSVs that are not UTF-8, with their first lines as Windows-1251."""
    found = []
    for name, stored in files:
        if is_spreadsheet(name):
            continue
        with open(stored, "rb") as source:
            if is_utf8(source):
                continue
            source.seek(0)
            found.append((name, first_lines(source, WINDOWS_1251)))
    return found


def _foreign_tables(files, encoding) -> list[tuple[str, Path, list[str]]]:
    """The files whose header is their own, with its headers (not an
    events file with an unknown column: the screen maps to prisoners.csv,
    so the preview names the column instead)."""
    found = []
    for name, stored in files:
        with open(stored, "rb") as source:
            table = Table(name, source, Problems(), encoding=encoding)
            if table.foreign and table.kind in (None, PRISONERS):
                found.append((name, stored, table.headers))
    return found


def next_screen(request, context: dict, token: str, files):
    """The reading screen the upload still needs, or None (on to the preview)."""
    answers = reading(request, token)
    if answers["encoding"] != WINDOWS_1251:
        undecodable = _not_utf8(files)
        if undecodable:
            return render(
                request,
                "admin/prisoners/import_encoding.html",
                {**context, "token": token, "undecodable": undecodable},
            )
    if answers["mapping"] is None:
        foreign = _foreign_tables(files, answers["encoding"])
        if foreign:
            return _mapping_page(request, context, token, foreign, None)
    return None


def answer(request, context: dict, token: str, files):
    """Take an answer of a reading screen; a page to show again, or None
    when the upload may go on."""
    if request.POST.get("reading") == "encoding":
        _remember(request, token, encoding=WINDOWS_1251)
        return None
    foreign = _foreign_tables(files, reading(request, token)["encoding"])
    if not foreign:
        return None
    headers = _headers(foreign)
    form = MappingForm(headers, request.POST)
    if request.POST.get("reading") != "map" or not form.is_valid():
        return _mapping_page(request, context, token, foreign, form)
    mapping = form.mapping()
    ColumnMapping.objects.update_or_create(
        headers_key=headers_key(headers),
        defaults={"columns": mapping.columns, "dates": mapping.dates, "saved_by": request.user},
    )
    _remember(request, token, mapping=mapping.as_dict())
    return None


def _headers(foreign) -> list[str]:
    """The headers of every file to map, each once, in their order."""
    seen, headers = set(), []
    for _name, _stored, names in foreign:
        for header in names:
            if header_key(header) and header_key(header) not in seen:
                seen.add(header_key(header))
                headers.append(header)
    return headers


def saved_mapping(headers: list[str]) -> Mapping | None:
    saved = ColumnMapping.objects.filter(headers_key=headers_key(headers)).first()
    return Mapping(saved.columns, saved.dates) if saved else None


class MappingForm(forms.Form):
    """One choice a column of the file (one of ours, or "ignore") and the
    date order. Nothing is chosen for the curator but the proposals."""

    dates = forms.ChoiceField(
        label=_("Dates in the file are written"),
        choices=DateOrder.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, headers: list[str], *args, initial: Mapping | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— choose —")), (IGNORE, _("ignore this column"))] + [
            (name, name) for name in PRISONERS.names
        ]
        for number, header in enumerate(headers):
            mapped, column = initial.column_of(header) if initial else (False, None)
            self.fields[f"column-{number}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                initial=(column or IGNORE) if mapped else "",
                error_messages={"required": _("Choose one of our columns, or ignore it.")},
            )
        if initial:
            self.fields["dates"].initial = initial.dates

    def column_fields(self):
        return [self[f"column-{number}"] for number in range(len(self.headers))]

    def chosen(self) -> dict[str, str | None]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        columns = {}
        for number, header in enumerate(self.headers):
            value = data.get(f"column-{number}") or self.data.get(f"column-{number}", "")
            if value:
                columns[header] = None if value == IGNORE else value
        return columns

    def clean(self):
        cleaned = super().clean()
        given: dict[str, list[str]] = {}
        for header, column in self.chosen().items():
            if column:
                given.setdefault(column, []).append(header)
        for column, headers in given.items():
            if len(headers) > 1:
                self.add_error(
                    None,
                    _("%(headers)s are all mapped to %(column)s: map only one column to it.")
                    % {"headers": ", ".join(headers), "column": column},
                )
        for column in PRISONERS.columns:
            if column.required and column.name not in given:
                self.add_error(
                    None,
                    _("No column is mapped to %(column)s, which every file must have.")
                    % {"column": column.name},
                )
        return cleaned

    def mapping(self) -> Mapping:
        return Mapping(self.chosen(), self.cleaned_data["dates"])


def _mapping_page(request, context, token: str, foreign, form: MappingForm | None):
    headers = _headers(foreign)
    saved = saved_mapping(headers)
    if form is None:
        mapping = propose(headers, saved)
        form = MappingForm(headers, initial=mapping)
    else:
        mapping = Mapping(form.chosen(), form.data.get("dates") or DateOrder.DMY)
    name, stored, names = foreign[0]
    return render(
        request,
        "admin/prisoners/import_mapping.html",
        {
            **context,
            "token": token,
            "form": form,
            "saved": saved is not None,
            "preview_name": name,
            "preview_headers": names,
            "preview": _preview_rows(name, stored, names, mapping, reading(request, token)),
        },
    )


def _preview_rows(name, stored, names, mapping: Mapping, answers) -> list[dict]:
    """The first rows of a file as the mapping reads them: each cell as
    written, as converted, or why it cannot be read."""
    rows = []
    with open(stored, "rb") as source:
        table = Table(name, source, Problems(), encoding=answers["encoding"])
        for line, cells in islice(table.rows(), PREVIEW_ROWS):
            shown = []
            for header, cell in zip(names, cells, strict=False):
                mapped, column = mapping.column_of(header)
                before = text_of(cell)
                if not column:
                    shown.append({"before": before, "ignored": mapped})
                    continue
                try:
                    after = convert(column, cell, mapping.dates)
                except ValueError as error:
                    shown.append({"before": before, "error": str(error)})
                else:
                    shown.append({"before": before, "after": after, "changed": after != before})
            rows.append({"line": line, "cells": shown})
    return rows


# Saved mappings: listed, edited, deleted, and downloaded as a file.


class ColumnMappingForm(forms.ModelForm):
    class Meta:
        model = ColumnMapping
        fields = ["columns", "dates"]

    def clean_columns(self):
        columns = self.cleaned_data["columns"]
        try:
            Mapping.from_dict({"columns": columns})
        except MappingError as error:
            raise forms.ValidationError(str(error)) from None
        return columns


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    form = ColumnMappingForm
    list_display = ["__str__", "dates", "saved_by", "updated", "download_link"]
    readonly_fields = ["saved_by", "updated", "download_link"]

    # Whoever may import keeps the mappings (saved by the import's screen).
    def has_add_permission(self, request) -> bool:
        return False

    def _importer(self, request) -> bool:
        from .imports import can_import  # imports.py imports this module

        return can_import(request.user)

    def has_module_permission(self, request) -> bool:
        return self._importer(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._importer(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._importer(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._importer(request)

    @admin.display(description=_("mapping file"))
    def download_link(self, obj: ColumnMapping):
        if not obj.pk:
            return ""
        url = reverse("admin:prisoners_columnmapping_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download (JSON)"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download),
                name="prisoners_columnmapping_download",
            ),
            *super().get_urls(),
        ]

    def download(self, request, pk: int):
        """The mapping as ``import_records --mapping`` takes it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        saved = get_object_or_404(ColumnMapping, pk=pk)
        body = json.dumps(
            Mapping(saved.columns, saved.dates).as_dict(), ensure_ascii=False, indent=2
        )
        response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mapping-{saved.pk}.json"'
        return response

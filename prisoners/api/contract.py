"""What the OpenAPI schema says of every answer beyond its view's own shape:
the citation fields PublicAPIMixin adds to every JSON object, and the
answers every operation can give besides 200 (tests/test_openapi_contract.py
checks each answer against it)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

# PublicAPIMixin.finalize_response adds these to every JSON object answered.
CITATION = {
    "type": "object",
    "properties": {
        "data_last_changed": {
            "type": "string",
            "format": "date-time",
            "nullable": True,
            "description": "When public data last changed (null: never).",
        },
        "cite_as": {"type": "string", "description": "How to cite this answer."},
    },
    "required": ["data_last_changed", "cite_as"],
}

# DRF's answer to an exception that is not about a parameter.
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}

# An invalid parameter: its name, and what is wrong with it.
INVALID = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"held_on": ["Enter a valid date."]},
}

PAGINATION = {"page", "page_size"}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


class ContractSchema(AutoSchema):
    """The operations of PublicAPIMixin's views, with every answer they give."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, response in responses.items():
            if code.startswith("2") and "application/json" in response.get("content", {}):
                content = response["content"]["application/json"]
                content["schema"] = {"allOf": [content["schema"], self._component("Citation")]}
        csv = path.endswith(".csv")
        if csv:
            responses["200"] = {
                "description": "The series as CSV, with a header row.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        if self._can_be_invalid(operation):
            responses["400"] = {
                "description": "An invalid parameter: each with its messages"
                + (", as text lines `param: message`." if csv else "."),
                "content": (
                    {"text/plain": {"schema": {"type": "string"}}}
                    if csv
                    else _json(self._component("InvalidParameters"))
                ),
            }
        responses["404"] = {
            "description": "No such published record, a page past the last, "
            "or an unknown `format`.",
            "content": _json(self._component("Detail")),
        }
        if self._match_path_parameters(operation):
            responses["404"]["description"] += " An id the URL cannot hold: the HTML 404 page."
            responses["404"]["content"]["text/html"] = {"schema": {"type": "string"}}
        responses["429"] = {
            "description": "Too many requests from this client (API_THROTTLE_RATE); "
            "`Retry-After` says when to try again.",
            "content": _json(self._component("Detail")),
        }
        responses["503"] = {
            "description": "The database is unavailable for a moment: an HTML page.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        }
        return operation

    def _match_path_parameters(self, operation) -> bool:
        """Give the path parameters the pattern of the URL (the router's
        lookup regex): another value never reaches the API. True if any."""
        regex = getattr(self.view, "lookup_value_regex", "[^/.]+")
        path_parameters = [p for p in operation.get("parameters", []) if p["in"] == "path"]
        for parameter in path_parameters:
            parameter["schema"]["pattern"] = f"^{regex}$"
        return bool(path_parameters)

    def _can_be_invalid(self, operation) -> bool:
        """Filters (also read by a detail view) and other parameters answer 400
        when invalid; pagination never does (a bad page is 404)."""
        if getattr(self.view, "filterset_class", None):
            return True
        return any(
            p["in"] == "query" and p["name"] not in PAGINATION
            for p in operation.get("parameters", [])
        )

    def _component(self, name: str) -> dict:
        schemas = {"Citation": CITATION, "Detail": DETAIL, "InvalidParameters": INVALID}
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schemas[name]
        )
        self.registry.register_on_missing(component)
        return component.ref

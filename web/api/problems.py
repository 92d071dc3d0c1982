"""Problem details (RFC 9457) for every API error."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, jsonify

PROBLEM = "application/problem+json"


class ProblemSchema(ma.Schema):
    type = ma.fields.String(metadata={"description": "about:blank"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String(metadata={"description": "Message en français"})
    errors = ma.fields.Dict(metadata={"description": "Messages par champ"})


def problem(status: int, title: str, detail: str, errors: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    return response

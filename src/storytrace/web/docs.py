"""docs: the API reference at ``/docs``, a static page made from the app's own OpenAPI schema
(``/openapi.json``), so it works offline and under the no-script policy (no Swagger UI from a CDN)."""

from __future__ import annotations

from typing import Any


def _ref(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        resolved: dict[str, Any] = components.get(ref.rsplit("/", 1)[-1], {})
        return resolved
    return schema


def _type(schema: dict[str, Any], components: dict[str, Any]) -> str:
    schema = _ref(schema, components)
    if "anyOf" in schema:
        return " or ".join(_type(s, components) for s in schema["anyOf"])
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    kind = str(schema.get("type", schema.get("title", "object")))
    if kind == "array":
        return f"list of {_type(schema.get('items', {}), components)}"
    return kind


def _fields(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _ref(schema, components)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": _type(spec, components),
            "required": name in required,
            "description": spec.get("description", ""),
            "default": spec.get("default"),
        }
        for name, spec in schema.get("properties", {}).items()
    ]


def _parameter(p: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    schema = p.get("schema", {})
    return {
        "name": p["name"],
        "in": p["in"],
        "required": p.get("required", False),
        "type": _type(schema, components),
        "description": p.get("description") or schema.get("description", ""),
        "default": schema.get("default"),
    }


def reference(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every API operation with its parameters, request body fields and responses."""
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    out: list[dict[str, Any]] = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = []
            for code, response in op.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {}).get("schema")
                responses.append(
                    {"code": code, "description": response.get("description", ""),
                     "type": _type(content, components) if content else "",
                     "fields": _fields(content, components) if content else []}
                )  # fmt: skip
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [_parameter(p, components) for p in op.get("parameters", [])],
                    "body": _fields(body, components) if body else [],
                    "responses": responses,
                }
            )
    return out

"""The envelope of the Reconciliation Service API 0.2 (what OpenRefine speaks) around the shared matching code.

0.2 differs from the 1.0 draft only in how requests and responses are wrapped, so this module converts:

- a query batch ``{"q0": {"query", "type", "limit", "properties": [{"pid", "v"}], "type_strict"}}`` into the
  1.0-draft queries `api.reconcile.service.reconcile_query` takes (``conditions`` of matchType name / property;
  a query with properties but no ``query`` text must match them all, as a WHERE clause);
- their results into ``{"q0": {"result": [candidate…]}}`` (features as ``{id, value}``);
- a data-extension response into the 0.2 shape (``rows`` keyed by entity id, then by property id);
- the service manifest: ``identifierSpace``, ``schemaSpace``, ``view`` / ``preview`` URL templates with
  ``{{id}}``, and ``suggest`` / ``extend`` as service URL + path objects.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

__all__ = ["extension_response", "manifest", "queries_to_conditions", "result_batch"]

_SERVICE = "/reconcile"


def manifest(name: str, base_iri: str, root: str, default_types: list[dict[str, str]], batch_size: int,
             preview: dict[str, int]) -> dict[str, Any]:
    """The 0.2 service manifest; ``root`` is the absolute URL of the app (no trailing slash)."""

    def service(path: str) -> dict[str, str]:
        return {"service_url": root, "service_path": f"{_SERVICE}{path}"}

    return {
        "versions": ["0.2"],
        "name": name,
        "identifierSpace": f"{base_iri}id/",
        "schemaSpace": f"{base_iri}ontology#",
        "documentation": base_iri,
        "defaultTypes": default_types,
        "view": {"url": f"{root}{_SERVICE}/view?id={{{{id}}}}"},
        "preview": {"url": f"{root}{_SERVICE}/preview?id={{{{id}}}}", **preview},
        "suggest": {kind: service(f"/suggest/{kind}") for kind in ("entity", "type", "property")},
        "extend": {"propose_properties": service("/extend/propose"), "property_settings": []},
        "batchSize": batch_size,
    }


def queries_to_conditions(batch: Any) -> dict[str, dict[str, Any]]:
    """The 1.0-draft form of each query of a 0.2 batch, by query key.

    Raises:
        HTTPException 400: the batch is not an object of queries, or a query has neither ``query`` nor
            ``properties``, an empty ``query``, a property without ``pid`` / ``v`` or a bad ``limit``.
    """
    if not isinstance(batch, dict):
        raise HTTPException(400, "expected 'queries' to be a JSON object of queries keyed by query id")
    return {str(key): _conditions(str(key), query) for key, query in batch.items()}


def _conditions(key: str, query: Any) -> dict[str, Any]:
    if not isinstance(query, dict):
        raise HTTPException(400, f"query {key!r}: expected an object")
    text, properties = query.get("query"), query.get("properties", [])
    if text is not None and (not isinstance(text, str) or not text.strip()):
        raise HTTPException(400, f"query {key!r}: 'query' must be a non-empty string")
    if not isinstance(properties, list) or not all(isinstance(p, dict) and "pid" in p and "v" in p
                                                   for p in properties):
        raise HTTPException(400, f"query {key!r}: 'properties' must be an array of {{pid, v}} objects")
    if text is None and not properties:
        raise HTTPException(400, f"query {key!r}: give 'query', 'properties' or both")
    limit = query.get("limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise HTTPException(400, f"query {key!r}: 'limit' must be a positive integer")
    # without a name, the properties are the only criterion: they must match (a WHERE clause)
    conditions = [{"matchType": "name", "v": text}] if text is not None else []
    conditions += [{"matchType": "property", "pid": p["pid"], "v": p["v"], "required": text is None}
                   for p in properties]
    converted: dict[str, Any] = {"conditions": conditions}
    if query.get("type"):
        converted["type"] = query["type"]
    if limit is not None:
        converted["limit"] = limit
    return converted


def result_batch(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{key: {"result": [candidate…]}}`` from 1.0-draft results ``{key: {"candidates": […]}}``."""
    return {key: {"result": [_candidate(c) for c in result["candidates"]]} for key, result in results.items()}


def _candidate(candidate: dict[str, Any]) -> dict[str, Any]:
    features = [{"id": f["id"], "value": f["value"]} for f in candidate.get("features", [])]
    return {**candidate, "features": features}


def extension_response(meta: list[dict[str, str]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The 0.2 data-extension response from the 1.0-draft one: ``rows`` keyed by entity id, then property id."""
    return {"meta": meta,
            "rows": {row["id"]: {p["id"]: p["values"] for p in row["properties"]} for row in rows}}

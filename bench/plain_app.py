"""The reference: a plain FastAPI route returning fixed JSON, served like `kg serve` (uvicorn, one worker).

    python -m uvicorn bench.plain_app:app --port 18001
"""

from __future__ import annotations

from fastapi import FastAPI

__all__ = ["app"]

app = FastAPI()
_BODY = {"id": "syn-company-0000028", "label": "Synthetic Company 28", "kind": "company", "claims": 27}


@app.get("/fixed")
def fixed() -> dict[str, object]:
    """The same four-field object every time."""
    return _BODY

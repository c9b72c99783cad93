"""The reconciliation service (W3C Entity Reconciliation API, 1.0 draft) at /reconcile.

Mount it in api/main.py with ``app.include_router(reconcile.build_router())``.
"""

from api.reconcile.router import build_router

__all__ = ["build_router"]

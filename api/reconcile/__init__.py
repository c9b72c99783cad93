"""The reconciliation service at /reconcile (W3C Entity Reconciliation API: 0.2 at the root, 1.0 draft).

Mount it in api/main.py with ``app.include_router(reconcile.build_router())``.
"""

from api.reconcile.router import build_router

__all__ = ["build_router"]

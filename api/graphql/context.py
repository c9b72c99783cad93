"""The per-request GraphQL context: the query runner (store + counter), fresh DataLoaders and the shared list
orders.

Built by the router's context getter for each request, so loader caches never outlive a request and the
store query count (`GraphQLContext.stats`) is per request. The list orders (api/graphql/lists.py) are the
router's, shared by its requests and keyed on the store version.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from api.graphql import loaders
from api.graphql.memo import Lru
from api.graphql.runner import QueryRunner, QueryStats
from kg.config import Settings
from kg.store import KgStore

__all__ = ["GraphQLContext"]


class GraphQLContext(BaseContext):
    """Everything a resolver may use: settings, the runner and one DataLoader per batch function.

    Args:
        store: the store, or a callable opening it on first use.
        settings: the service settings (page-size limit, default language…).
        lang: the default language of labels when a field's ``lang`` argument is not given.
        orders: the kept orders of entity lists, shared across requests (None: none kept).
    """

    def __init__(self, store: KgStore | Callable[[], KgStore], settings: Settings, lang: str = "en",
                 orders: Lru[list[str]] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.lang = lang
        self.orders = orders
        self.runner = QueryRunner(store)
        run = self.runner
        self.nodes = DataLoader(load_fn=partial(loaders.load_nodes, run))
        self.inverse = DataLoader(load_fn=partial(loaders.load_inverse, run))
        self.slugs = DataLoader(load_fn=partial(loaders.load_slugs, run))
        self.timeline = DataLoader(load_fn=partial(loaders.load_timeline, run))
        self.programme_investments = DataLoader(load_fn=partial(loaders.load_programme_investments, run))
        self.sort_keys = DataLoader(load_fn=partial(loaders.load_sort_keys, run))

    @property
    def stats(self) -> QueryStats:
        return self.runner.stats

    @property
    def max_page(self) -> int:
        return self.settings.graphql_max_page

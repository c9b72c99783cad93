"""Linked Data publishing: every entity IRI under the base dereferences to an HTML page or an RDF document.

Modules, from the edge inwards:

    router     GET|HEAD /id/{kind}/{name}: negotiation, headers (Vary, Link, ETag…), 404/400/406
    paths      request path → entity IRI and the format a file extension names
    formats    media types, extensions, negotiation (api.sparql.negotiation), RDF writers, JSON-LD
    caching    ETag / Last-Modified / Cache-Control and conditional GET
    describe   the named queries kg/queries/entity/{describe,labels,inbound}.rq
    view       the page as data (labels, types, identifiers, facts, timeline, neighbours both ways)
    facts      claim nodes as rows: value in words, qualifier, unit, as-of, rank, sources, disputed
    display    labels by language, links (ours → local paths, others only http/https), numbers

The page template is api/templates/entity.html.
"""

from api.linked_data.router import build_router

__all__ = ["build_router"]

"""The read-only SPARQL 1.1 Protocol endpoint at ``/sparql``.

Modules, from the edge inwards:

    router        FastAPI routes: GET/POST /sparql, thin
    protocol      HTTP request → ``ProtocolRequest`` (query text, dataset, format hints)
    analysis      a small SPARQL lexer: query form, dataset clause, SERVICE targets, update detection
    negotiation   Accept header (q-values, wildcards, aliases) → the media type to produce
    page          the analyst query page (HTML) and the example queries of ``kg/queries/*.rq``
    description   the SPARQL Service Description served when no query is given
    executor      parent side of the worker pool: time limit, SIGKILL and replacement
    worker        child side: opens the published store read-only, runs, caps rows, serialises
    results       serialisers of SELECT/ASK/CONSTRUCT results (JSON, XML, CSV, TSV, RDF formats)
    jobs          the picklable messages between executor and worker

This package's ``__init__`` imports nothing, so that worker processes load only ``worker`` and its
light dependencies (pyoxigraph and the standard library), never FastAPI.
"""

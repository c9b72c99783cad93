"""Importers of open data sets into their own named graph ``<base>graph/import/<name>``.

    import_file(kind, path, settings, downloaded=day) -> ImportResult

Each importer reads a file in the publisher's own layout into curated-style records (kg.curated.records), maps
them with the curated mapping (so imported data has the same shape as curated data), describes the data set as
an ``eip:Dataset`` (version, the download date it is given), validates the result with the SHACL shapes and
writes ``<data_dir>/imports/<name>.nt`` atomically; the next `kg build` loads, infers over and validates it again
with the rest of the graph.
"""

from kg.importers.common import IMPORTERS, ImportResult, import_file

__all__ = ["IMPORTERS", "ImportResult", "import_file"]

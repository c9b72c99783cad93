"""YAML reading that keeps line numbers, so every error can name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kg.errors import SourceError

__all__ = ["LINE_KEY", "read_yaml"]

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that stores each mapping's 1-based line under LINE_KEY."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [key.value for key, _ in node.value]
        duplicates = {k for k in keys if keys.count(k) > 1}
        if duplicates:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {sorted(duplicates)[0]!r}", node.start_mark)
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


# Dates stay text: the mapping parses them with their precision (and names the line of an impossible one).
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """Parse ``path``; a syntax or encoding error becomes a SourceError naming file and line."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise SourceError(f"file not found: {path}") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 (byte {exc.start}: {exc.reason})", location=str(path)) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise SourceError(f"YAML syntax error: {exc.problem or exc.context}", location=where) from exc
    except yaml.YAMLError as exc:
        raise SourceError(f"YAML error: {exc}", location=str(path)) from exc

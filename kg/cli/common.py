"""What every `kg` command shares: exit codes, error printing, settings from the global options.

Exit codes (also in `kg --help`): 0 ok, 1 validation or data problems, 2 usage (bad option, bad query),
3 store problems (missing, corrupt, not writable).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import IntEnum
from typing import Any, TypeVar

import typer

from kg.config import Settings
from kg.errors import KgError, QueryError, StoreError

__all__ = ["ExitCode", "echo_err", "exit_code_for", "handle_errors", "print_error", "settings_of"]

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    OK = 0
    DATA = 1
    USAGE = 2
    STORE = 3


def exit_code_for(error: KgError) -> ExitCode:
    """The exit code of a kg error: store problems 3, malformed queries 2, everything else (data) 1."""
    if isinstance(error, StoreError):
        return ExitCode.STORE
    if isinstance(error, QueryError):
        return ExitCode.USAGE
    return ExitCode.DATA


def echo_err(message: str) -> None:
    """Print a message on stderr (data goes to stdout)."""
    typer.echo(message, err=True)


def print_error(error: KgError) -> None:
    echo_err(f"error: {error}")
    if error.hint:
        echo_err(f"hint: {error.hint}")


def handle_errors(command: F) -> F:
    """Turn a KgError into its message and hint on stderr and its exit code, without a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KgError as error:
            print_error(error)
            raise typer.Exit(exit_code_for(error)) from None
        except BrokenPipeError:  # `kg export | head`
            raise typer.Exit(ExitCode.OK) from None
        except OSError as error:  # e.g. an output file in a folder that does not exist
            echo_err(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "))
            raise typer.Exit(ExitCode.DATA) from None

    return wrapper  # type: ignore[return-value]


def settings_of(ctx: typer.Context) -> Settings:
    """The Settings built by the app callback from the environment and the global options."""
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):
        raise RuntimeError("the kg app callback did not run")
    return settings

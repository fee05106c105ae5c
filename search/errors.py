"""Errors the engine raises, each carrying the CLI exit code that reports it.

Exit codes follow grep's convention for the first three (0 hits, 1 no hits, 2 usage), then one
code per failure a script may want to tell apart.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``fouille`` command, documented in the README."""

    OK = 0
    NO_HITS = 1
    USAGE = 2
    CORPUS = 3
    INDEX = 4
    LOCKED = 5
    NOT_FOUND = 6
    INTERRUPTED = 130


class FouilleError(Exception):
    """Base of every error meant for the user: its message is one line, without a traceback."""

    exit_code: ExitCode = ExitCode.INDEX

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} ({self.hint})" if self.hint else message


class QueryError(FouilleError):
    """The query cannot be run as typed (e.g. an empty field filter or an invalid date)."""

    exit_code = ExitCode.USAGE


class SettingsError(FouilleError):
    """The settings file (or a variants file) cannot be read or holds a value that cannot work."""

    exit_code = ExitCode.USAGE


class CorpusError(FouilleError):
    """The corpus folder is missing or unreadable."""

    exit_code = ExitCode.CORPUS


class IndexUnavailable(FouilleError):
    """The index cannot be read or written (and could not be rebuilt automatically)."""

    exit_code = ExitCode.INDEX


class IndexLockedError(FouilleError):
    """Another process is writing the index."""

    exit_code = ExitCode.LOCKED


class DocumentNotFound(FouilleError):
    """No document with that id is in the index."""

    exit_code = ExitCode.NOT_FOUND


STOPPED = "indexing stopped"
"""What a stopped writer says; the indexer adds what remains (the previous index, none at all,
or an unchanged index), which only it knows."""


class IndexingCancelled(FouilleError):
    """The build or update was stopped before it finished; the message says what remains."""

    exit_code = ExitCode.INTERRUPTED

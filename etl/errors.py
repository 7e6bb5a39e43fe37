"""Errors of the ETL, each naming the file, the row or variable, and the problem."""

from __future__ import annotations

from pathlib import Path

from core.errors import describe_database_error


class EtlError(Exception):
    """A problem with an input that stops a load; the database is left as it was."""

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        variable: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.row = row
        self.variable = variable
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.variable:
            where.append(f"variable {self.variable!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.problem}" if prefix else self.problem


class CodebookError(EtlError):
    """The codebook itself is malformed or refers to things that do not exist."""


class CatalogueError(EtlError):
    """The harmonised catalogue (data/catalogue/*.yaml) is malformed or refers to things that do not exist."""


class LoadConflict(EtlError):
    """Another load of the same wave holds the lock."""


class PartialLoadError(EtlError):
    """Some waves of a run failed to load (each left as it was) while others were loaded."""

    def __init__(self, failures: dict[str, EtlError | Exception], loaded: list[str]) -> None:
        self.failures = failures
        self.loaded = loaded
        lines = [f"{wave}: {error if isinstance(error, EtlError) else describe_database_error(error)}"
                 for wave, error in failures.items()]
        lines.append(f"Not loaded, left as they were: {', '.join(failures)}.")
        lines.append(f"Loaded in this run: {', '.join(loaded) if loaded else 'none'}.")
        super().__init__("\n".join(lines))

    def describe(self) -> str:  # the message is complete as built
        return self.problem


class FetchError(EtlError):
    """A download of an official table failed (no network, refused, HTTP error); nothing was written."""

"""Base class for typed domain errors (STYLE C2); each app's errors.py adds a code enum."""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    """A failure the user can act on. `code` is stable; `message` is for people."""

    code: StrEnum

    def __init__(self, code: StrEnum, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

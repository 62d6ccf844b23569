"""Error types for flow files.

Every problem the loader finds becomes one `FlowError` naming the file, the 1-based line and
column of the YAML node, a breadcrumb to it (``navigate.desktop[2].click[0].role``), what is
wrong and, where there is one, a likely fix. The loader raises every problem of a file
together as `FlowErrors`, so a flow author fixes a file in one round.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FlowError:
    """One problem in a flow file, at one place: ``file:line:col: path: message (hint)``.

    The path is left out for problems of the whole file (a YAML syntax error, an unreadable
    file); "did you mean" suggestions are part of the message.
    """

    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        path = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.file}:{self.line}:{self.col}: {path}{self.message}{hint}"


class FlowErrors(Exception):
    """Every problem found in one flow file, in file order; ``str()`` prints one per line."""

    def __init__(self, errors: Sequence[FlowError]) -> None:
        self.errors: list[FlowError] = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __iter__(self) -> Iterator[FlowError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

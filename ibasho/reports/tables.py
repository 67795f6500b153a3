"""The shape every report figure takes: tables of rows and columns, with an optional total
row, and a report made of tables. Plain data, serialisable to JSON for background jobs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PEOPLE = "people"  # a count of people: suppressed when small
COUNT = "count"  # a count of contacts or attendances: suppressed when small
HOURS = "hours"  # follows the row's people cell
NUMBER = "number"  # an average, a median, a share: follows the row's people cell
PUBLIC = "public"  # a figure from public statistics (population, estimate): never suppressed

COUNTED = (PEOPLE, COUNT)

SHOWN = "shown"
SMALL = "small"  # below the threshold: primary suppression
HIDDEN = "hidden"  # hidden so that a small cell cannot be worked out: complementary suppression


@dataclass
class Column:
    key: str
    label: str
    kind: str = PEOPLE


@dataclass
class Row:
    key: str
    label: str
    values: list[float | int | None]
    note: str = ""
    states: list[str] = field(default_factory=list)

    def state(self, index: int) -> str:
        return self.states[index] if self.states else SHOWN


@dataclass
class Table:
    key: str
    title: str
    term: str  # the glossary entry that defines the figures
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    suppressed: bool = False

    @property
    def key_column(self) -> int | None:
        """The people column whose smallness hides the row's hours and averages."""
        for index, column in enumerate(self.columns):
            if column.kind == PEOPLE:
                return index
        return None

    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total else [])]


@dataclass
class Headline:
    key: str
    label: str
    value: float | int | None
    term: str
    kind: str = PEOPLE
    state: str = SHOWN


@dataclass
class Report:
    kind: str
    title: str
    organisation: str
    period_label: str
    date_from: str
    date_to: str
    made_on: str
    tables: list[Table]
    headlines: list[Headline] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    suppressed: bool = False
    threshold: int = 5

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        tables = []
        for t in data["tables"]:
            total = Row(**t["total"]) if t.get("total") else None
            tables.append(
                Table(
                    **{
                        **t,
                        "columns": [Column(**c) for c in t["columns"]],
                        "rows": [Row(**r) for r in t["rows"]],
                        "total": total,
                    }
                )
            )
        return cls(
            **{
                **data,
                "tables": tables,
                "headlines": [Headline(**h) for h in data.get("headlines", [])],
            }
        )

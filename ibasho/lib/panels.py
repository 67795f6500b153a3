"""Registries that let each domain app add a panel to a shared page (the person page, Today)
without the page's own app importing it."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ibasho.lib.prepared import Pending, together


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: Callable[..., dict[str, Any] | None]
    # A panel that reads the database names its reads here; its context is then called with
    # their rows as a last argument, so a page can ask for them with its own (`asked`).
    queries: Callable[..., list[Pending]] | None = None


@dataclass
class PanelRegistry:
    panels: dict[str, Panel] = field(default_factory=dict)

    def register(
        self,
        name: str,
        *,
        template: str,
        context: Callable[..., dict[str, Any] | None],
        order: int = 100,
        queries: Callable[..., list[Pending]] | None = None,
    ) -> None:
        self.panels[name] = Panel(name, order, template, context, queries)

    def asked(self, *args: Any) -> dict[str, list[Pending]]:
        """The panels' reads for these arguments, for `read_with_panels`."""
        return {p.name: p.queries(*args) for p in self.panels.values() if p.queries is not None}

    def render_list(
        self, *args: Any, read: dict[str, list[list[Any]]] | None = None
    ) -> list[dict[str, Any]]:
        """Each panel's template and context, in order; a panel whose context is None is hidden.
        `read`: the rows of the panels' reads, by panel, where the page asked for them."""
        shown = []
        for panel in sorted(self.panels.values(), key=lambda p: (p.order, p.name)):
            if panel.queries is None:
                context = panel.context(*args)
            elif read is not None and panel.name in read:
                context = panel.context(*args, read[panel.name])
            else:
                context = panel.context(*args, together(*panel.queries(*args)))
            if context is not None:
                shown.append({"name": panel.name, "template": panel.template, "context": context})
        return shown


person_panels = PanelRegistry()
# The top of the person page, kept small enough for one phone screen: banners that must be
# seen first (a suspension, a possible duplicate, open safety events) as panels, and each
# app's few facts (stage, trust, safety) as `{"facts": [Fact...], "actions": [Action...]}`.
person_summary_panels = PanelRegistry()
person_facts = PanelRegistry()
# The visit card (a door visit on a phone, or printed): each app's facts in the same shape,
# plus `{"contacts": [...]}` for the latest contacts and their next steps.
visit_facts = PanelRegistry()


@dataclass(frozen=True)
class Fact:
    """One line of the person's summary: a label, a value and where to read more."""

    label: str
    value: str
    url: str = ""
    warn: bool = False
    # Glossary entries that define the figure: (anchor, the figure's name), a "?" link each.
    terms: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    primary: bool = False


def read_with_panels(
    own: Sequence[Pending], asked: dict[str, list[Pending]]
) -> tuple[list[list[Any]], dict[str, list[list[Any]]]]:
    """A page's own reads and its panels' (`PanelRegistry.asked`), asked together: the rows of
    its own, and those of each panel's for `render_list(read=...)`."""
    found = together(*own, *(query for queries in asked.values() for query in queries))
    mine, rest = found[: len(own)], found[len(own) :]
    read = {}
    for name, queries in asked.items():
        read[name], rest = rest[: len(queries)], rest[len(queries) :]
    return mine, read


def gathered(registry: PanelRegistry, *args: Any) -> dict[str, list[Any]]:
    """Every app's facts, actions and other lists from `registry`, merged in order."""
    merged: dict[str, list[Any]] = {}
    for panel in registry.render_list(*args):
        for key, items in panel["context"].items():
            merged.setdefault(key, []).extend(items)
    return merged


today_panels = PanelRegistry()
household_panels = PanelRegistry()

"""Registries that let each domain app add a panel to a shared page (the person page, Today)
without the page's own app importing it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: Callable[..., dict[str, Any] | None]


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
    ) -> None:
        self.panels[name] = Panel(name, order, template, context)

    def render_list(self, *args: Any) -> list[dict[str, Any]]:
        """Each panel's template and context, in order; a panel whose context is None is hidden."""
        shown = []
        for panel in sorted(self.panels.values(), key=lambda p: (p.order, p.name)):
            context = panel.context(*args)
            if context is not None:
                shown.append({"name": panel.name, "template": panel.template, "context": context})
        return shown


person_panels = PanelRegistry()
today_panels = PanelRegistry()

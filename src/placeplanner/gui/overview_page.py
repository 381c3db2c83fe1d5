"""The plan at a glance: what the partners bring, what is asked, and what is in the plan."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.widgets import card, heading
from placeplanner.money import ROUNDING_RULE, Reconciliation, format_money, year_label


class OverviewPage(QWidget):
    # Counts and totals touch every table: refreshed on any change (cheap: straight from SQL).
    TABLES = frozenset({"info", "partners", "funding_streams", "needs", "values", "options", "participants",
                        "agreed_scores", "declarations", "individual_scores"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._service = editor.service
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(28, 24, 28, 24)
        self.refresh()

    def refresh(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        summary = self._service.summary()
        info = summary.info
        years = info.plan_years
        span = f"{year_label(years[0])} to {year_label(years[-1])}"
        title = info.title or info.place
        subtitle = "Every change is saved as you make it" if span in title else f"{span} · every change is saved as you make it"
        self._layout.addWidget(heading(title, subtitle))
        grid = QGridLayout()
        grid.setSpacing(14)
        for column, year in enumerate(years):
            budget = summary.budget_by_year.get(year, 0.0)
            asked = summary.cost_by_year.get(year, 0.0)
            grid.addWidget(card(format_money(budget), f"shared budget in {year_label(year)}"), 0, column)
            released = summary.savings_by_year.get(year, 0.0)
            extra = f", {format_money(released)} released by decommissions" if released else ""
            grid.addWidget(card(format_money(asked), f"asked by options in {year_label(year)}{extra}"), 1, column)
        total_budget = sum(summary.budget_by_year.values())
        released = sum(summary.savings_by_year.values())
        # Decommissions release money into the pot, so they count against the asks.
        gap = sum(summary.cost_by_year.values()) - total_budget - released
        grid.addWidget(card(format_money(total_budget), f"shared budget over the {len(years)} years"), 0, len(years))
        grid.addWidget(card(format_money(abs(gap)), "more asked than the budget and releases cover: the group must choose" if gap > 0
                            else "left over if every option were funded"), 1, len(years))
        asked = sum(summary.cost_by_year.values())
        self.reconciliation = QLabel("If every option were funded: " + Reconciliation(total_budget, released, asked).words("asked"))
        self.reconciliation.setObjectName("caption")
        self.reconciliation.setWordWrap(True)
        self.reconciliation.setAccessibleName("How the budget and the asks add up")
        self.reconciliation.setToolTip(ROUNDING_RULE)
        counts = summary.counts
        shown = [
            ("partners", "partners"), ("funding_streams", "funding streams"), ("needs", "needs"),
            ("values", "shared values"), ("options", "options"), ("participants", "participants"),
        ]
        across = len(years) + 1
        for index, (key, caption) in enumerate(shown):
            grid.addWidget(card(f"{counts.get(key, 0):,}", caption), 2 + index // across, index % across)
        self._layout.addLayout(grid)
        self._layout.addWidget(self.reconciliation)
        note = QLabel(f"{summary.mandatory_options} mandatory options · {counts.get('individual_scores', 0):,} individual scores "
                      f"· {counts.get('agreed_scores', 0):,} agreed scores · {counts.get('results', 0):,} stored results")
        note.setObjectName("caption")
        self._layout.addWidget(note)
        self._layout.addStretch(1)

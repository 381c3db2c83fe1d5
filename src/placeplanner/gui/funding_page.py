"""Partners and funding: what each partner brings to the shared budget, year by year.

Every cell edit goes through the plan editor, so it is saved at once and can be undone; a
refused edit leaves the plan as it was and says why under its table (never in a dialog, so an
edit made from code or a test cannot block).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError
from placeplanner.gui import theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.record_table import (
    ChoiceDelegate,
    Column,
    HintDelegate,
    InlineMessage,
    RecordTable,
    button,
    delete_key,
    section_title,
    unique_name,
)
from placeplanner.gui.widgets import heading
from placeplanner.model import FundingStream, Partner, PlanData
from placeplanner.money import (
    format_exact_money,
    format_money,
    format_quantity,
    parse_money,
    year_label,
)

Index = QModelIndex | QPersistentModelIndex
PARTNER_KINDS = ("ICB", "council", "NHS trust", "primary care network", "voluntary sector")
UNITS = ("GBP", "staff hours", "beds")
RING_FENCE_TIP = (
    "Ring-fenced: this money may only fund options of these kinds or tags. "
    "Write them as kind:invest, tag:Prevention; leave blank for any option."
)
# NHS identity colours, in an order that keeps neighbouring bars apart.
PALETTE = ("#005eb8", "#ed8b00", "#007f3b", "#330072", "#00a9ce", "#ae2573", "#768692", "#ffb81c", "#78be20", "#41b6e6")


def parse_ring_fence(text: str) -> tuple[str, ...]:
    """'Kind: invest, tag:Prevention' -> ('kind:invest', 'tag:Prevention'); the plan's rules
    judge the tokens (an unknown kind is refused with its reason)."""
    tokens: list[str] = []
    for raw in re.split(r"[,;]", str(text)):
        prefix, sep, name = raw.strip().partition(":")
        if prefix:
            tokens.append(f"{prefix.strip().lower()}:{name.strip()}" if sep else prefix.strip())
    return tuple(dict.fromkeys(tokens))


def with_amount(stream: FundingStream, year: int, amount: float) -> FundingStream:
    amounts = dict(stream.amounts)
    amounts[year] = amount
    return replace(stream, amounts=tuple(sorted(amounts.items())))


def budget_by_partner(plan: PlanData) -> dict[str, dict[int, float]]:
    """Money (GBP) each partner brings in each plan year, partners in the plan's order."""
    years = plan.info.plan_years
    budget: dict[str, dict[int, float]] = {}
    for partner in plan.partners:
        streams = [s for s in plan.funding_streams if s.partner == partner.name and s.unit == "GBP"]
        if streams:
            budget[partner.name] = {y: sum(s.amount_in(y) for s in streams) for y in years}
    return budget


def totals_caption(plan: PlanData) -> str:
    """'Shared budget 2027/28: £7.00m · 2028/29: £6.85m', then any other resources by unit."""
    years = plan.info.plan_years
    money = [s for s in plan.funding_streams if s.unit == "GBP"]
    parts = [f"{year_label(y)}: {format_money(sum(s.amount_in(y) for s in money))}" for y in years]
    text = f"Shared budget {' · '.join(parts)}"
    for unit in dict.fromkeys(s.unit for s in plan.funding_streams if s.unit != "GBP"):
        held = [s for s in plan.funding_streams if s.unit == unit]
        text += "\nAlso brought, not money: " + " · ".join(
            f"{year_label(y)}: {format_quantity(sum(s.amount_in(y) for s in held), unit)}" for y in years)
    return text


def _amount_text(stream: FundingStream, year: int) -> str:
    amount = stream.amount_in(year)
    return format_money(amount) if stream.unit == "GBP" else format_quantity(amount, "")


def _plain_amount(amount: float) -> str:
    """2,500,000 or 12.5: the full figure, for editing."""
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def _amount_tip(stream: FundingStream, year: int) -> str:
    amount = stream.amount_in(year)
    exact = format_exact_money(amount) if stream.unit == "GBP" else format_quantity(amount, stream.unit)
    return f"{stream.name} in {year_label(year)}: {exact}. Type an amount such as £1.2m, 350k or 1,200,000."


# --- the chart ---------------------------------------------------------------------------------


class BudgetChart(QWidget):
    """Stacked bars: the shared budget in each year, by the partner who brings it."""

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setTextPen(pg.mkPen(theme.INK))
            axis.setPen(pg.mkPen("#c5ccd6"))
        self.plot.setMinimumSize(260, 180)
        # The tables, not the chart, decide how tall the page's halves are.
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.plot.setAccessibleName("Shared budget by partner and year")
        layout.addWidget(self.plot, 5)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.legend.setAccessibleName("Key to the budget chart")
        layout.addWidget(self.legend, 4)
        self.bars: list[pg.BarGraphItem] = []

    def show_budget(self, plan: PlanData) -> None:
        years = plan.info.plan_years
        budget = budget_by_partner(plan)
        self.plot.clear()
        self.bars = []
        bottoms = [0.0] * len(years)
        colours = {p.name: PALETTE[i % len(PALETTE)] for i, p in enumerate(plan.partners)}
        for partner, by_year in budget.items():
            heights = [by_year[y] / 1e6 for y in years]
            bar = pg.BarGraphItem(x=list(range(len(years))), height=heights, y0=list(bottoms), width=0.56,
                                  brush=pg.mkBrush(colours[partner]), pen=pg.mkPen("w", width=1.5))
            self.plot.addItem(bar)
            self.bars.append(bar)
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for x, total in enumerate(bottoms):
            label = pg.TextItem(format_money(total * 1e6), color=theme.INK, anchor=(0.5, 1.15))
            label.setFont(_bold_font(15))
            label.setPos(x, total)
            self.plot.addItem(label)
        self.plot.getAxis("bottom").setTicks([[(x, year_label(y)) for x, y in enumerate(years)]])
        self.plot.setXRange(-0.6, len(years) - 0.4, padding=0)
        self.plot.setYRange(0, max([*bottoms, 0.1]) * 1.22, padding=0)
        rows = "".join(
            f"<tr><td style='color:{colours[name]}; font-size:18px; padding-right:6px'>■</td>"
            f"<td style='padding-bottom:6px'>{html.escape(name)}<br><span style='color:{theme.MUTED}'>"
            f"{' · '.join(format_money(by_year[y]) for y in years)}</span></td></tr>"
            for name, by_year in budget.items()
        )
        self.legend.setText(f"<table>{rows}</table>" if rows else "No partner brings money yet.")
        self.plot.setAccessibleDescription("; ".join(
            f"{year_label(y)}: " + ", ".join(f"{n} {format_money(b[y])}" for n, b in budget.items()) for y in years))


def _bold_font(pixels: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(True)
    return font


# --- the page --------------------------------------------------------------------------------


class FundingPage(QWidget):
    TABLES = frozenset({"partners", "funding_streams", "info"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._plan: PlanData | None = None
        self._years: tuple[int, ...] = ()
        self._note = ""  # said after the current edit is saved
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(8)
        layout.addWidget(heading(
            "Partners and funding",
            "What each partner brings to the shared budget, year by year. Double-click a cell to change it; "
            "every change is saved as you make it and can be undone.",
        ))

        top = QHBoxLayout()
        top.setSpacing(32)
        left = QVBoxLayout()
        left.addWidget(section_title("Partners"))
        self.partners = RecordTable(self._partner_columns(), "Partners",
                                    "The organisations in the place: ICB, council, NHS trusts, primary care, voluntary sector")
        self.partners.setItemDelegateForColumn(1, ChoiceDelegate(self._kind_choices, self.partners, free=True))
        self.partners.set_widths((0, 200, 100))
        left.addWidget(self.partners, 1)
        self.partner_message = InlineMessage("Partners: message about the last change")
        left.addWidget(self.partner_message)
        self.add_partner_button = button("Add partner", "Add an organisation in the place", self.add_partner)
        self.delete_partner_button = button("Delete partner", "Delete the selected partner (Delete key); Undo puts it back",
                                            self.delete_partner)
        left.addLayout(_row(self.add_partner_button, self.delete_partner_button))
        top.addLayout(left, 11)
        right = QVBoxLayout()
        right.addWidget(section_title("Shared budget by partner (£m)"))
        self.chart = BudgetChart()
        right.addWidget(self.chart, 1)
        top.addLayout(right, 9)
        layout.addLayout(top)

        layout.addSpacing(8)
        layout.addWidget(section_title("Funding streams"))
        self.streams = RecordTable([], "Funding streams",
                                   "The pots of resource each partner brings, per year; some are ring-fenced")
        self.streams.setItemDelegateForColumn(1, ChoiceDelegate(self._partner_choices, self.streams))
        self.streams.setItemDelegateForColumn(2, ChoiceDelegate(lambda: [(u, u) for u in UNITS], self.streams, free=True))
        self.streams.setItemDelegateForColumn(3, HintDelegate("kind:invest, tag:Prevention", self.streams))
        layout.addWidget(self.streams)
        self.stream_message = InlineMessage("Funding streams: message about the last change")
        layout.addWidget(self.stream_message)
        self.add_stream_button = button("Add stream", "Add a pot of resource a partner brings", self.add_stream)
        self.delete_stream_button = button("Delete stream", "Delete the selected funding stream (Delete key); Undo puts it back",
                                           self.delete_stream)
        self.totals = QLabel()
        self.totals.setStyleSheet(f"font-size: 18px; font-weight: 600; color: {theme.ACCENT};")
        self.totals.setAccessibleName("Shared budget per year")
        self.totals.setToolTip("The money streams (GBP) added up for each financial year")
        self.other_resources = QLabel()
        self.other_resources.setObjectName("caption")
        self.other_resources.setAccessibleName("Other resources per year")
        totals = QVBoxLayout()
        totals.setSpacing(2)
        totals.addWidget(self.totals, 0, Qt.AlignmentFlag.AlignRight)
        totals.addWidget(self.other_resources, 0, Qt.AlignmentFlag.AlignRight)
        bottom = _row(self.add_stream_button, self.delete_stream_button)
        bottom.addLayout(totals)
        layout.addLayout(bottom)
        layout.addStretch(1)

        for table, message, delete in ((self.partners, self.partner_message, self.delete_partner),
                                       (self.streams, self.stream_message, self.delete_stream)):
            table.source.refused.connect(lambda reason, m=message: self._refuse(m, reason))
            table.source.edited.connect(self._after_edit)
            table.selectionModel().selectionChanged.connect(self._update_buttons)
            delete_key(table, delete)
        self.refresh()

    # --- showing

    def refresh(self) -> None:
        plan = self._editor.service.read()
        self._plan = plan
        years = plan.info.plan_years
        self.partners.show_records(plan.partners)
        columns = self._stream_columns(years) if years != self._years else None
        self._years = years
        self.streams.show_records(plan.funding_streams, columns)
        if columns is not None:
            self.streams.set_widths((0, 0, 120, 210, *(120 for _ in years)))
        caption = totals_caption(plan).split("\n")
        self.totals.setText(caption[0])
        self.other_resources.setText("\n".join(caption[1:]))
        self.other_resources.setVisible(len(caption) > 1)
        self.chart.show_budget(plan)
        self._update_buttons()

    def _sync(self) -> None:
        """Catch up when nothing connected ``refresh`` to the editor (the page used on its own)."""
        if self._editor.service.read() is not self._plan:
            self.refresh()

    def _after_edit(self) -> None:
        self.partner_message.clear()
        self.stream_message.clear()
        if self._note:
            self.stream_message.note(self._note)
            self._note = ""
        self._sync()

    def _refuse(self, message: InlineMessage, reason: str) -> None:
        """One message at a time: the latest refusal is the one that matters."""
        self.partner_message.clear()
        self.stream_message.clear()
        message.refuse(reason)

    def _update_buttons(self) -> None:
        self.delete_partner_button.setEnabled(self.partners.selected_record() is not None)
        self.delete_stream_button.setEnabled(self.streams.selected_record() is not None)
        has_partners = bool(self._plan and self._plan.partners)
        self.add_stream_button.setEnabled(has_partners)
        self.add_stream_button.setToolTip("Add a pot of resource a partner brings" if has_partners else "Add a partner first: every stream belongs to one")

    def _current(self) -> PlanData:
        return self._plan if self._plan is not None else self._editor.service.read()

    # --- columns

    def _partner_columns(self) -> list[Column]:
        def streams_of(partner: Partner) -> list[FundingStream]:
            return [s for s in self._current().funding_streams if s.partner == partner.name]

        return [
            Column("Partner", lambda p: p.name, commit=lambda p, v: self._editor.rename(p, str(v)),
                   tip="An organisation in the place; renaming it renames it everywhere in the plan"),
            Column("Kind", lambda p: p.kind, commit=lambda p, v: self._editor.upsert(replace(p, kind=str(v).strip())),
                   tip="ICB, council, NHS trust, primary care network or voluntary sector", empty="not set"),
            Column("Streams", lambda p: str(len(streams_of(p))), sort=lambda p: len(streams_of(p)), numeric=True,
                   tip="How many funding streams the partner brings",
                   cell_tip=lambda p: "\n".join(s.name for s in streams_of(p)) or "Brings no funding stream yet"),
        ]

    def _stream_columns(self, years: tuple[int, ...]) -> list[Column]:
        def set_unit(s: FundingStream, value: Any) -> None:
            self._editor.upsert(replace(s, unit=str(value).strip()))

        columns = [
            Column("Funding stream", lambda s: s.name, commit=lambda s, v: self._editor.rename(s, str(v)),
                   tip="A pot of resource a partner brings; renaming it renames it in every option's costs"),
            Column("Partner", lambda s: s.partner, commit=lambda s, v: self._editor.upsert(replace(s, partner=str(v))),
                   tip="The partner who brings this money"),
            Column("Unit", lambda s: s.unit, commit=set_unit,
                   tip="GBP for money, or another resource such as staff hours or beds"),
            Column("Ring-fenced for", lambda s: ", ".join(s.ring_fenced_for), commit=self._set_ring_fence,
                   tip=RING_FENCE_TIP, empty="any option",
                   cell_tip=lambda s: (f"Ring-fenced: only options of {', '.join(s.ring_fenced_for)} may draw on it"
                                       if s.ring_fenced_for else "Not ring-fenced: any option may draw on it")),
        ]
        columns += [self._year_column(year) for year in years]
        return columns

    def _year_column(self, year: int) -> Column:
        def commit(s: FundingStream, value: Any) -> None:
            amount = value if isinstance(value, int | float) else parse_money(str(value))
            self._editor.upsert(with_amount(s, year, float(amount)), f"Change {year_label(year)} amount of “{s.name}”")

        return Column(year_label(year), lambda s: _amount_text(s, year), commit=commit,
                      edit=lambda s: _plain_amount(s.amount_in(year)), sort=lambda s: s.amount_in(year), numeric=True,
                      tip=f"Amount in {year_label(year)} (April to March); type £1.2m, 350k or 1,200,000",
                      cell_tip=lambda s: _amount_tip(s, year))

    def _set_ring_fence(self, stream: FundingStream, value: Any) -> None:
        tokens = parse_ring_fence(str(value))
        self._editor.upsert(replace(stream, ring_fenced_for=tokens))
        tags = {t for o in self._editor.service.read().options for t in o.tags}
        unknown = [t.partition(":")[2] for t in tokens if t.startswith("tag:") and t.partition(":")[2] not in tags]
        if unknown:  # saved, but worth saying: a typo here leaves the money unusable
            self._note = (f"Saved. No option has the tag {', '.join(repr(t) for t in unknown)} yet, "
                          f"so '{stream.name}' cannot fund anything until one does.")

    def _kind_choices(self) -> list[tuple[str, Any]]:
        kinds = dict.fromkeys([*PARTNER_KINDS, *(p.kind for p in self._current().partners if p.kind)])
        return [(k, k) for k in kinds]

    def _partner_choices(self) -> list[tuple[str, Any]]:
        return [(p.name, p.name) for p in self._current().partners]

    # --- adding and deleting

    def add_partner(self) -> None:
        plan = self._current()
        name = unique_name("New partner", [p.name for p in plan.partners])
        if self._attempt(self.partner_message, lambda: self._editor.upsert(Partner(name), f"Add partner “{name}”")):
            self.partners.edit_key((name,))

    def delete_partner(self) -> None:
        partner = self.partners.selected_record()
        if partner is None:
            return
        plan = self._editor.service.read()
        leads = sum(o.lead_partner == partner.name for o in plan.options)
        brings = sum(s.partner == partner.name for s in plan.funding_streams)
        if leads or brings:
            why = " and ".join(x for x in (leads and f"leads {_count(leads, 'option')}",
                                           brings and f"brings {_count(brings, 'funding stream')}") if x)
            self._refuse(self.partner_message, f"'{partner.name}' {why}; give them to another partner first")
            return
        if self._attempt(self.partner_message, lambda: self._editor.remove(partner)):
            self.partner_message.note(f"Deleted partner '{partner.name}'. Undo puts it back.")

    def add_stream(self) -> None:
        plan = self._current()
        if not plan.partners:
            self._refuse(self.stream_message, "there is no partner to bring a funding stream; add a partner first")
            return
        chosen = self.partners.selected_record()
        partner = chosen.name if chosen is not None else plan.partners[0].name
        name = unique_name("New funding stream", [s.name for s in plan.funding_streams])
        stream = FundingStream(name, partner, tuple((y, 0.0) for y in plan.info.plan_years))
        if self._attempt(self.stream_message, lambda: self._editor.upsert(stream, f"Add funding stream “{name}”")):
            self.streams.edit_key((name,))

    def delete_stream(self) -> None:
        stream = self.streams.selected_record()
        if stream is None:
            return
        drawing = [o.name for o in self._editor.service.read().options if any(c.stream == stream.name for c in o.costs)]
        if drawing:
            self._refuse(self.stream_message, f"{_count(len(drawing), 'option')} draw on '{stream.name}' "
                                       f"(for example '{drawing[0]}'); move their costs to another stream first")
            return
        if self._attempt(self.stream_message, lambda: self._editor.remove(stream)):
            self.stream_message.note(f"Deleted funding stream '{stream.name}'. Undo puts it back.")

    def _attempt(self, message: InlineMessage, action: Callable[[], None]) -> bool:
        try:
            action()
        except PlanError as exc:
            self._refuse(message, str(exc))
            return False
        self._after_edit()
        return True


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(10)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def _count(number: int, thing: str) -> str:
    return "" if not number else f"{number} {thing}{'s' * (number != 1)}"

"""Participants and declarations: who takes part in the meeting, and the interests they declared.

A declaration is known by its participant and what the interest is in (an option, or a partner,
covering every option it leads), so moving one to another person, option or partner is an add
and a delete made as one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError, ValidationError
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.record_table import (
    ChoiceDelegate,
    Column,
    InlineMessage,
    RecordTable,
    button,
    delete_key,
    section_title,
    unique_name,
)
from placeplanner.gui.widgets import heading
from placeplanner.model import Declaration, DeclarationAction, Participant, PlanData, record_key
from placeplanner.model.validation import validate_plan

Index = QModelIndex | QPersistentModelIndex

ACTION_LABELS = {
    DeclarationAction.NONE: "None recorded yet",
    DeclarationAction.RECUSED: "Did not score (recused)",
    DeclarationAction.ALLOWED: "Allowed to score",
    DeclarationAction.LEFT_ROOM: "Left the room",
}
RECORD_TIP = "Record this interest against the option or partner, dated today"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y")
CAPTION = ("A declared interest is recorded against an option, or against a partner to cover every option it "
           "leads; the action says whether the person left the room or did not score.")


def subject_value(declaration: Declaration) -> str:
    """What a declaration is about, as the value of a choice: 'option:<name>' or 'partner:<name>'."""
    return f"option:{declaration.option}" if declaration.option else f"partner:{declaration.partner}"


def with_subject(declaration: Declaration, value: Any) -> Declaration:
    """The declaration about what ``value`` (from ``subject_value``, or an option's name) names."""
    kind, _, name = str(value).partition(":")
    if kind == "partner":
        return replace(declaration, option="", partner=name.strip())
    return replace(declaration, option=(name if kind == "option" else str(value)).strip(), partner="")


def parse_action(value: Any) -> DeclarationAction:
    """A DeclarationAction from its value ('recused') or its label ('Did not score (recused)')."""
    text = str(value).strip()
    for action, label in ACTION_LABELS.items():
        if text.casefold() in {action.value, label.casefold()}:
            return action
    raise ValueError(f"'{text}' is not an action: choose {', '.join(ACTION_LABELS.values())}")


def parse_date(value: Any) -> date | None:
    """A date from the date editor, or typed as 10/03/2027, 2027-03-10 or 10 Mar 2027; blank is none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, QDate):
        return date(value.year(), value.month(), value.day())
    text = str(value).strip()
    if not text:
        return None
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date such as 10/03/2027")


def date_text(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day is not None else ""


class DateDelegate(QStyledItemDelegate):
    """A date editor with a calendar, written the English way (10 Mar 2027)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        from PySide6.QtWidgets import QDateEdit

        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("d MMM yyyy")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        from PySide6.QtWidgets import QDateEdit

        assert isinstance(editor, QDateEdit)
        day = index.data(Qt.ItemDataRole.EditRole)
        editor.setDate(QDate(day.year, day.month, day.day) if isinstance(day, date) else QDate.currentDate())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        from PySide6.QtWidgets import QDateEdit

        assert isinstance(editor, QDateEdit)
        model.setData(index, parse_date(editor.date()), Qt.ItemDataRole.EditRole)


class PeoplePage(QWidget):
    TABLES = frozenset({"participants", "declarations", "options"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._plan: PlanData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(8)
        layout.addWidget(heading(
            "Participants and declarations",
            "Who takes part in the meeting, and the interests they have declared. Double-click a cell to change it; "
            "every change is saved as you make it and can be undone.",
        ))

        layout.addWidget(section_title("Participants"))
        self.participants = RecordTable(self._participant_columns(), "Participants",
                                        "The people who score options: one voice each")
        self.participants.max_rows = 7
        self.participants.setItemDelegateForColumn(1, ChoiceDelegate(self._organisation_choices, self.participants, free=True))
        layout.addWidget(self.participants)
        self.participant_message = InlineMessage("Participants: message about the last change")
        layout.addWidget(self.participant_message)
        self.add_participant_button = button("Add participant", "Add a person who takes part in the meeting", self.add_participant)
        self.delete_participant_button = button(
            "Delete participant", "Delete the selected participant with their declarations and scores (Delete key); Undo puts them back",
            self.delete_participant)
        layout.addLayout(_row(self.add_participant_button, self.delete_participant_button))

        layout.addSpacing(8)
        title_row = QHBoxLayout()
        title_row.addWidget(section_title("Declarations of interest"))
        self.declaration_count = QLabel()
        self.declaration_count.setObjectName("caption")
        title_row.addWidget(self.declaration_count, 0, Qt.AlignmentFlag.AlignBottom)
        title_row.addStretch(1)
        self.only_selected = QCheckBox("Only the selected participant's declarations")
        self.only_selected.setAccessibleName("Show only the declarations of the selected participant")
        self.only_selected.setToolTip("Select a participant above to see only the interests they declared")
        title_row.addWidget(self.only_selected, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(title_row)
        caption = QLabel(CAPTION)
        caption.setObjectName("caption")
        caption.setWordWrap(True)
        layout.addWidget(caption)
        self.declarations = RecordTable(self._declaration_columns(), "Declarations of interest",
                                        "Interests participants declared in options, and the action taken")
        for column, delegate in ((0, ChoiceDelegate(self._participant_choices, self.declarations)),
                                 (1, ChoiceDelegate(self._subject_choices, self.declarations)),
                                 (3, ChoiceDelegate(lambda: [(label, a.value) for a, label in ACTION_LABELS.items()], self.declarations)),
                                 (4, DateDelegate(self.declarations))):
            self.declarations.setItemDelegateForColumn(column, delegate)
        self.declarations.proxy.setFilterKeyColumn(0)
        layout.addWidget(self.declarations)
        self.declaration_message = InlineMessage("Declarations: message about the last change")
        layout.addWidget(self.declaration_message)
        form = self._declaration_form()
        layout.addLayout(_row(self.delete_declaration_button))
        layout.addWidget(form)
        layout.addStretch(1)

        for table, delete in ((self.participants, self.delete_participant), (self.declarations, self.delete_declaration)):
            table.source.refused.connect(lambda reason, t=table: self._refuse(self._message_of(t), reason))
            table.source.edited.connect(self._after_edit)
            table.selectionModel().selectionChanged.connect(self._update_controls)
            delete_key(table, delete)
        self.participants.set_widths((240, 0, 0, 140))
        self.declarations.set_widths((190, 340, 0, 210, 140))
        self.participants.selectionModel().selectionChanged.connect(self._apply_filter)
        self.only_selected.toggled.connect(self._apply_filter)
        self.refresh()

    def _declaration_form(self) -> QFrame:
        self.new_participant = QComboBox()
        self.new_participant.setAccessibleName("Participant declaring an interest")
        self.new_option = QComboBox()
        self.new_option.setAccessibleName("Option or partner the interest is in")
        self.new_option.setToolTip("An option, or a partner: an interest in a partner covers every option it leads, "
                                   "including options added later")
        self.new_interest = QLineEdit()
        self.new_interest.setPlaceholderText("What is the interest?")
        self.new_interest.setToolTip("In the person's own words, for example: her directorate would run the service")
        self.new_interest.setAccessibleName("The interest declared")
        self.new_action = QComboBox()
        self.new_action.setAccessibleName("Action taken")
        for action, label in ACTION_LABELS.items():
            self.new_action.addItem(label, action.value)
        self.record_button = button("Record declaration", RECORD_TIP, self.record_declaration)
        self.record_button.setObjectName("primary")
        self.new_interest.returnPressed.connect(self.record_declaration)
        self.delete_declaration_button = button("Delete declaration", "Delete the selected declaration (Delete key); Undo puts it back",
                                                self.delete_declaration)
        for combo in (self.new_participant, self.new_option, self.new_action):
            # Sized by the layout, not by the longest name in the list.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.new_interest.setMinimumWidth(200)
        form = QFrame()
        form.setObjectName("card")
        form.setAccessibleName("Record a declaration of interest")
        inner = QHBoxLayout(form)
        inner.setContentsMargins(14, 10, 14, 10)
        inner.setSpacing(10)
        title = QLabel("New declaration")
        title.setStyleSheet("font-weight: 600;")
        inner.addWidget(title)
        for widget, stretch in ((self.new_participant, 3), (self.new_option, 4), (self.new_interest, 5), (self.new_action, 3)):
            inner.addWidget(widget, stretch)
        inner.addWidget(self.record_button)
        return form

    # --- showing

    def refresh(self) -> None:
        plan = self._editor.service.read()
        self._plan = plan
        self.participants.show_records(plan.participants)
        self.declarations.show_records(plan.declarations)
        _refill(self.new_participant, self._participant_choices())
        subjects = self._subject_choices()
        _refill(self.new_option, subjects)
        if len(plan.options) < len(subjects):  # a line between the options and the partners
            self.new_option.insertSeparator(len(plan.options))
        self._apply_filter()

    def _apply_filter(self) -> None:
        chosen = self.participants.selected_record()
        name = chosen.name if chosen is not None and self.only_selected.isChecked() else None
        pattern = f"^{QRegularExpression.escape(name)}$" if name is not None else ""
        self.declarations.proxy.setFilterRegularExpression(pattern)
        shown, total = self.declarations.proxy.rowCount(), self.declarations.source.rowCount()
        self.declaration_count.setText(f"{shown} of {total}, by {name}" if name is not None else _count(total, "declaration"))
        if chosen is not None:
            self.new_participant.setCurrentText(chosen.name)
        self._update_controls()

    def _update_controls(self) -> None:
        self.delete_participant_button.setEnabled(self.participants.selected_record() is not None)
        self.delete_declaration_button.setEnabled(self.declarations.selected_record() is not None)
        plan = self._current()
        ready = bool(plan.participants and plan.options)
        self.record_button.setEnabled(ready)
        self.record_button.setToolTip(RECORD_TIP if ready
                                      else "Add a participant and an option first")

    def _sync(self) -> None:
        """Catch up when nothing connected ``refresh`` to the editor (the page used on its own)."""
        if self._editor.service.read() is not self._plan:
            self.refresh()

    def _after_edit(self) -> None:
        self.participant_message.clear()
        self.declaration_message.clear()
        self._sync()

    def _refuse(self, message: InlineMessage, reason: str) -> None:
        self.participant_message.clear()
        self.declaration_message.clear()
        message.refuse(reason)

    def _message_of(self, table: RecordTable) -> InlineMessage:
        return self.participant_message if table is self.participants else self.declaration_message

    def _current(self) -> PlanData:
        return self._plan if self._plan is not None else self._editor.service.read()

    # --- columns

    def _participant_columns(self) -> list[Column]:
        def declared(p: Participant) -> list[Declaration]:
            return [d for d in self._current().declarations if d.participant == p.name]

        return [
            Column("Name", lambda p: p.name, commit=lambda p, v: self._editor.rename(p, str(v)),
                   tip="One voice each; renaming a participant renames them in their declarations and scores"),
            Column("Organisation", lambda p: p.organisation,
                   commit=lambda p, v: self._editor.upsert(replace(p, organisation=str(v).strip())),
                   tip="The partner or other body the person speaks for", empty="not set"),
            Column("Role", lambda p: p.role, commit=lambda p, v: self._editor.upsert(replace(p, role=str(v).strip())),
                   tip="Their role, for the record of who was there", empty="not set"),
            Column("Declarations", lambda p: str(len(declared(p))), sort=lambda p: len(declared(p)), numeric=True,
                   tip="How many interests the person has declared",
                   cell_tip=lambda p: "\n".join(d.about for d in declared(p)) or "No interest declared"),
        ]

    def _declaration_columns(self) -> list[Column]:
        def interest(d: Declaration, value: Any) -> None:
            self._editor.upsert(replace(d, interest=str(value).strip()))

        return [
            Column("Participant", lambda d: d.participant, commit=lambda d, v: self._move(d, replace(d, participant=str(v).strip())),
                   tip="The person who declared the interest"),
            Column("Interest in", lambda d: d.about, edit=subject_value, commit=lambda d, v: self._move(d, with_subject(d, v)),
                   tip="The option the interest is in, or a partner: an interest in a partner covers every option it leads"),
            Column("Interest", lambda d: d.interest, commit=interest, cell_tip=lambda d: d.interest,
                   tip="What the interest is, in the person's own words"),
            Column("Action taken", lambda d: ACTION_LABELS[d.action], edit=lambda d: d.action.value,
                   commit=lambda d, v: self._editor.upsert(replace(d, action=parse_action(v))),
                   tip="Whether the person left the room, did not score, or was allowed to score",
                   empty="None recorded yet"),
            Column("Declared on", lambda d: date_text(d.declared_on), edit=lambda d: d.declared_on,
                   commit=lambda d, v: self._editor.upsert(replace(d, declared_on=parse_date(v))),
                   sort=lambda d: d.declared_on or date.min, tip="When the interest was declared", empty="not recorded"),
            Column("Reason", lambda d: d.reason, commit=lambda d, v: self._editor.upsert(replace(d, reason=str(v).strip())),
                   cell_tip=lambda d: d.reason, tip="Why the chair allowed the person to take part despite the interest",
                   empty="none recorded"),
        ]

    def _move(self, old: Declaration, new: Declaration) -> None:
        """Give a declaration another participant or option: one undo step, refused whole."""
        if record_key(new) == record_key(old):
            return
        plan = self._editor.service.read()
        if any(record_key(d) == record_key(new) for d in plan.declarations):
            raise PlanError(f"{new.participant} has already declared an interest in '{new.about}'; change that declaration instead")
        errors = validate_plan(replace(plan, declarations=tuple(new if d == old else d for d in plan.declarations))).errors
        if errors:
            raise ValidationError(errors)
        stack = self._editor.stack
        stack.beginMacro(f"Move declaration of {old.participant} on “{old.about}” to {new.participant} on “{new.about}”")
        try:
            self._editor.upsert(new)
            self._editor.remove(old)
        finally:
            stack.endMacro()

    def _organisation_choices(self) -> list[tuple[str, Any]]:
        plan = self._current()
        names = dict.fromkeys([*(p.name for p in plan.partners), *(p.organisation for p in plan.participants if p.organisation)])
        return [(n, n) for n in names]

    def _participant_choices(self) -> list[tuple[str, Any]]:
        return [(p.name, p.name) for p in self._current().participants]

    def _subject_choices(self) -> list[tuple[str, Any]]:
        """Every option, then every partner that leads one ('All options led by ...')."""
        plan = self._current()
        leading = {o.lead_partner for o in plan.options}
        return [*((o.name, f"option:{o.name}") for o in plan.options),
                *((f"All options led by {p.name}", f"partner:{p.name}") for p in plan.partners if p.name in leading)]

    # --- adding and deleting

    def add_participant(self) -> None:
        plan = self._current()
        name = unique_name("New participant", [p.name for p in plan.participants])
        chosen = self.participants.selected_record()
        organisation = chosen.organisation if chosen is not None else ""
        if self._attempt(self.participant_message, lambda: self._editor.upsert(Participant(name, organisation), f"Add participant “{name}”")):
            self.participants.edit_key((name,))

    def delete_participant(self) -> None:
        person = self.participants.selected_record()
        if person is None:
            return
        declared = sum(d.participant == person.name for d in self._editor.service.read().declarations)
        if self._attempt(self.participant_message, lambda: self._editor.remove(person)):
            along = f" with {_count(declared, 'declaration')} and their scores" if declared else " with their scores"
            self.participant_message.note(f"Deleted participant '{person.name}'{along}. Undo puts them back.")

    def record_declaration(self) -> None:
        participant = self.new_participant.currentText()
        action = parse_action(self.new_action.currentData())
        blank = Declaration(participant, "", self.new_interest.text().strip(), action, date.today())
        declaration = with_subject(blank, self.new_option.currentData() or self.new_option.currentText())
        about = declaration.about
        if any(record_key(d) == record_key(declaration) for d in self._editor.service.read().declarations):
            self._refuse(self.declaration_message,
                         f"{participant} has already declared an interest in '{about}'; change that declaration instead")
            return
        if self._attempt(self.declaration_message,
                         lambda: self._editor.upsert(declaration, f"Record {participant}'s interest in “{about}”")):
            self.new_interest.clear()
            self.declarations.select_key(record_key(declaration))

    def delete_declaration(self) -> None:
        declaration = self.declarations.selected_record()
        if declaration is None:
            return
        if self._attempt(self.declaration_message, lambda: self._editor.remove(declaration)):
            self.declaration_message.note(f"Deleted {declaration.participant}'s declaration on '{declaration.about}'. Undo puts it back.")

    def _attempt(self, message: InlineMessage, action: Callable[[], None]) -> bool:
        try:
            action()
        except PlanError as exc:
            self._refuse(message, str(exc))
            return False
        self._after_edit()
        return True


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """Fill ``combo`` with (label, value) items, keeping the current choice when it is still there."""
    current = combo.currentText()
    combo.clear()
    for label, value in items:
        combo.addItem(label, value)
    if combo.findText(current) >= 0:
        combo.setCurrentText(current)


def _row(*widgets: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(10)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'s' * (number != 1)}"

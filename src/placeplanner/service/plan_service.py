"""The plan service: open a plan, read it as plain values, and change it one transaction at a time.

Every change is validated against the whole plan first, written in one transaction with
its audit entries, and reported back as a ChangeSet naming what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from placeplanner.errors import Problem, ValidationError
from placeplanner.model import PlanData, PlanInfo, cascade, key_label, record_key
from placeplanner.model.plan_data import TABLE_OF_RECORD
from placeplanner.model.validation import Findings, validate_plan
from placeplanner.service import score_audit
from placeplanner.service.identity import current_user
from placeplanner.storage import audit, decisions, orm, repository, scores
from placeplanner.storage.backup import backup_plan, latest_backup_age
from placeplanner.storage.decisions import Decision
from placeplanner.storage.planfile import PlanFile, Stamp, create_plan_file, open_plan_file

if TYPE_CHECKING:
    import pandas as pd

AUTO_BACKUP_EVERY = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What one change touched, so a view refreshes only that."""

    tables: frozenset[str] = frozenset()
    records: int = 0
    scores: int = 0
    info: bool = False

    @property
    def empty(self) -> bool:
        return not (self.tables or self.records or self.scores or self.info)


@dataclass(frozen=True, slots=True)
class Removed:
    """A deleted record and everything its deletion took along, as they were."""

    table: str
    key: tuple[Any, ...]
    records: PlanData
    scores: pd.DataFrame | None = None


@dataclass(frozen=True, slots=True)
class PlanSummary:
    info: PlanInfo
    counts: dict[str, int]
    budget_by_year: dict[int, float] = field(default_factory=dict)  # money streams only
    cost_by_year: dict[int, float] = field(default_factory=dict)  # all options, money streams
    savings_by_year: dict[int, float] = field(default_factory=dict)
    mandatory_options: int = 0


class PlanService:
    def __init__(self, plan_file: PlanFile, actor: str | None = None) -> None:
        self._file = plan_file
        self._cache: tuple[Stamp, PlanData] | None = None
        self.actor = actor or current_user()

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, info: PlanInfo, actor: str | None = None) -> PlanService:
        problems = validate_plan(PlanData(info=info)).errors
        if problems:
            raise ValidationError(problems)
        service = cls(create_plan_file(Path(path), info), actor)
        with service._file.transaction() as session:
            audit.append(session, actor=service.actor, action="create", entity="plan", entity_key=info.place, after=repository.as_plain(info))
        return service

    @classmethod
    def open(cls, path: Path, *, write: bool = True, actor: str | None = None, auto_backup: bool = True) -> PlanService:
        plan_file = open_plan_file(Path(path), write=write)
        if write and auto_backup:
            age = latest_backup_age(plan_file.path)
            if age is None or age > AUTO_BACKUP_EVERY:
                backup_plan(plan_file.path, reason="automatic")
        return cls(plan_file, actor)

    @property
    def path(self) -> Path:
        return self._file.path

    @property
    def writable(self) -> bool:
        return self._file.writable

    @property
    def plan_file(self) -> PlanFile:
        """The open file, for the live meeting, which commits its own units of work."""
        return self._file

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> PlanService:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------------

    def info(self) -> PlanInfo:
        with self._file.reading() as session:
            return repository.read_info(session)

    def read(self) -> PlanData:
        """The whole plan as plain values. Kept until the file changes, so the views of a large
        plan share one read (PlanData is immutable, so sharing it is safe). After a change made
        here, the plan kept is the one worked out in memory, equal to what a read would return."""
        return self._read_stamped()[1]

    def _read_stamped(self) -> tuple[Stamp, PlanData]:
        """The plan and the file's stamp it is current for."""
        stamp = self._file.stamp()
        if self._cache is not None and self._cache[0] == stamp:
            return self._cache
        with self._file.reading() as session:
            plan = repository.read_plan(session)
        self._cache = (stamp, plan)
        return self._cache

    def _keep(self, plan: PlanData, read_at: Stamp) -> None:
        """After a write here, keep ``plan`` (worked out from the plan read at ``read_at``) as the
        plan the file now holds, so the refresh that follows reads nothing.

        Only when that write was the file's one write since: another thread may write through
        the same file (a live meeting's declarations). Other processes cannot write while we
        hold the writer lock."""
        stamp = self._file.stamp()
        self._cache = (stamp, plan) if stamp.writes == read_at.writes + 1 else None

    def scores_frame(self, meeting: str | None = None) -> pd.DataFrame:
        with self._file.reading() as session:
            return scores.read_scores_frame(session, meeting)

    def scorers_of(self, option: str) -> list[str]:
        """Who has scored ``option`` (an indexed query: cheap enough for a detail pane)."""
        with self._file.reading() as session:
            return scores.scorers_of(session, option)

    def summary(self) -> PlanSummary:
        """Counts and totals straight from SQL, so it stays fast on a large plan."""
        with self._file.reading() as session:
            counts = {
                name: _count(session, model)
                for name, model in (
                    ("partners", orm.PartnerRow), ("funding_streams", orm.FundingStreamRow),
                    ("needs", orm.NeedRow), ("indicators", orm.IndicatorRow),
                    ("population", orm.PopulationRow), ("values", orm.ValueRow),
                    ("options", orm.OptionRow), ("participants", orm.ParticipantRow),
                    ("declarations", orm.DeclarationRow), ("meetings", orm.MeetingRow),
                    ("individual_scores", orm.IndividualScoreRow), ("agreed_scores", orm.AgreedScoreRow),
                    ("weight_sets", orm.WeightSetRow), ("rules", orm.RuleRow),
                    ("scenarios", orm.ScenarioRow), ("results", orm.ResultRow),
                    ("decisions", orm.DecisionRow),
                    ("audit_log", orm.AuditRow),
                )
            }
            money = orm.FundingStreamRow.unit == "GBP"
            budget = dict(session.execute(
                select(orm.StreamAmountRow.year, func.sum(orm.StreamAmountRow.amount))
                .join(orm.FundingStreamRow).where(money).group_by(orm.StreamAmountRow.year)
            ).all())
            cost_q = (
                select(orm.OptionCostRow.year, func.sum(orm.OptionCostRow.amount))
                .join(orm.FundingStreamRow, orm.OptionCostRow.stream_id == orm.FundingStreamRow.id)
                .where(money).group_by(orm.OptionCostRow.year)
            )
            cost = dict(session.execute(cost_q.where(orm.OptionCostRow.amount > 0)).all())
            savings = dict(session.execute(cost_q.where(orm.OptionCostRow.amount < 0)).all())
            mandatory = int(session.scalar(select(func.count()).select_from(orm.OptionRow).where(orm.OptionRow.mandatory)) or 0)
            return PlanSummary(
                info=repository.read_info(session), counts=counts,
                budget_by_year={int(y): float(a) for y, a in budget.items()},
                cost_by_year={int(y): float(a) for y, a in cost.items()},
                savings_by_year={int(y): -float(a) for y, a in savings.items()},
                mandatory_options=mandatory,
            )

    def check(self) -> Findings:
        """Validation of the whole plan, individual scores included."""
        plan = self.read()
        findings = validate_plan(plan)
        from placeplanner.model.score_checks import check_score_frame

        findings.errors.extend(check_score_frame(self.scores_frame(), plan))
        return findings

    def record_result(self, *, scenario: str, solver: str, inputs: dict[str, Any], result: dict[str, Any],
                      mark: int | None = None) -> int:
        """Store an immutable snapshot of a solve: its inputs, solver, version, time and answer, with
        what it was computed on: ``mark`` (``plan_mark()`` read before the snapshot was taken; the
        log's last entry now when not given) and its inputs' digest."""
        from datetime import datetime

        from placeplanner import __version__
        from placeplanner.storage.results import inputs_digest, plan_mark

        cached = self._cache if self._cache is not None and self._cache[0] == self._file.stamp() else None
        with self._file.transaction() as session:
            scenario_id = session.scalar(select(orm.ScenarioRow.id).where(orm.ScenarioRow.name == scenario)) if scenario else None
            row = orm.ResultRow(scenario_id=scenario_id, created_at=datetime.now(), solver=solver,
                                app_version=__version__, inputs=inputs, result=result,
                                plan_mark=plan_mark(session) if mark is None else mark,
                                input_digest=inputs_digest(inputs))
            session.add(row)
            session.flush()
            audit.append(session, actor=self.actor, action="solve", entity="results", entity_key=str(row.id),
                         after={"scenario": scenario, "solver": solver, "status": result.get("status"), "objective": result.get("objective")})
            result_id = int(row.id)
        if cached is not None:
            self._keep(cached[1], cached[0])  # a stored result is not part of the plan
        return result_id

    def plan_mark(self) -> int:
        """The audit log's last entry id: a result marked with it knows every change after it."""
        from placeplanner.storage.results import plan_mark

        with self._file.reading() as session:
            return plan_mark(session)

    def stored_result(self, result_id: int) -> tuple[dict[str, Any], dict[str, Any], str]:
        """A stored snapshot's inputs, answer and solver."""
        with self._file.reading() as session:
            row = session.get(orm.ResultRow, result_id)
            if row is None:
                raise ValidationError([Problem("results", f"there is no stored result {result_id}")])
            return dict(row.inputs), dict(row.result), row.solver

    def record_decision(self, *, result_id: int, title: str, rationale: str, meeting: str | None = None,
                        option_notes: dict[str, str] | None = None, stale: bool | None = None,
                        changes: tuple[str, ...] = ()) -> int:
        """Put a decision on the record against a stored result; its id. Refused: ValidationError.
        ``stale``: whether the plan had changed since the result when it was adopted (None: not
        known), and ``changes`` what had, in words; ``service.decisions.adopt`` works both out and
        refuses a stale result unless it is accepted."""
        cached = self._cache if self._cache is not None and self._cache[0] == self._file.stamp() else None
        with self._file.transaction() as session:
            decision_id = decisions.record(session, actor=self.actor, result_id=result_id, title=title,
                                           rationale=rationale, meeting=meeting, option_notes=option_notes,
                                           stale=stale, changes=changes)
        if cached is not None:
            self._keep(cached[1], cached[0])  # a decision is not part of the editable plan
        return decision_id

    def check_decision(self, *, title: str, rationale: str, meeting: str | None = None) -> None:
        """Refuse a decision's words before a result is solved for it (ValidationError)."""
        with self._file.reading() as session:
            problems = decisions.check_words(session, title=title, rationale=rationale, meeting=meeting)
        if problems:
            raise ValidationError(problems)

    def decisions(self) -> list[Decision]:
        """Every decision on the record, oldest first."""
        with self._file.reading() as session:
            return decisions.read_all(session)

    def audit_log(self) -> list[audit.AuditEntry]:
        with self._file.reading() as session:
            return audit.read_log(session)

    def verify_audit(self) -> int | None:
        with self._file.reading() as session:
            return audit.first_broken_entry(session)

    # --- changing --------------------------------------------------------------------

    def apply(
        self,
        incoming: PlanData,
        *,
        take_info: bool = False,
        scores_in: pd.DataFrame | None = None,
        action: str = "edit",
        source: str = "",
        problem_locator: Any = None,
    ) -> ChangeSet:
        """Lay ``incoming`` over the plan (same names replaced, new ones added) in one transaction.

        Refused whole, with every problem named, if the plan that would result breaks a rule.
        ``scores_in`` holds individual scores by name (meeting, participant, option, value,
        score, confidence, comment, scored_at), checked against the resulting plan.
        """
        incoming = repository.as_stored(incoming)
        read_at, current = self._read_stamped()
        merged = current.merged_with(incoming, take_info=take_info)
        errors = validate_plan(merged).errors
        if scores_in is not None and not scores_in.empty:
            from placeplanner.model.score_checks import check_score_frame

            errors.extend(check_score_frame(scores_in, merged))
        if problem_locator is not None:
            errors = [problem_locator(p) for p in errors]
        if errors:
            raise ValidationError(errors)

        with self._file.transaction() as session:
            changes = repository.write_records(session, incoming, current)
            if take_info and incoming.info != current.info:
                repository.write_info(session, incoming.info)
                audit.append(session, actor=self.actor, action=action, entity="plan", entity_key=incoming.info.place,
                             before=repository.as_plain(current.info), after=repository.as_plain(incoming.info))
            earlier = scores.read_scores_frame(session) if scores_in is not None and not scores_in.empty else None
            written = _write_score_frame(session, scores_in)
            self._audit_changes(session, changes, action)
            if written and scores_in is not None and earlier is not None:
                # Where the scores came from, then what each option's scores became.
                audit.append(session, actor=self.actor, action=action, entity="individual_scores",
                             entity_key=source or "scores", after={"scores written": written})
                for batch in score_audit.score_changes(earlier, scores_in, action):
                    audit.append_many(session, self.actor, batch)
        self._keep(merged, read_at)
        return ChangeSet(
            tables=frozenset(t for t, _, _ in changes) | ({"individual_scores"} if written else set()),
            records=len(changes), scores=written, info=take_info and incoming.info != current.info,
        )

    def upsert(self, record: Any) -> ChangeSet:
        """Add or replace one record (a Partner, an Option, ...)."""
        table = _table_of(record)
        return self.apply(replace(PlanData(info=self.info()), **{table: (record,)}))  # type: ignore[arg-type]

    def update_info(self, info: PlanInfo) -> ChangeSet:
        return self.apply(PlanData(info=info), take_info=True)

    def delete(self, table: str, name: str) -> ChangeSet:
        """Delete a named record (and what hangs off it); see ``remove``."""
        self.remove(table, (name,))
        return ChangeSet(tables=frozenset({table}), records=1)

    def remove(self, table: str, key: tuple[Any, ...]) -> Removed:
        """Delete one record with everything its deletion takes along (an option's declarations,
        agreed and individual scores, other options' links to it, ...). Refused, with the reason,
        when the plan left would break a rule (a partner still leading options, say).
        Returns what was taken, so ``restore`` can put it back exactly."""
        read_at, current = self._read_stamped()
        remaining, taken = cascade.without(current, table, key)
        label = key_label(key)
        if not taken.table(table):
            raise ValidationError([Problem(table, f"there is no '{label}' to delete")])
        if table == "meetings":
            named = [d.id for d in self.decisions() if d.meeting == key[0]]
            if named:
                raise ValidationError([Problem(table, f"'{label}' is named by decision {', '.join(map(str, named))} on the "
                                                      "record, which can never change, so it cannot be deleted")])
        errors = validate_plan(remaining).errors
        if errors:
            raise ValidationError([replace(e, message=f"{e.message}, so '{label}' cannot be deleted") for e in errors])
        score_column = {"options": "option", "values": "value", "participants": "participant", "meetings": "meeting"}.get(table)
        lost_scores = None
        if score_column is not None:
            frame = self.scores_frame()
            lost_scores = frame[frame[score_column] == key[0]].reset_index(drop=True)
        with self._file.transaction() as session:
            # What the deletion takes along, deleted as the plan left (``remaining``) has it gone;
            # the database would only unlink some of it (an indicator from its need, say).
            for dependent in TABLE_OF_RECORD.values():
                if dependent != table and taken.table(dependent):
                    left = {record_key(r) for r in remaining.table(dependent)}
                    repository.delete_records(session, dependent, [k for k in map(record_key, taken.table(dependent)) if k not in left])
            repository.delete_record(session, table, key)
            along = {t: len(taken.table(t)) for t in TABLE_OF_RECORD.values() if t != table and taken.table(t)}
            if lost_scores is not None and len(lost_scores):
                along["individual_scores"] = len(lost_scores)
            audit.append(session, actor=self.actor, action="delete", entity=table, entity_key=label,
                         before=repository.as_plain(taken.table(table)[0]), after={"taken along": along} if along else None)
        self._keep(remaining, read_at)
        return Removed(table, key, taken, lost_scores)

    def restore(self, removed: Removed) -> ChangeSet:
        """Put back a record removed by ``remove``, with all it took along."""
        return self.apply(removed.records, scores_in=removed.scores, action="restore", source=f"undo delete of {removed.table}")

    def rename(self, table: str, old: str, new: str) -> ChangeSet:
        """Rename a record; every reference to it by name follows (rules, scenarios, links)."""
        new = new.strip()
        read_at, current = self._read_stamped()
        names = {record_key(r)[0] for r in current.table(table)}
        if old not in names:
            raise ValidationError([Problem(table, f"there is no '{old}' to rename")])
        if not new:
            raise ValidationError([Problem(table, f"'{old}' needs a name; it cannot be blank")])
        if new in names and new != old:
            raise ValidationError([Problem(table, f"'{new}' is already taken; names are unique")])
        if new == old:
            return ChangeSet()
        after = cascade.renamed(current, table, old, new)
        errors = validate_plan(after).errors
        if errors:
            raise ValidationError(errors)
        # Rules, scenarios and weight sets' owners name what they refer to in text: rewritten too.
        followers = replace(PlanData(info=current.info), **{
            t: tuple(r for r in after.table(t) if r not in current.table(t)) for t in ("rules", "scenarios", "weight_sets") if t != table
        })  # type: ignore[arg-type]
        with self._file.transaction() as session:
            repository.rename_record(session, table, old, new)
            repository.write_records(session, followers, current)
            audit.append(session, actor=self.actor, action="rename", entity=table, entity_key=new,
                         before={"name": old}, after={"name": new})
        self._keep(after, read_at)
        return ChangeSet(tables=frozenset({table, "rules", "scenarios"}), records=1)

    def _audit_changes(self, session: Session, changes: list[tuple[str, Any, Any]], action: str) -> None:
        entries = [
            audit.Change(
                action=("add" if before is None else "update") if action == "edit" else action,
                entity=table, entity_key=key_label(record_key(after)),
                before=repository.as_plain(before), after=repository.as_plain(after),
            )
            for table, before, after in changes
        ]
        audit.append_many(session, self.actor, entries)


def _count(session: Session, model: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _table_of(record: Any) -> str:
    try:
        return TABLE_OF_RECORD[type(record)]
    except KeyError:
        raise TypeError(f"{type(record).__name__} is not a plan record") from None


def _write_score_frame(session: Session, frame: pd.DataFrame | None) -> int:
    if frame is None or frame.empty:
        return 0
    keyed = frame.loc[:, ["score", "confidence", "comment", "scored_at"]].copy()
    for column, model in (("meeting", orm.MeetingRow), ("participant", orm.ParticipantRow),
                          ("option", orm.OptionRow), ("value", orm.ValueRow)):
        names = frame[column].astype("category")
        # Look up each distinct name once, then spread the ids by the category codes.
        ids = names.cat.categories.map(scores.name_ids(session, model)).to_numpy()
        keyed[f"{column}_id"] = ids[names.cat.codes.to_numpy()].astype("int64")
    keyed["comment"] = keyed["comment"].fillna("")
    # In the unique index's order, so the B-tree grows at its end rather than everywhere.
    keyed = keyed.sort_values(["meeting_id", "participant_id", "option_id", "value_id"], kind="stable")
    return scores.upsert_scores(session, keyed)

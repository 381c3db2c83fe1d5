"""The plan file's tables, as SQLAlchemy 2 typed ORM classes. Private to the storage package.

Names are unique per table; other tables refer by integer keys so renames are cheap.
Everything here is dialect-neutral (SQLite now, PostgreSQL later).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NAME = String(200)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PlanInfoRow(Base):
    __tablename__ = "plan_info"
    id: Mapped[int] = mapped_column(primary_key=True)
    place: Mapped[str] = mapped_column(NAME)
    title: Mapped[str] = mapped_column(String(300), default="")
    start_year: Mapped[int] = mapped_column(Integer)
    years: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(10), default="GBP")
    area_code: Mapped[str] = mapped_column(String(20), default="")
    quorum: Mapped[int] = mapped_column(Integer, default=3)
    conflict_policy: Mapped[str] = mapped_column(String(20), default="recuse")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PartnerRow(Base):
    __tablename__ = "partners"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    kind: Mapped[str] = mapped_column(String(100), default="")


class FundingStreamRow(Base):
    __tablename__ = "funding_streams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    unit: Mapped[str] = mapped_column(String(50), default="GBP")
    ring_fenced_for: Mapped[str] = mapped_column(Text, default="")  # ';'-separated tokens
    partner: Mapped[PartnerRow] = relationship()
    amounts: Mapped[list[StreamAmountRow]] = relationship(
        cascade="all, delete-orphan", order_by="StreamAmountRow.year"
    )


class StreamAmountRow(Base):
    __tablename__ = "stream_amounts"
    stream_id: Mapped[int] = mapped_column(
        ForeignKey("funding_streams.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[float] = mapped_column(Float)


class NeedRow(Base):
    __tablename__ = "needs"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    people: Mapped[int | None] = mapped_column(Integer)
    priority: Mapped[float] = mapped_column(Float, default=1.0)
    description: Mapped[str] = mapped_column(Text, default="")


class IndicatorRow(Base):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("name", "area_code", "sex", "age", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(300))
    area_code: Mapped[str] = mapped_column(String(20))
    area_name: Mapped[str] = mapped_column(String(200), default="")
    period: Mapped[str] = mapped_column(String(50))
    value: Mapped[float | None] = mapped_column(Float)
    sex: Mapped[str] = mapped_column(String(30), default="")
    age: Mapped[str] = mapped_column(String(50), default="")
    unit: Mapped[str] = mapped_column(String(50), default="")
    lower_ci: Mapped[float | None] = mapped_column(Float)
    upper_ci: Mapped[float | None] = mapped_column(Float)
    count: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    compared: Mapped[str] = mapped_column(String(100), default="")
    indicator_id: Mapped[str] = mapped_column(String(30), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    need: Mapped[NeedRow | None] = relationship()


class PopulationRow(Base):
    __tablename__ = "population"
    __table_args__ = (UniqueConstraint("area_code", "year", "sex", "age"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20))
    area_name: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(20))
    age: Mapped[str] = mapped_column(String(20))
    count: Mapped[float] = mapped_column(Float)


class ValueRow(Base):
    __tablename__ = "plan_values"  # "values" is an SQL keyword
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    weight: Mapped[float] = mapped_column(Float)
    scale_min: Mapped[float] = mapped_column(Float, default=0.0)
    scale_max: Mapped[float] = mapped_column(Float, default=10.0)
    description: Mapped[str] = mapped_column(Text, default="")
    scale_points: Mapped[list[ScalePointRow]] = relationship(
        cascade="all, delete-orphan", order_by="ScalePointRow.point"
    )


class ScalePointRow(Base):
    __tablename__ = "scale_points"
    value_id: Mapped[int] = mapped_column(
        ForeignKey("plan_values.id", ondelete="CASCADE"), primary_key=True
    )
    point: Mapped[float] = mapped_column(Float, primary_key=True)
    label: Mapped[str] = mapped_column(Text)


class OptionRow(Base):
    __tablename__ = "options"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    lead_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(20), default="invest")
    min_share: Mapped[float | None] = mapped_column(Float)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(30), default="proposed")
    contract_form: Mapped[str] = mapped_column(String(50), default="")
    people_reached: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    lead_partner: Mapped[PartnerRow] = relationship()
    costs: Mapped[list[OptionCostRow]] = relationship(cascade="all, delete-orphan")
    levels: Mapped[list[OptionLevelRow]] = relationship(
        cascade="all, delete-orphan", order_by="OptionLevelRow.position"
    )
    tags: Mapped[list[OptionTagRow]] = relationship(
        cascade="all, delete-orphan", order_by="OptionTagRow.position"
    )
    need_links: Mapped[list[OptionNeedRow]] = relationship(
        cascade="all, delete-orphan", order_by="OptionNeedRow.position"
    )
    links: Mapped[list[OptionLinkRow]] = relationship(
        cascade="all, delete-orphan",
        foreign_keys="OptionLinkRow.option_id",
        order_by="OptionLinkRow.position",
    )


class OptionCostRow(Base):
    __tablename__ = "option_costs"
    option_id: Mapped[int] = mapped_column(
        ForeignKey("options.id", ondelete="CASCADE"), primary_key=True
    )
    stream_id: Mapped[int] = mapped_column(
        ForeignKey("funding_streams.id", ondelete="RESTRICT"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[float] = mapped_column(Float)
    stream: Mapped[FundingStreamRow] = relationship()


class OptionLevelRow(Base):
    __tablename__ = "option_levels"
    option_id: Mapped[int] = mapped_column(
        ForeignKey("options.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    cost_share: Mapped[float] = mapped_column(Float)
    value_share: Mapped[float] = mapped_column(Float)


class OptionTagRow(Base):
    __tablename__ = "option_tags"
    option_id: Mapped[int] = mapped_column(
        ForeignKey("options.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class OptionNeedRow(Base):
    __tablename__ = "option_needs"
    option_id: Mapped[int] = mapped_column(
        ForeignKey("options.id", ondelete="CASCADE"), primary_key=True
    )
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    need: Mapped[NeedRow] = relationship()


class OptionLinkRow(Base):
    """``option requires other`` or ``option excludes other``."""

    __tablename__ = "option_links"
    option_id: Mapped[int] = mapped_column(
        ForeignKey("options.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[int] = mapped_column(
        ForeignKey("options.id", ondelete="CASCADE"), primary_key=True
    )
    relation: Mapped[str] = mapped_column(String(10), primary_key=True)  # requires | excludes
    position: Mapped[int] = mapped_column(Integer, default=0)
    other: Mapped[OptionRow] = relationship(foreign_keys=[other_id])


class ParticipantRow(Base):
    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    organisation: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")


class DeclarationRow(Base):
    """An interest in one option, or (schema 0006) in a partner: exactly one of the two is set."""

    __tablename__ = "declarations"
    __table_args__ = (
        UniqueConstraint("participant_id", "option_id"),
        UniqueConstraint("participant_id", "partner_id", name="uq_declarations_participant_id_partner_id"),
        CheckConstraint("(option_id IS NULL) <> (partner_id IS NULL)", name="option_or_partner"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    interest: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(30), default="")
    declared_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")  # added in schema 0005
    participant: Mapped[ParticipantRow] = relationship()
    option: Mapped[OptionRow | None] = relationship()
    partner: Mapped[PartnerRow | None] = relationship()


class MeetingRow(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    held_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    notes: Mapped[str] = mapped_column(Text, default="")


class ScoringRoundRow(Base):
    __tablename__ = "scoring_rounds"
    __table_args__ = (UniqueConstraint("meeting_id", "option_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="open")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)


class IndividualScoreRow(Base):
    __tablename__ = "individual_scores"
    __table_args__ = (
        # One current score per participant per option per value in a meeting.
        UniqueConstraint("meeting_id", "participant_id", "option_id", "value_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"))
    value_id: Mapped[int] = mapped_column(ForeignKey("plan_values.id", ondelete="CASCADE"))
    score: Mapped[float | None] = mapped_column(Float)  # NULL is "don't know"
    confidence: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime | None] = mapped_column(DateTime)


class LiveMeetingRow(Base):
    """A meeting while it runs: its join code, its settings and where it has got to, so a
    meeting reopened after a crash resumes where it was."""

    __tablename__ = "live_meetings"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    join_code: Mapped[str] = mapped_column(String(20))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    current_option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id", ondelete="SET NULL"))
    stage: Mapped[str] = mapped_column(String(20), default="lobby")


class MeetingTokenRow(Base):
    """A participant's current token for a live meeting, kept only as its SHA-256 digest."""

    __tablename__ = "meeting_tokens"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime)


class AgreedScoreRow(Base):
    __tablename__ = "agreed_scores"
    option_id: Mapped[int] = mapped_column(
        ForeignKey("options.id", ondelete="CASCADE"), primary_key=True
    )
    value_id: Mapped[int] = mapped_column(
        ForeignKey("plan_values.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)
    rationale: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    agreed_at: Mapped[datetime | None] = mapped_column(DateTime)
    option: Mapped[OptionRow] = relationship()
    value: Mapped[ValueRow] = relationship()
    meeting: Mapped[MeetingRow | None] = relationship()


class WeightSetRow(Base):
    __tablename__ = "weight_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(NAME, default="")
    weights: Mapped[list[WeightRow]] = relationship(cascade="all, delete-orphan")


class WeightRow(Base):
    __tablename__ = "weights"
    weight_set_id: Mapped[int] = mapped_column(
        ForeignKey("weight_sets.id", ondelete="CASCADE"), primary_key=True
    )
    value_id: Mapped[int] = mapped_column(
        ForeignKey("plan_values.id", ondelete="CASCADE"), primary_key=True
    )
    weight: Mapped[float] = mapped_column(Float)
    value: Mapped[ValueRow] = relationship()


class RuleRow(Base):
    __tablename__ = "rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    applies_to: Mapped[str] = mapped_column(String(300))
    measure: Mapped[str] = mapped_column(String(10))
    minimum: Mapped[float | None] = mapped_column(Float)
    maximum: Mapped[float | None] = mapped_column(Float)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class ScenarioRow(Base):
    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ResultRow(Base):
    """An immutable snapshot of one solve: its inputs, solver, version and answer."""

    __tablename__ = "results"
    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    solver: Mapped[str] = mapped_column(String(50))
    app_version: Mapped[str] = mapped_column(String(50))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What the result was computed on (schema 0007; NULL on older results): the audit log's last
    # entry id when the plan was read, and the SHA-256 digest of ``inputs``.
    plan_mark: Mapped[int | None] = mapped_column(Integer)
    input_digest: Mapped[str | None] = mapped_column(String(64))


class DecisionRow(Base):
    """A decision the partners took, recorded against the immutable result it adopted, so the
    decision record can always be re-derived (added in schema 0005; triggers keep both unchanged)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="RESTRICT"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(300))
    rationale: Mapped[str] = mapped_column(Text)
    option_notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(200))
    # Whether the adopted result no longer matched the plan when it was adopted, and what had
    # changed, in words (schema 0007; NULL on older decisions: not known).
    stale_when_adopted: Mapped[bool | None] = mapped_column(Boolean)
    changes_when_adopted: Mapped[list[str] | None] = mapped_column(JSON)
    result: Mapped[ResultRow] = relationship()
    meeting: Mapped[MeetingRow | None] = relationship()


class AuditRow(Base):
    """Append-only log of changes; each entry hashes its content and the previous hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_key: Mapped[str] = mapped_column(Text)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The audit chain's head, one row updated with every append: without it, deleting the last
    entries would leave a chain that still verifies (added in schema 0004)."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    entries: Mapped[int] = mapped_column(Integer)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


# Added in schema 0002: the meeting tallies read scores by option and value.
Index("ix_individual_scores_option_value", IndividualScoreRow.option_id, IndividualScoreRow.value_id)

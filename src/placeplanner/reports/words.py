"""The decision record in plain English: the summary a board reads first, and small helpers the
paper's templates use to write figures the way English public bodies do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from placeplanner.money import format_money, year_label
from placeplanner.reports.record import DecisionRecord, Outcome

STATUS_WORDS = {
    "optimal": "proven to be the best possible within the rules",
    "feasible": "within {gap} of the best possible (the solver stopped at that proven gap)",
    "stopped": "the best found before the solver was stopped; it is not proven to be the best",
    "infeasible": "not possible: no portfolio keeps every rule",
}


def listing(items: Sequence[str], conjunction: str = "and") -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def money(amount: float | None) -> str:
    return "" if amount is None else format_money(amount)


def points(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def day(moment: date | datetime | None) -> str:
    """'10 March 2027'."""
    return "" if moment is None else f"{moment.day} {moment:%B %Y}"


def years_span(years: Sequence[int]) -> str:
    if not years:
        return ""
    return year_label(years[0]) if len(years) == 1 else f"{year_label(years[0])} to {year_label(years[-1])}"


def status_words(outcome: Outcome) -> str:
    text = STATUS_WORDS.get(outcome.status, outcome.status)
    return text.format(gap=f"{100 * (outcome.gap or 0):.2f}%")


def summary(record: DecisionRecord) -> list[str]:
    """The summary's paragraphs, in plain English."""
    out = record.outcome
    span = years_span(record.plan.years)
    total = len(record.portfolio)
    if not out.has_portfolio:
        return [
            f"The partners of {record.plan.place} pool {money(out.budget)} over {span}. No portfolio of the "
            f"{plural(total, 'option')} keeps every agreed rule, so the optimiser cannot recommend one.",
            out.explanation or "The rules that conflict are listed in the appendix.",
        ]
    funded = record.funded
    decommissions = [f for f in funded if f.cost < 0]
    paragraphs = [
        f"The partners of {record.plan.place} pool {money(out.budget)} of money over {span}"
        + (f", and decommissioning releases {money(out.released)} more" if out.released > 0.5 else "")
        + f". The optimiser chose {plural(len(funded), 'option')} of {total}, spending {money(out.spent)} for "
        f"{points(out.objective)} points of weighted value. The portfolio is {status_words(out)}."
    ]
    parts = [f for f in funded if f.level not in {"Full", ""}]
    mandatory = [f.option for f in funded if f.mandatory]
    extras = []
    if mandatory:
        extras.append(f"{listing(mandatory)} {'is' if len(mandatory) == 1 else 'are'} mandatory.")
    if parts:
        extras.append(f"{listing([f'{p.option} ({p.level.lower()})' for p in parts])} "
                      f"{'is' if len(parts) == 1 else 'are'} funded in part.")
    if decommissions:
        extras.append(f"The money released comes from {plural(len(decommissions), 'decommission')}: "
                      f"{listing([d.option for d in decommissions])}.")
    if extras:
        paragraphs.append(" ".join(extras))
    paragraphs.append(ranking_paragraph(out, len(funded)))
    paragraphs.extend(room_paragraphs(record))
    if record.robustness is not None and funded:
        core = [f for f in funded if f.core_index is not None and f.core_index >= 1 - 1e-9]
        shaky = [f for f in funded if f.core_index is not None and f.core_index < 0.5]
        every = f"all {len(funded)}" if len(core) == len(funded) else f"{len(core)} of the {len(funded)}"
        text = (f"Tested against {plural(record.robustness.samples, 'sample')} of the weights "
                f"({record.robustness.source}), {every} options funded are funded every time")
        text += (f"; {listing([s.option for s in shaky])} {'is' if len(shaky) == 1 else 'are'} funded in fewer than half"
                 " of the samples, so depend most on the weights agreed." if shaky else ".")
        paragraphs.append(text)
    if out.result_id is not None:
        again = {True: "re-solving its stored snapshot gives the same portfolio",
                 False: "re-solving its stored snapshot does NOT give the same portfolio (see the appendix)",
                 None: "it has not been re-solved"}[out.reproduces]
        paragraphs.append(f"The result is stored in the plan file as result {out.result_id}, and {again}.")
    return paragraphs


def ranking_paragraph(out: Outcome, funded: int) -> str:
    """What changed against funding options in order of value per pound."""
    gain = (out.objective or 0.0) - out.ranking_objective
    text = (f"A value-per-pound ranking (funding options in order of value per pound until the money runs out) "
            f"would fund {plural(len(out.ranking_options), 'option')} for {points(out.ranking_objective)} points")
    if not out.added_by_optimiser and not out.dropped_by_optimiser:
        return text + ": the same options as the optimiser."
    text += f", {points(gain)} fewer than the optimiser's {plural(funded, 'option')}."
    moves = []
    if out.added_by_optimiser:
        moves.append(f"funds {listing(out.added_by_optimiser)}, which the ranking leaves out")
    if out.dropped_by_optimiser:
        moves.append(f"leaves out {listing(out.dropped_by_optimiser)}, which the ranking funds")
    text += f" The optimiser {listing(moves)}: looking at the options together finds a better use of the money."
    if out.ranking_broken_rules:
        text += f" The ranking would also break {listing([repr(r) for r in out.ranking_broken_rules])}."
    return text


def room_paragraphs(record: DecisionRecord) -> list[str]:
    paragraphs = []
    scored = record.scores
    conflicts = [d for d in record.declarations if d.conflict]
    where = f"in the meeting ({record.meeting.name})" if record.meeting else "in the plan's meetings"
    if scored:
        paragraphs.append(
            f"{plural(len(record.attendees), 'person', 'people')} took part {where}; "
            f"{plural(len(scored), 'option was', 'options were')} scored individually against the values, and the "
            f"group agreed a score for each after seeing the spread. "
            f"{plural(len(record.declarations), 'interest was', 'interests were')} declared"
            + (f", {len(conflicts)} treated as conflicts ({'recused' if record.policy == 'recuse' else 'scored, but flagged'})"
               if conflicts else "")
            + "."
        )
    short = record.below_quorum
    if short:
        paragraphs.append(
            f"{listing([s.option for s in short])} had fewer than {record.quorum} unconflicted scorers "
            f"(the plan's quorum), so {'its' if len(short) == 1 else 'their'} agreed scores rest on few voices."
        )
    return paragraphs


def agreed_matrix(record: DecisionRecord) -> list[tuple[str, list[float | None]]]:
    """Agreed scores as rows of options (the portfolio's order) by the values' order."""
    values = [v.name for v in record.values]
    scores: dict[str, dict[str, float]] = {}
    for entry in record.agreed:
        scores.setdefault(entry.option, {})[entry.value] = entry.score
    return [(line.option, [scores.get(line.option, {}).get(v) for v in values])
            for line in record.portfolio if line.option in scores]


def short_reason(option: str, reason: str) -> str:
    """The reason in a table row that already names the option: 'Leaving it out would lose ...'."""
    for before, after in ((f"Leaving {option} out", "Leaving it out"), (f"Funding {option} ", "Funding it "),
                          (f"{option} is ", "It is "), (f"{option} cannot ", "It cannot "),
                          (f"{option} adds ", "It adds ")):
        if reason.startswith(before):
            reason = after + reason[len(before):]
            break
    # Said of nearly every funded option, so said once, in the section's introduction.
    return reason.removesuffix(": no other use of its money does as well.").removesuffix(".") + "."

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


DRAFT_WORDS = "DRAFT: not a decision of the board"


def cost_words(out: Outcome) -> str:
    """What the funded options cost: money, and beside it any other resource ('£14.87m and 1,800
    staff hours'); never summed."""
    return listing([format_money(out.spent), *(format_money(amount, unit) for unit, amount in out.resources)])


def people_words(record: DecisionRecord) -> str:
    """'reach an estimated 13,650 people (by the estimates of 9 of the 32 options funded, at the
    level funded)'; '' when no funded option gives an estimate."""
    if record.people_reached is None:
        return ""
    funded = len(record.funded)
    every = "every option funded" if record.reach_given == funded else f"{record.reach_given} of the {funded} options funded"
    return (f"reach an estimated {record.people_reached:,} people (by the estimates of {every}, at the level funded; "
            "a person reached by two options counts twice)")


def recommendation(record: DecisionRecord) -> str:
    """What the board is asked to do, with the figures from the record."""
    out = record.outcome
    span = years_span(record.plan.years)
    if not out.has_portfolio:
        return (f"The board is asked to note that no portfolio of the {plural(len(record.portfolio), 'option')} keeps "
                "every agreed rule, and to ask the partners to relax the rules that conflict (set out in this paper).")
    funded = record.funded
    decommissions = [f for f in funded if f.cost < 0]
    portfolio = f"the portfolio of {plural(len(funded), 'option')} costing {cost_words(out)} over {span}"
    paid = f"paid for from the {money(out.budget)} the partners pool"
    if out.released > 0.5:
        paid += (f" and the {money(out.released)} released by decommissioning "
                 f"{plural(len(decommissions), 'service')}")
    left = out.reconciliation.left
    paid += f", leaving {money(left)} unallocated" if left > 0.5 else ""
    decision = record.decision
    if decision is not None:
        where = f" at {decision.meeting}" if decision.meeting else ""
        text = (f"The board is asked to approve {portfolio}, {paid}, as the partners decided{where} "
                f"(decision {decision.id}, “{decision.title}”, recorded on {day(decision.decided_at)}).")
    else:
        basis = f"the scenario {out.scenario}" if out.scenario else "the plan as it stands"
        text = (f"{DRAFT_WORDS}. The board is asked to note {portfolio} that the optimiser recommends "
                f"on {basis}, {paid}; "
                "no decision has been recorded on it, and the partners are asked to decide.")
    currency = record.currency
    if currency is not None and currency.stale:
        many = f"{plural(currency.count, 'change')}, " if currency.count else ""
        text += f" The plan has changed since this result was computed ({many}set out in the summary)."
    return text


def summary(record: DecisionRecord) -> list[str]:
    """The summary's paragraphs, in plain English: pounds, options and people first; points of
    value as supporting detail."""
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
    reached = people_words(record)
    paragraphs = [
        f"The partners of {record.plan.place} pool {money(out.budget)} of money over {span}"
        + (f", and decommissioning releases {money(out.released)} more, so {money(out.reconciliation.available)} is "
           "available" if out.released > 0.5 else "")
        + f". The portfolio funds {plural(len(funded), 'option')} of {total}, costing {cost_words(out)}"
        + (f"; they {reached}" if reached else "")
        + f". Its weighted value is {points(out.objective)} points on the shared values as weighted; "
        f"the portfolio is {status_words(out)}."
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

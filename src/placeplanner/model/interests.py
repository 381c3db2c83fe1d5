"""Which declared interests are conflicts, and in which options.

An interest in an option covers that option; an interest in a partner covers every option the
partner leads, so a director who declares an interest in their trust is covered for the options
added after the declaration too. Where a person declared both, the declaration about the option
itself decides: the chair may allow someone to score one of their organisation's options (a
network-wide payment, say) while they stay recused from the rest. An interest is a conflict
unless the chair allowed the person to take part."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from placeplanner.model.records import Declaration, DeclarationAction, Option


def lead_partners(options: Iterable[Option]) -> dict[str, str]:
    """Each option's lead partner, by the option's name: the ``leads`` the functions below take."""
    return {option.name: option.lead_partner for option in options}


def conflicted_pairs(declarations: Iterable[Declaration], leads: Mapping[str, str]) -> frozenset[tuple[str, str]]:
    """(participant, option) for each conflict; ``leads`` maps each option to its lead partner."""
    deciding: dict[tuple[str, str], DeclarationAction] = {}
    by_partner: dict[str, list[Declaration]] = {}
    for declaration in declarations:
        if declaration.option:
            deciding[(declaration.participant, declaration.option)] = declaration.action
        elif declaration.partner:
            by_partner.setdefault(declaration.partner, []).append(declaration)
    for option, lead in leads.items():
        for declaration in by_partner.get(lead, ()):
            deciding.setdefault((declaration.participant, option), declaration.action)
    return frozenset(pair for pair, action in deciding.items() if action != DeclarationAction.ALLOWED)


def covered_options(declaration: Declaration, leads: Mapping[str, str]) -> tuple[str, ...]:
    """The options a declaration is about: its own, or every option its partner leads."""
    if declaration.option:
        return (declaration.option,)
    return tuple(option for option, lead in leads.items() if declaration.partner and lead == declaration.partner)

"""The table contract: which tables a spreadsheet may hold and which columns each has.

Each table is one CSV file named after it (``options.csv``) or one sheet of a workbook.
``docs/tables.md`` is generated from this module.
"""

from __future__ import annotations

from dataclasses import dataclass

COST_PREFIX = "cost:"
LIST_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    about: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    help: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "plan", "The plan's own details (one row).", ("place",),
            ("title", "first_year", "years", "currency", "area_code", "quorum", "conflict_policy"),
            (("first_year", "first financial year, e.g. 2027/28"), ("years", "how many financial years the plan covers"),
             ("area_code", "ONS code of the place's area, used to filter needs data"),
             ("quorum", "fewest unconflicted scorers an option should have"),
             ("conflict_policy", "recuse (conflicted scores are left out) or flag")),
        ),
        TableSpec("partners", "Organisations in the place.", ("name",), ("kind",),
                  (("kind", "ICB, council, NHS trust, primary care network, voluntary sector ..."),)),
        TableSpec(
            "funding_streams", "Pots of resource partners bring. One row per stream, or one per stream and year.",
            ("name", "partner", "amount"), ("year", "unit", "ring_fenced_for"),
            (("amount", "amount per year (pounds unless unit says otherwise)"),
             ("year", "financial year such as 2027/28; blank means every year of the plan"),
             ("unit", "GBP (default), or another resource such as staff hours or beds"),
             ("ring_fenced_for", "kind:<option kind> or tag:<tag>, separated by ';'; blank means any option")),
        ),
        TableSpec("needs", "Population needs from the needs assessment.", ("name",), ("people", "priority", "description"),
                  (("people", "people affected"), ("priority", "relative importance the group agreed (default 1; higher matters more)"))),
        TableSpec(
            "indicators", "Indicator values that show a need (Fingertips exports import here too).",
            ("indicator", "area_code", "period", "value"),
            ("need", "area_name", "sex", "age", "unit", "lower_ci", "upper_ci", "count", "denominator", "compared", "indicator_id", "source"),
        ),
        TableSpec("population", "People by area, sex and age (ONS mid-year estimates import here too).",
                  ("area_code", "year", "sex", "age", "count"), ("area_name",)),
        TableSpec(
            "values", "The shared values (criteria) options are scored against.",
            ("name", "weight", "scale_min", "scale_max"), ("description", "scale"),
            (("scale", "described scale points, e.g. '0=No effect;5=Some;10=Transformational'"),),
        ),
        TableSpec(
            "options", "Proposed changes: invest, expand, redesign, decommission.",
            ("name", "lead_partner"),
            ("kind", "mandatory", "requires", "excludes", "needs", "tags", "levels", "min_share", "status",
             "contract_form", "people_reached", "description"),
            ((f"{COST_PREFIX}<stream>", "cost per year drawn on that funding stream; negative for a saving"),
             (f"{COST_PREFIX}<stream>:<year>", "cost in one year, overriding the yearly cost"),
             ("kind", "invest (default), expand, redesign or decommission"),
             ("mandatory", "yes for a statutory duty that must be funded"),
             ("requires, excludes, needs, tags", "lists separated by ';'"),
             ("levels", "ways to fund part of it, e.g. 'Half:0.5;Full:1' (name:cost share[:value share])"),
             ("min_share", "instead of levels: fund any share from this minimum up to 1"),
             ("status", "proposed (default), out of consideration, funded, not funded"),
             ("contract_form", "block, aligned incentive, activity based, grant, section 75 pooled")),
        ),
        TableSpec("scores", "Agreed scores: the score the group settled on for an option against a value.",
                  ("option", "value", "score"), ("rationale", "meeting")),
        TableSpec(
            "rules", "Fairness rules: at least or at most a count of options or a spend.",
            ("name", "applies_to", "measure", "min", "max"), ("enabled",),
            (("applies_to", "tag:<t>, need:<n>, partner:<p> or kind:<k>"), ("measure", "count or spend"),
             ("min, max", "either may be blank, not both")),
        ),
        TableSpec("participants", "People who score and weigh.", ("name", "organisation"), ("role",)),
        TableSpec("declarations", "Declared interests of participants in an option, or in a partner.",
                  ("participant", "option", "interest"), ("partner", "action", "date", "reason"),
                  (("option", "blank when the interest is in a partner"),
                   ("partner", "an interest in a partner covers every option it leads; leave option blank"),
                   ("action", "recused, allowed, or left the room"), ("reason", "why the person was allowed to take part"))),
        TableSpec("meetings", "Planning meetings.", ("name",), ("date", "status", "notes")),
        TableSpec("weights", "Weight sets: the group's, a participant's or a partner's weights for each value.",
                  ("weight_set", "kind", "value", "weight"), ("owner",),
                  (("kind", "group, participant or partner"), ("owner", "the participant or partner"))),
        TableSpec("scenarios", "Named sets of assumptions.", ("name",), ("description", "settings"),
                  (("settings", "JSON"),)),
        TableSpec(
            "individual_scores", "Each participant's scores in a meeting (export; import for paper score sheets).",
            ("meeting", "participant", "option", "value", "score"), ("confidence", "comment", "time"),
            (("score", "blank or \"don't know\" when the participant did not know"), ("confidence", "0 to 1")),
        ),
    )
}


def is_cost_column(column: str) -> bool:
    return column.startswith(COST_PREFIX)


def markdown() -> str:
    """The contract as the Markdown page ``docs/tables.md``."""
    lines = [
        "# The table contract",
        "",
        "<!-- Generated by `python -m placeplanner.io.tables > docs/tables.md`; a test fails when it is stale. -->",
        "",
        "Each table is a CSV file named after it (`options.csv`) or a sheet of one workbook (`.xlsx`).",
        "Import is all or nothing: one bad cell and nothing changes, and the message names the file,",
        "sheet, row, column, value and what is wrong. Rows whose name matches a record already in the plan",
        "replace it; other rows are added. Lists inside a cell are separated by `;`. Money is in pounds.",
        "`placeplanner template OUT.xlsx` writes blank templates with a README sheet.",
        "",
        "Needs data also imports in the shapes analysts download: an OHID Fingertips indicator export",
        "(26 or 27 columns, matched by name) goes to `indicators`, and an ONS mid-year population estimates",
        "table by local authority (ages as columns, or long with sex, age and count) goes to `population`.",
        "",
    ]
    for spec in TABLES.values():
        lines += [f"## `{spec.name}`", "", spec.about, "", "| column | required | meaning |", "| --- | --- | --- |"]
        helps = dict(spec.help)
        columns = list(spec.columns)
        if spec.name == "options":
            columns[2:2] = [f"{COST_PREFIX}<stream>", f"{COST_PREFIX}<stream>:<year>"]
        for column in columns:
            required = "yes" if column in spec.required or column == f"{COST_PREFIX}<stream>" else ""
            meaning = helps.get(column) or next((text for key, text in helps.items() if column in key.split(", ")), "")
            lines.append(f"| `{column}` | {required} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")

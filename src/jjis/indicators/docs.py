"""The indicator reference page (docs/indicators.md), generated from the catalogue."""

from __future__ import annotations

from pathlib import Path

from jjis.indicators.catalogue import Catalogue, Indicator, load_catalogue

HEADER = """# Indicator reference

<!-- Generated from src/jjis/indicators/catalogue.toml by jjis.indicators.docs.render_reference();
do not edit by hand: edit the catalogue and regenerate. -->

The fifteen UNODC/UNICEF juvenile justice indicators as this product computes them. The
specification of every counting rule is indicators.md; this page is generated from the
indicator catalogue (version `{version}`), which drives the computation too.

| # | indicator | core | type | statistics (unit) | SDMX code |
|---|---|---|---|---|---|
"""


CHILDHOOD = """## Who counts as a child

A child is a person under 18 on the reference date of the count (the census date for the snapshot
indicators, the date of the event for arrests and decisions, the start of the spell for periods of
detention). Age comes from the date of birth, else from the `age` column (whole years on the
row's own date, moved on to the reference date); the `age` column takes 0 to 120, so the
registers of places that also hold adults (adult prisons, jails, police lock-ups) are imported as
they are.

- **Adults are left out.** A person 18 or over on the reference date is in no child indicator;
  each figure gives the number left out so in `over_age`.
- **Presumption of childhood.** A person whose age is unknown (no date of birth and no age) is
  counted as a child, as international standards ask where age cannot be established, and falls in
  the age group `unknown`. Each figure gives the number of such children in `unknown_age`
  (counted, like `over_age`, over the persons the figure was drawn from), so a reader sees how
  much of a figure rests on the presumption. Aggregate returns count children by definition and add
  nothing to `unknown_age`.

"""


def _unit_list(ind: Indicator) -> str:
    return ", ".join(f"`{s}` ({u})" for s, u in ind.statistics.items())


def render_indicator(ind: Indicator) -> str:
    lines = [
        f"## {ind.id}. {ind.name_en}",
        "",
        f"*{ind.name_fr}* — {'core indicator' if ind.core else 'indicator'}, type {ind.type}, "
        f"{ind.timing}; SDMX code `{ind.sdmx_code}`.",
        "",
        ind.sentence,
        "",
        f"- **Numerator:** {ind.numerator}",
        f"- **Denominator:** {ind.denominator}",
        f"- **Statistics:** {_unit_list(ind)}",
        "- **Breakdowns:** " + (", ".join(f"`{b}`" for b in ind.breakdowns) or "none"),
        f"- **Headline statistic:** `{ind.headline}`",
        "- **Counted by:** " + (", ".join(f"the query `{q}`" for q in ind.reads)
                                or "the policy checklist alone")
        + (f"; coverage counts sources of kind `{ind.source}`" if ind.source else ""),
        "",
        "**Counting rules.** " + " ".join(ind.rules_en.split()),
        "",
    ]
    if ind.rules_fr:
        lines += ["**Règles de comptage.** " + " ".join(ind.rules_fr.split()), ""]
    return "\n".join(lines)


def render_reference(catalogue: Catalogue | None = None) -> str:
    cat = catalogue or load_catalogue()
    out = HEADER.format(version=cat.version)
    for ind in cat:
        out += (f"| {ind.id} | {ind.name_en} | {'core' if ind.core else ''} | {ind.type} | "
                f"{_unit_list(ind)} | `{ind.sdmx_code}` |\n")
    out += "\n" + CHILDHOOD + "\n" + "\n".join(render_indicator(ind) for ind in cat)
    return out


def write_reference(path: str | Path = "docs/indicators.md") -> Path:
    p = Path(path)
    p.write_text(render_reference(), encoding="utf-8")
    return p

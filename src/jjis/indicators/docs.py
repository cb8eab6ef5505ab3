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
    out += "\n" + "\n".join(render_indicator(ind) for ind in cat)
    return out


def write_reference(path: str | Path = "docs/indicators.md") -> Path:
    p = Path(path)
    p.write_text(render_reference(), encoding="utf-8")
    return p

"""xlsform/<table>.xlsx: an XLSForm for ODK Collect and KoboToolbox for each register a facility
keeps, with `survey`, `choices` and `settings` sheets.

Every column of the register is a question named as the column, so that the export of the
submissions (CSV or XLSX, from ODK Central or KoboToolbox) imports as the register: import reads a
group path (`child/child_id`, `child-child_id`) as its last part and passes over the tools'
metadata columns. The code lists are choices, the schema's rules `constraint`, `required` and
`relevant` expressions. `form_id` is the table's name (the export is then named after the table)
and `version` the schema's version, so that ODK Central takes a changed schema as a new version of
the same form.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from jjis.forms.labels import LANGUAGE_NAMES, LANGUAGES, Labels
from jjis.forms.lists import FACILITY_REGISTERS, References, choices, schema_version
from jjis.schema import TABLES, Column, Table, codes
from jjis.schema.registers import DateOrder, OneOf, OnlyWhen, RequiredWhen
from jjis.settings import Config

CHILD_GROUP = ("child_id", "sex", "date_of_birth", "age")  # asked together, in a group `child`
SURVEY = ("type", "name", "label", "hint", "required", "required_message", "constraint",
          "constraint_message", "relevant", "appearance")
TRANSLATED = ("label", "hint", "required_message", "constraint_message")


def lang_column(field: str, lang: str) -> str:
    return f"{field}::{LANGUAGE_NAMES[lang]} ({lang})"


def write_xlsforms(out_dir: Path, config: Config, refs: References) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_xlsform(TABLES[name], out_dir / f"{name}.xlsx", config, refs)
            for name in FACILITY_REGISTERS]


def write_xlsform(table: Table, path: Path, config: Config, refs: References) -> Path:
    labels = {lang: Labels(lang) for lang in LANGUAGES}
    wb = Workbook()
    survey = wb.active
    assert survey is not None
    survey.title = "survey"
    header = [h for f in SURVEY for h in
              ([lang_column(f, lang) for lang in LANGUAGES] if f in TRANSLATED else [f])]
    survey.append(header)
    for row in survey_rows(table, labels, config, refs):
        survey.append([row.get(h, "") for h in header])
    ch = wb.create_sheet("choices")
    ch_header = ["list_name", "name", *[lang_column("label", lang) for lang in LANGUAGES]]
    ch.append(ch_header)
    for list_name, values in choice_lists(table, labels, config, refs).items():
        for value, by_lang in values:
            ch.append([list_name, value, *[by_lang[lang] for lang in LANGUAGES]])
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version", "default_language"])
    st.append([f"{table.name} — {labels['en'].table(table)}", table.name, schema_version(),
               f"{LANGUAGE_NAMES['en']} (en)"])
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _list_name(col: Column) -> str:
    if col.kind == "yesno":
        return "yes_no_unknown"
    if col.references:
        return col.references
    return col.codes_from or col.name


def choice_lists(table: Table, labels: dict[str, Labels], config: Config,
                 refs: References) -> dict[str, list[tuple[str, dict[str, str]]]]:
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for col in table.columns:
        by_lang = {lang: choices(col, lb, config, refs) for lang, lb in labels.items()}
        if by_lang["en"] is None:
            continue
        name = _list_name(col)
        out[name] = [(value, {lang: dict(by_lang[lang] or [])[value] for lang in labels})
                     for value, _ in by_lang["en"]]
    return out


def _type(col: Column, lists: set[str]) -> str:
    name = _list_name(col)
    if name in lists and (col.kind in ("code", "yesno") or col.references or col.codes_from):
        return f"select_one {name}"
    return {"date": "date", "integer": "integer"}.get(col.kind, "text")


def _given(name: str, among: tuple[str, ...]) -> str:
    if among:
        return "(" + " or ".join(f"${{{name}}} = '{v}'" for v in among) + ")"
    return f"string-length(${{{name}}}) > 0"


def _rules_of(table: Table, col: Column) -> dict[str, list[str]]:
    """Expressions of the schema's rules that bear on one column."""
    out: dict[str, list[str]] = {"constraint": [], "relevant": [], "required": []}
    for rule in table.rules:
        if isinstance(rule, DateOrder) and rule.later == col.name:
            out["constraint"].append(f"string-length(${{{rule.earlier}}}) = 0 or "
                                     f". >= ${{{rule.earlier}}}")
        elif isinstance(rule, RequiredWhen) and rule.column == col.name:
            out["required"].append(_given(rule.when, rule.among))
        elif isinstance(rule, OnlyWhen) and rule.column == col.name:
            out["relevant"].append(_given(rule.when, rule.among))
        elif isinstance(rule, OneOf) and col.name in rule.columns:
            first = rule.columns[0]  # the others are asked only when the first is empty
            if col.name != first:
                out["relevant"].append(f"string-length(${{{first}}}) = 0")
                out["required"].append("true()")
    return out


def _column_constraint(col: Column) -> list[str]:
    out = []
    if col.kind == "date" and not col.future_ok:
        out.append(". <= today()")
    if col.minimum is not None:
        out.append(f". >= {col.minimum}")
    if col.maximum is not None:
        out.append(f". <= {col.maximum}")
    if col.kind == "offence":
        out.append(f"regex(., '{codes.ICCS_PATTERN}')")
    return out


def _messages(col: Column, table: Table, lb: Labels) -> str:
    parts = []
    if col.kind == "date" and not col.future_ok:
        parts.append(lb.text("not after today"))
    if col.minimum is not None or col.maximum is not None:
        lo = "" if col.minimum is None else str(col.minimum)
        hi = "" if col.maximum is None else str(col.maximum)
        parts.append(lb.text("from {lo} to {hi}").format(lo=lo, hi=hi) if lo and hi else
                     lb.text("of {lo} or more").format(lo=lo))
    if col.kind == "offence":
        parts.append(lb.text("an ICCS code: 01 to 11, or a deeper code such as 0501"))
    for rule in table.rules:
        if isinstance(rule, DateOrder) and rule.later == col.name:
            parts.append(lb.text("not before {other}").format(
                other=lb.column(table.column(rule.earlier))))
    return "; ".join(parts)


def survey_rows(table: Table, labels: dict[str, Labels], config: Config,
                refs: References) -> list[dict[str, str]]:
    lists = set(choice_lists(table, labels, config, refs))
    rows: list[dict[str, str]] = []
    in_group = False
    for col in table.columns:
        grouped = table.child_level and col.name in CHILD_GROUP
        if grouped and not in_group:
            rows.append({"type": "begin_group", "name": "child",
                         **{lang_column("label", g): lb.text("The child") for g, lb in labels.items()}})
            in_group = True
        elif in_group and not grouped:
            rows.append({"type": "end_group", "name": "child"})
            in_group = False
        rows.append(_question(table, col, labels, lists))
    if in_group:
        rows.append({"type": "end_group", "name": "child"})
    return rows


def _question(table: Table, col: Column, labels: dict[str, Labels], lists: set[str]) -> dict[str, str]:
    rules = _rules_of(table, col)
    constraint = _column_constraint(col) + rules["constraint"]
    row = {"type": _type(col, lists), "name": col.name,
           "constraint": " and ".join(f"({c})" for c in constraint) if len(constraint) > 1
           else "".join(constraint),
           "relevant": " and ".join(rules["relevant"]),
           "required": "yes" if col.required else " or ".join(rules["required"])}
    for lang, lb in labels.items():
        row[lang_column("label", lang)] = lb.column(col)
        row[lang_column("hint", lang)] = lb.hint(col)
        if constraint:
            row[lang_column("constraint_message", lang)] = _messages(col, table, lb)
        if row["required"]:
            row[lang_column("required_message", lang)] = lb.text("An answer is required")
    return row

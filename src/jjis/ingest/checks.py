"""Validation derived from the register schema, as SQL over the raw rows.

`raw` holds one file's rows as text (`_row` = the row number, header = 1). `typed_sql` reads
each value into its type; `checks` lists every rule of the table as a query that returns the
offending rows. Rules run set-wise inside the engine, so 50,000 or 5,000,000 rows cost a few
scans, and every error of every row is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jjis.ingest.pseudonym import PSEUDONYM_HEX, hmac_sql
from jjis.schema import Column, Table, codes
from jjis.schema.registers import DateOrder, NumberOrder, OneOf, OnlyWhen, RequiredWhen
from jjis.textcells import TRIGGERS

TRIGGERS_SQL = ", ".join(f"chr({ord(t)})" for t in TRIGGERS)
YES_NO_INPUT = ", ".join(f"'{k}'" for k in codes.YES_NO_UNKNOWN_INPUT if k)
INTEGER_PATTERN = r"^[+-]?[0-9]+$"
OPEN_CODE_PATTERN = r"^[a-z][a-z0-9_]*$"


@dataclass(frozen=True)
class Check:
    """One rule: `where` selects bad rows of `typed`; `value` (and `other`) say what was seen."""

    type: str
    column: str
    where: str
    value: str
    fields: tuple[tuple[str, str], ...] = ()  # message fields known in advance
    other: str = "NULL"  # a second value for the message (date order)


def q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def ident(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def in_list(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(q(v) for v in values)


@dataclass
class Context:
    table: Table
    present: set[str]  # columns present in the file
    detention_kinds: tuple[str, ...]
    age_groups: tuple[str, ...]
    today: date
    key: bytes
    pseudonyms: str = "pseudonyms"  # the table of (raw id, pseudonym) met so far in the import

    def codes_of(self, col: Column) -> tuple[str, ...]:
        return self.age_groups if col.codes_from == "age_groups" else col.codes

    def facility_kinds(self) -> tuple[str, ...]:
        kinds = self.table.facility_kinds
        return self.detention_kinds if kinds == "detention" else tuple(kinds or ())


def _normalised(col: Column, ctx: Context) -> str:
    """The raw text, trimmed, empty as NULL; codes lower-case."""
    if col.name not in ctx.present:
        return "CAST(NULL AS VARCHAR)"
    c = f'"{col.name}"'  # trim() only where a space is there to trim: most values have none
    expr = (f"CASE WHEN {c} = '' THEN NULL WHEN starts_with({c}, ' ') OR ends_with({c}, ' ') "
            f"THEN NULLIF(trim({c}), '') ELSE {c} END")
    # a cell kept from running as a formula (a quote before =, +, -, @, as jjis writes them)
    # reads without its quote
    expr = (f"CASE WHEN starts_with({c}, chr(39)) AND substr({expr}, 2, 1) IN ({TRIGGERS_SQL}) "
            f"THEN substr({expr}, 2) ELSE {expr} END")
    if col.kind in ("code", "yesno") or col.codes_from:
        expr = f"lower({expr})"
    return expr


def _typed(col: Column, ctx: Context) -> str:
    v = f"n.{col.name}"
    if col.kind == "date":
        # YYYY-MM-DD only, four digits of year (string tests are cheaper than a regular
        # expression on every row)
        shape = (f"length({v}) = 10 AND substr({v}, 5, 1) = '-' AND substr({v}, 8, 1) = '-' "
                 f"AND substr({v}, 1, 1) BETWEEN '0' AND '9'")
        return f"CASE WHEN {shape} THEN TRY_CAST({v} AS DATE) END"
    if col.kind == "integer":
        return f"CASE WHEN regexp_matches({v}, '{INTEGER_PATTERN}') THEN TRY_CAST({v} AS BIGINT) END"
    if col.kind == "yesno":
        return (f"CASE WHEN {v} IN ('yes', 'true', '1') THEN TRUE "
                f"WHEN {v} IN ('no', 'false', '0') THEN FALSE END")
    if col.kind == "child":  # a pseudonym exported from the quarantine (h:<hash>) stays as it is
        return f"CASE WHEN {_exported(v)} THEN CAST(substr({v}, 3) AS UUID) ELSE p_{col.name}.child_id END"
    return v


def _exported(v: str) -> str:
    return f"starts_with({v}, 'h:') AND regexp_matches({v}, '^h:[0-9a-f]{{{PSEUDONYM_HEX}}}$')"


def pseudonym_sql(ctx: Context) -> list[str]:
    """Add to the temporary table `pseudonyms` (raw id, pseudonym) the identifiers of this file not
    yet in it. One child is in several registers, so each identifier is hashed once per import;
    the table lives in memory and is dropped when the import ends."""
    out = []
    for c in ctx.table.columns:
        if c.kind != "child" or c.name not in ctx.present:
            continue
        ids = (f"SELECT DISTINCT {_normalised(c, ctx)} AS id FROM raw")
        out.append(f"INSERT INTO {ctx.pseudonyms} SELECT id, {hmac_sql(ctx.key, 'id')} FROM ({ids}) "
                   f"WHERE id IS NOT NULL AND NOT ({_exported('id')}) "
                   f"AND id NOT IN (SELECT id FROM {ctx.pseudonyms})")
    return out


def _text_as_read(col: Column) -> bool:
    """Whether the typed value is the normalised text itself (no copy of it is kept)."""
    return col.kind in ("text", "code", "offence") or bool(col.codes_from)


def typed_sql(ctx: Context) -> list[str]:
    """CREATE the `typed` table and view: `_row`, each column normalised (`n_<col>`) and typed
    (`<col>`), joined to the facility and area each row names. The table keeps the normalised text
    only where it differs from the typed value; the view shows it for every column."""
    t = ctx.table
    norm = ", ".join(f"{_normalised(c, ctx)} AS {c.name}" for c in t.columns)
    typed = ", ".join(f"{_typed(c, ctx)} AS {c.name}" for c in t.columns)
    raw_text = ", ".join(f"n.{c.name} AS n_{c.name}" for c in t.columns
                         if c.kind != "child" and not _text_as_read(c))
    same = ", ".join(f"{c.name} AS n_{c.name}" for c in t.columns if _text_as_read(c))
    joins, extra = [], []
    for c in t.columns:
        if c.references == "facilities":
            joins.append(f"LEFT JOIN ref_facilities f_{c.name} ON f_{c.name}.facility_id = n.{c.name}")
            extra += [f"f_{c.name}.facility_id AS ref_{c.name}", f"f_{c.name}.kind AS kind_{c.name}"]
        elif c.references == "areas":
            joins.append(f"LEFT JOIN ref_areas a_{c.name} ON a_{c.name}.area_id = n.{c.name}")
            extra.append(f"a_{c.name}.area_id AS ref_{c.name}")
        elif c.kind == "child":
            joins.append(f"LEFT JOIN {ctx.pseudonyms} p_{c.name} ON p_{c.name}.id = n.{c.name}")
    cols = ", ".join(c for c in ["n._row", typed, raw_text, *extra] if c)
    return [f"CREATE OR REPLACE TABLE typed_rows AS SELECT {cols} "
            f"FROM (SELECT _row, {norm} FROM raw) n {' '.join(joins)}",
            f"CREATE OR REPLACE VIEW typed AS SELECT *{', ' + same if same else ''} FROM typed_rows"]


def _column_checks(col: Column, ctx: Context) -> list[Check]:
    n, v = f"n_{col.name}", col.name
    shown = "'(pseudonymised)'" if col.kind == "child" else n
    out: list[Check] = []
    if col.required:
        empty = f"{v} IS NULL" if col.kind == "child" else f"{n} IS NULL"
        out.append(Check("required-value", v, empty, "''"))
    if col.kind == "child" or col.name not in ctx.present:
        return out
    if col.kind == "date":
        out.append(Check("invalid-date", v, f"{n} IS NOT NULL AND {v} IS NULL", n))
        allowed = f"from {codes.EARLIEST_DATE}" + ("" if col.future_ok else " to today")
        out.append(Check("date-out-of-range", v, f"{v} < DATE '{codes.EARLIEST_DATE}'", n,
                         (("allowed", allowed),)))
        if not col.future_ok:
            out.append(Check("future-date", v, f"{v} > DATE '{ctx.today.isoformat()}'", n,
                             (("today", ctx.today.isoformat()),)))
    elif col.kind == "integer":
        out.append(Check("invalid-integer", v, f"{n} IS NOT NULL AND {v} IS NULL", n))
        bounds = [f"{v} < {col.minimum}" if col.minimum is not None else "",
                  f"{v} > {col.maximum}" if col.maximum is not None else ""]
        cond = " OR ".join(b for b in bounds if b)
        if cond:
            lo = "" if col.minimum is None else str(col.minimum)
            hi = "" if col.maximum is None else str(col.maximum)
            allowed = f"{lo} to {hi}" if lo and hi else (f"{lo} or more" if lo else f"{hi} or less")
            out.append(Check("out-of-range", v, cond, n, (("allowed", allowed),)))
    elif col.kind == "yesno":
        out.append(Check("invalid-yes-no", v, f"{n} IS NOT NULL AND {n} NOT IN ({YES_NO_INPUT}, "
                                            "'unknown')", n))
    elif col.kind == "offence":
        out.append(Check("invalid-offence", v,
                         f"{n} IS NOT NULL AND NOT regexp_matches({n}, '{codes.ICCS_PATTERN}')", n))
    elif col.kind == "code" or col.codes_from:
        code_list = ctx.codes_of(col)
        if col.open_codes:
            bad = f"NOT regexp_matches({n}, '{OPEN_CODE_PATTERN}')"
            shown_allowed = ", ".join(code_list) + " or another lower-case word"
        else:
            bad = f"{n} NOT IN ({in_list(code_list)})"
            shown_allowed = ", ".join(code_list)
        out.append(Check("invalid-code", v, f"{n} IS NOT NULL AND {bad}", n,
                         (("allowed", shown_allowed),)))
    out += _reference_checks(col, ctx, shown)
    return out


def _reference_checks(col: Column, ctx: Context, shown: str) -> list[Check]:
    n, v = f"n_{col.name}", col.name
    if not col.references:
        return []
    out = [Check("unknown-reference", v, f"{n} IS NOT NULL AND ref_{v} IS NULL", shown,
                 (("target", col.references),))]
    kinds = ctx.facility_kinds()
    if col.references == "facilities" and kinds:
        out.append(Check(
            "wrong-facility-kind", v, f"ref_{v} IS NOT NULL AND kind_{v} NOT IN ({in_list(kinds)})",
            n, (("allowed", ", ".join(kinds)), ("table", ctx.table.name)), other=f"kind_{v}"))
    return out


def _given(name: str, among: tuple[str, ...]) -> str:
    cond = f"n_{name} IS NOT NULL"
    return f"({cond} AND n_{name} IN ({in_list(among)}))" if among else cond


def _condition(name: str, among: tuple[str, ...]) -> str:
    if not among:
        return f"{name} is given"
    if len(among) > 5:
        return f"{name} is one of {', '.join(among)}"
    return f"{name} is " + " or ".join(among)


def _rule_checks(ctx: Context) -> list[Check]:
    out: list[Check] = []
    for rule in ctx.table.rules:
        if isinstance(rule, DateOrder):
            a, b = rule.earlier, rule.later
            out.append(Check("date-order", b, f"{a} > {b}", f"n_{b}",
                             (("other", a),), other=f"n_{a}"))
        elif isinstance(rule, NumberOrder):
            a, b = rule.lower, rule.upper
            out.append(Check("number-order", b, f"{b} < {a}", f"n_{b}",
                             (("other", a),), other=f"n_{a}"))
        elif isinstance(rule, RequiredWhen):
            out.append(Check("required-with", rule.column,
                             f"n_{rule.column} IS NULL AND {_given(rule.when, rule.among)}", "''",
                             (("detail", _condition(rule.when, rule.among)),)))
        elif isinstance(rule, OnlyWhen):
            out.append(Check("only-with", rule.column,
                             f"n_{rule.column} IS NOT NULL AND NOT {_given(rule.when, rule.among)}",
                             f"n_{rule.column}",
                             (("detail", _condition(rule.when, rule.among)),)))
        elif isinstance(rule, OneOf):
            given = " + ".join(f"(n_{c} IS NOT NULL)::INTEGER" for c in rule.columns)
            out.append(Check("one-of", rule.columns[0], f"({given}) <> 1", "''",
                             (("allowed", " or ".join(rule.columns)),)))
    return out


def checks(ctx: Context) -> list[Check]:
    present = [c for c in ctx.table.columns if c.name in ctx.present or c.required]
    out = [chk for c in present for chk in _column_checks(c, ctx)]
    return out + _rule_checks(ctx)


def errors_sql(all_checks: list[Check]) -> str:
    """One query listing every error: (_row, check number, value, other)."""
    parts = [
        f"SELECT _row, {i} AS chk, CAST({c.value} AS VARCHAR) AS value, "
        f"CAST({c.other} AS VARCHAR) AS other FROM typed WHERE {c.where}"
        for i, c in enumerate(all_checks)
    ]
    return " UNION ALL ".join(parts)


DUPLICATES_SHOWN = 3  # rows named in a duplicate-id message; the others are counted


def key_match(table: Table, a: str, b: str) -> str:
    """Rows `a` and `b` have the same key; an optional key column matches when both are empty."""
    return " AND ".join(f"{a}.{k} = {b}.{k}" if table.column(k).required
                        else f"{a}.{k} IS NOT DISTINCT FROM {b}.{k}" for k in table.key)


def duplicates_sql(table: Table) -> str:
    """Rows whose key repeats within the file: (_row, key value, rows sharing it, the first few
    of them). Work and output grow with the rows, not with their square."""
    key = ", ".join(table.key)
    given = " AND ".join(f"{k} IS NOT NULL" for k in table.key if table.column(k).required)
    last = table.key[-1]
    groups = (f"SELECT {key}, count(*) AS n, list_slice(list(_row ORDER BY _row), 1, "
              f"{DUPLICATES_SHOWN}) AS first FROM typed WHERE {given} GROUP BY {key} "
              "HAVING count(*) > 1")
    return (f"SELECT t._row, t.n_{last}, g.n, g.first FROM typed t JOIN ({groups}) g "
            f"ON {key_match(table, 't', 'g')} ORDER BY t._row")


def overlapping_population_sql() -> str:
    """Population rows of one area, year, reference day and sex whose ages overlap another
    row's: (_row, the other row, the row's ages as written)."""
    ages = "CAST(a.age AS VARCHAR) || COALESCE('-' || CAST(a.age_to AS VARCHAR), '')"
    return ("SELECT a._row, min(b._row), " + ages + " FROM typed a JOIN typed b ON "
            "a._row <> b._row AND a.area_id = b.area_id AND a.year = b.year "
            "AND a.reference_date IS NOT DISTINCT FROM b.reference_date "
            "AND a.sex IS NOT DISTINCT FROM b.sex "
            "AND a.age <= COALESCE(b.age_to, b.age) AND b.age <= COALESCE(a.age_to, a.age) "
            "AND NOT (a.age = b.age AND a.age_to IS NOT DISTINCT FROM b.age_to) "
            "WHERE a.age IS NOT NULL AND b.age IS NOT NULL "
            "GROUP BY a._row, a.age, a.age_to")

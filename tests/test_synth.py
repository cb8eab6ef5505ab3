"""The synthetic country: deterministic, shaped by the schema, and internally consistent.

The checks read the CSV files back with the csv module and test them in plain Python against
the schema (columns, code lists, rules) and against the paths children take.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jjis.cli.main import app
from jjis.schema import TABLES, Column, codes
from jjis.schema.registers import DateOrder, NumberOrder, OneOf, OnlyWhen, RequiredWhen
from jjis.synth import synthesise

END = date(2025, 12, 31)
N = 300
Rows = list[dict[str, str]]


def read(path: Path) -> tuple[list[str], Rows]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    synthesise(out, children=N, seed=7, end_date=END)
    return out


@pytest.fixture(scope="module")
def tables(clean: Path) -> dict[str, Rows]:
    return {name: read(clean / f"{name}.csv")[1] for name in TABLES}


def iso(value: str) -> date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return date.fromisoformat(value)


def age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_same_seed_same_bytes_other_seed_other_bytes(clean: Path, tmp_path: Path) -> None:
    synthesise(tmp_path / "again", children=N, seed=7, end_date=END)
    synthesise(tmp_path / "other", children=N, seed=8, end_date=END)
    for name in TABLES:
        assert (tmp_path / "again" / f"{name}.csv").read_bytes() == (clean / f"{name}.csv").read_bytes()
    differ = [n for n in TABLES
              if (tmp_path / "other" / f"{n}.csv").read_bytes() != (clean / f"{n}.csv").read_bytes()]
    assert {"arrests", "detentions", "decisions", "family_contacts", "population"} <= set(differ)


def test_every_table_has_exactly_the_schema_columns(clean: Path) -> None:
    assert sorted(p.name for p in clean.iterdir()) == sorted([*(f"{n}.csv" for n in TABLES),
                                                              "areas.geojson"])
    for name, table in TABLES.items():
        header, rows = read(clean / f"{name}.csv")
        assert header == list(table.column_names), name
        assert rows, f"{name} is empty"


def is_iso(value: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(iso(value))
    except ValueError:
        return False


def value_problem(col: Column, value: str, ids: dict[str, set[str]]) -> str | None:
    """What is wrong with one value of a column, or None."""
    if not value:
        return "required" if col.required else None
    bad = {
        "code": not col.open_codes and value not in col.codes,
        "date": not is_iso(value) or (not col.future_ok and iso(value) > END),
        "integer": not re.fullmatch(r"\d+", value) or (col.minimum or 0) > int(value)
        or (col.maximum is not None and int(value) > col.maximum),
        "yesno": value not in ("yes", "no"),
        "offence": not re.fullmatch(codes.ICCS_PATTERN, value),
    }.get(col.kind, False)
    if bad:
        return f"invalid {col.kind}"
    if col.references and value not in ids[col.references]:
        return "unknown reference"
    return None


def given(row: dict[str, str], column: str, among: tuple[str, ...]) -> bool:
    return bool(row[column]) and (not among or row[column] in among)


def rule_holds(rule: object, row: dict[str, str]) -> bool:
    if isinstance(rule, DateOrder):
        a, b = row[rule.earlier], row[rule.later]
        return not (is_iso(a) and is_iso(b)) or iso(a) <= iso(b)
    if isinstance(rule, NumberOrder):
        lo, hi = row[rule.lower], row[rule.upper]
        return not (lo.isdigit() and hi.isdigit()) or int(lo) <= int(hi)
    if isinstance(rule, RequiredWhen):
        return not given(row, rule.when, rule.among) or bool(row[rule.column])
    if isinstance(rule, OnlyWhen):
        return not row[rule.column] or given(row, rule.when, rule.among)
    if isinstance(rule, OneOf):
        return sum(bool(row[c]) for c in rule.columns) == 1
    raise AssertionError(rule)


def problems(name: str, row: dict[str, str], ids: dict[str, set[str]]) -> list[str]:
    """Every way a row breaks its table's columns and rules, read from the schema."""
    table = TABLES[name]
    found = [f"{c.name}: {p}" for c in table.columns
             if (p := value_problem(c, row[c.name], ids))]
    return found + [str(rule) for rule in table.rules if not rule_holds(rule, row)]


def references(tables: dict[str, Rows]) -> dict[str, set[str]]:
    return {"facilities": {r["facility_id"] for r in tables["facilities"]},
            "areas": {r["area_id"] for r in tables["areas"]}}


def test_every_value_is_valid_and_every_rule_of_the_schema_holds(
        tables: dict[str, Rows]) -> None:
    ids = references(tables)
    for name in TABLES:
        for row in tables[name]:
            assert not problems(name, row, ids), (name, row, problems(name, row, ids))
            assert all(v == v.strip() for v in row.values())


def test_identifiers_are_unique_per_file(tables: dict[str, Rows]) -> None:
    for name, table in TABLES.items():
        keys = [tuple(r[c] for c in table.key) for r in tables[name]]
        assert len(keys) == len(set(keys)), name
        first = table.columns[0]
        if first.name.endswith("_id") and first.references is None:  # the row's own id
            assert len({r[first.name] for r in tables[name]}) == len(tables[name]), name


def test_facilities_fit_their_registers(tables: dict[str, Rows]) -> None:
    kind = {f["facility_id"]: f["kind"] for f in tables["facilities"]}
    allowed = {"arrests": {"police_station", "police_lockup"},
               "decisions": {"police_station", "prosecutor", "court", "diversion_programme",
                             "social_services"},
               "detentions": set(codes.PLACES_OF_DETENTION),
               "family_contacts": set(codes.PLACES_OF_DETENTION),
               "inspections": set(codes.PLACES_OF_DETENTION)}
    for name, kinds in allowed.items():
        seen = {kind[r["facility_id"]] for r in tables[name]}
        assert seen <= kinds, (name, seen - kinds)
    assert any(f["kind"] == "adult_prison" and f["holds_adults"] == "yes"
               for f in tables["facilities"])
    assert {f["complaints_system"] for f in tables["facilities"]} >= {"yes", "no"}
    assert set(kind.values()) == set(codes.FACILITY_KINDS) - {"other"}


def test_events_happen_while_the_facility_is_open(tables: dict[str, Rows]) -> None:
    facilities = {f["facility_id"]: f for f in tables["facilities"]}
    changed = [f for f in tables["facilities"]
               if (f["opened"] and iso(f["opened"]) > END - timedelta(days=3 * 365))
               or f["closed"]]
    assert len(changed) >= 2
    events = [(r["facility_id"], r["arrest_date"]) for r in tables["arrests"]]
    events += [(r["facility_id"], r["decision_date"]) for r in tables["decisions"]]
    events += [(r["facility_id"], r[c]) for r in tables["detentions"]
               for c in ("admission_date", "release_date") if r[c]]
    for fid, when in events:
        f = facilities[fid]
        assert not f["opened"] or iso(f["opened"]) <= iso(when), (fid, when)
        assert not f["closed"] or iso(when) < iso(f["closed"]), (fid, when)


def test_a_child_is_the_same_child_in_every_row(tables: dict[str, Rows]) -> None:
    seen: dict[str, tuple[str, str]] = {}
    for name, when in (("arrests", "arrest_date"), ("decisions", "decision_date"),
                       ("detentions", "admission_date")):
        for r in tables[name]:
            assert seen.setdefault(r["child_id"], (r["sex"], r["date_of_birth"])) == (
                r["sex"], r["date_of_birth"]), r
            assert bool(r["date_of_birth"]) != bool(r["age"]), r  # one or the other
            if r["date_of_birth"]:
                assert iso(r["date_of_birth"]) <= iso(r[when])
    # children arrested at a station that sends aggregate returns appear only in later registers
    arrested = {r["child_id"] for r in tables["arrests"]}
    detained = {r["child_id"] for r in tables["detentions"]}
    assert len(detained & arrested) > 0.8 * len(detained)
    sexes = [s for s, _ in seen.values()]
    assert sexes.count("m") > sexes.count("f") > 0
    assert sum(1 for _, dob in seen.values() if not dob) > 0


def test_children_are_10_to_17_when_arrested(tables: dict[str, Rows]) -> None:
    for r in tables["arrests"]:
        years = age(iso(r["date_of_birth"]), iso(r["arrest_date"])) if r["date_of_birth"] \
            else int(r["age"])
        assert 10 <= years <= 17, r
    counts = defaultdict(int)
    for r in tables["arrests"]:
        counts[r["child_id"]] += 1
    assert max(counts.values()) > 1 and len(counts) <= N


def stays_by_child(tables: dict[str, Rows]) -> dict[str, Rows]:
    out: dict[str, Rows] = defaultdict(list)
    for r in tables["detentions"]:
        out[r["child_id"]].append(r)
    return out


def regions_of_facilities(tables: dict[str, Rows]) -> dict[str, str]:
    areas = {a["area_id"]: a for a in tables["areas"]}

    def region(area: str) -> str:
        return area if areas[area]["level"] == "region" else region(areas[area]["parent_id"])

    return {f["facility_id"]: region(f["area_id"]) for f in tables["facilities"]
            if areas[f["area_id"]]["level"] != "country"}


def test_transfers_chain_into_spells(tables: dict[str, Rows]) -> None:
    region = regions_of_facilities(tables)
    kind = {f["facility_id"]: f["kind"] for f in tables["facilities"]}
    sending = {region[r["facility_id"]] for r in tables["aggregate_returns"]
               if kind[r["facility_id"]] == "remand_centre"}
    chained = 0
    for stays in stays_by_child(tables).values():
        stays.sort(key=lambda s: s["admission_date"])
        for s in stays:
            if s["release_reason"] != "transfer":
                continue
            out = iso(s["release_date"])
            following = [t for t in stays if t is not s and
                         out <= iso(t["admission_date"]) <= out + timedelta(days=1)]
            if following:
                chained += 1
            elif out < END:  # else admitted the next day, after the span
                # moved to a remand centre that sends aggregate returns only
                assert region[s["facility_id"]] in sending, s
    assert chained > 0


def test_stays_of_a_child_do_not_overlap_and_status_follows_the_path(
        tables: dict[str, Rows]) -> None:
    for stays in stays_by_child(tables).values():
        stays.sort(key=lambda s: (s["admission_date"], s["status_at_admission"]))
        for a, b in zip(stays, stays[1:], strict=False):
            assert a["release_date"], (a, b)  # only the last stay may still be going on
            assert iso(a["release_date"]) <= iso(b["admission_date"]), (a, b)
    reasons = {r["release_reason"] for r in tables["detentions"]}
    assert {"transfer", "sentence_served", "released_pending_trial", ""} <= reasons
    statuses = {r["status_at_admission"] for r in tables["detentions"]}
    assert statuses == {"pre_sentence", "sentenced"}
    assert any(r["sentence_date"] for r in tables["detentions"])


def test_some_children_turn_18_in_detention(tables: dict[str, Rows]) -> None:
    turning = [r for r in tables["detentions"] if r["date_of_birth"] and
               age(iso(r["date_of_birth"]), iso(r["admission_date"])) < 18 <=
               age(iso(r["date_of_birth"]), iso(r["release_date"]) if r["release_date"] else END)]
    assert turning


def test_deaths_are_rare_and_have_a_cause(tmp_path: Path) -> None:
    synthesise(tmp_path, children=10_000, seed=3, end_date=END)
    _, rows = read(tmp_path / "detentions.csv")
    deaths = [r for r in rows if r["release_reason"] == "death"]
    assert 0 < len(deaths) < len(rows) / 100
    assert all(r["death_cause"] in codes.DEATH_CAUSES for r in deaths)
    assert {r["wholly_separated"] for r in rows} == {"yes", "no", ""}
    prison = [r["wholly_separated"] for r in rows if r["facility_id"].startswith("XA-AP")]
    assert prison.count("yes") < len(prison) / 2


def test_family_contacts_fall_within_a_stay_of_the_child(tables: dict[str, Rows]) -> None:
    stays = stays_by_child(tables)
    for c in tables["family_contacts"]:
        on = iso(c["contact_date"])
        assert any(s["facility_id"] == c["facility_id"] and iso(s["admission_date"]) <= on <=
                   (iso(s["release_date"]) if s["release_date"] else END)
                   for s in stays[c["child_id"]]), c
    assert {c["kind"] for c in tables["family_contacts"]} <= set(codes.CONTACT_KINDS)


def test_decisions_follow_the_arrests(tables: dict[str, Rows]) -> None:
    first_arrest: dict[str, date] = {}
    for r in tables["arrests"]:
        first_arrest[r["child_id"]] = min(first_arrest.get(r["child_id"], END),
                                          iso(r["arrest_date"]))
    region = regions_of_facilities(tables)
    sending = {region[r["facility_id"]] for r in tables["aggregate_returns"]}
    for d in tables["decisions"]:
        assert iso(d["decision_date"]) <= END
        if not first_arrest.get(d["child_id"], END) <= iso(d["decision_date"]):
            # the first arrest was at a station that sends aggregate returns, not records
            national = d["facility_id"] == "XA-DP"  # the diversion programme takes every region
            assert region[d["facility_id"]] in sending or national, d
        assert bool(d["sentence_days"]) == (d["kind"] == "custodial_sentence"), d
    kinds = {d["kind"] for d in tables["decisions"]}
    assert kinds == set(codes.DECISION_KINDS)
    diverted = {d["child_id"] for d in tables["decisions"] if d["kind"] == "diversion"}
    assert 0.2 < len(diverted) / len(first_arrest) < 0.7


def test_population_covers_every_district_year_sex_and_age(tables: dict[str, Rows]) -> None:
    districts = {a["area_id"] for a in tables["areas"] if a["level"] == "district"}
    assert {a["level"] for a in tables["areas"]} == {"country", "region", "district"}
    cells = {(r["area_id"], r["year"], r["sex"], r["age"]) for r in tables["population"]}
    years = {str(y) for y in range(END.year - 2, END.year + 1)}
    assert cells == {(d, y, s, str(a)) for d in districts for y in years
                     for s in ("f", "m") for a in range(18)}
    total = sum(int(r["population"]) for r in tables["population"] if r["year"] == str(END.year))
    assert 15 * N < total < 25 * N


def test_aggregate_returns_replace_the_records_of_their_facilities(
        tables: dict[str, Rows]) -> None:
    returns = tables["aggregate_returns"]
    sending = {r["facility_id"] for r in returns}
    kinds = sorted(f["kind"] for f in tables["facilities"] if f["facility_id"] in sending)
    assert kinds == ["police_station", "police_station", "remand_centre"]
    for name in ("arrests", "decisions", "detentions", "family_contacts"):
        assert not sending & {r["facility_id"] for r in tables[name]}, name
    arrested = [r for r in returns if r["measure"] == "arrested" and not r["sex"]]
    assert sum(int(r["value"]) for r in arrested) > 0
    census = [r for r in returns if r["measure"] == "in_detention"]
    assert END.isoformat() in {r["census_date"] for r in census}
    for r in returns:
        by_sex = [int(x["value"]) for x in returns if x["sex"] and all(
            x[c] == r[c] for c in ("facility_id", "measure", "census_date", "period_start"))]
        if not r["sex"]:
            assert int(r["value"]) == sum(by_sex), r


def test_policy_answers_every_indicator_and_some_change(tables: dict[str, Rows]) -> None:
    answers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in tables["policy"]:
        answers[(r["indicator"], r["item"])].add(r["answer"])
    for indicator in codes.POLICY_INDICATORS:
        assert len([k for k in answers if k[0] == indicator]) >= 3
    assert sum(1 for v in answers.values() if v == {"yes", "no"}) >= 2
    assert {r["independent"] for r in tables["inspections"]} == {"yes", "no"}


def test_dirty_damages_a_few_record_rows_and_adds_a_visitor_log(
        clean: Path, tables: dict[str, Rows], tmp_path: Path) -> None:
    summary = synthesise(tmp_path, children=N, seed=7, end_date=END, dirty=True)
    ids = references(tables)
    log_header, log_rows = read(tmp_path / "family_contacts-visitor-log.csv")
    assert log_header == [*TABLES["family_contacts"].column_names, "visitor_name"]
    assert log_rows and all(r["visitor_name"] for r in log_rows)
    for name in ("areas", "facilities", "population", "inspections", "policy",
                 "aggregate_returns"):
        assert (tmp_path / f"{name}.csv").read_bytes() == (clean / f"{name}.csv").read_bytes()
    for name in ("arrests", "detentions", "decisions", "family_contacts"):
        _, good = read(clean / f"{name}.csv")
        _, bad = read(tmp_path / f"{name}.csv")
        assert len(good) == len(bad)
        changed = sum(1 for g, b in zip(good, bad, strict=True) if g != b)
        assert 0 < changed <= 0.08 * len(good), (name, changed)
        assert changed <= summary.damaged[f"{name}.csv"]
        # every damaged row breaks a rule of the schema, every other row is clean
        assert all(bool(problems(name, b, ids)) == (g != b)
                   for g, b in zip(good, bad, strict=True)), name


def test_cli_writes_the_files_and_prints_the_rows(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", "--out", str(tmp_path), "--children", "50",
                                      "--seed", "2", "--end-date", END.isoformat()])
    assert result.exit_code == 0, result.output
    assert "arrests.csv" in result.output
    assert (tmp_path / "aggregate_returns.csv").exists()
    bad = CliRunner().invoke(app, ["synth", "--out", str(tmp_path), "--children", "0"])
    assert bad.exit_code == 2
    assert "error:" in bad.output

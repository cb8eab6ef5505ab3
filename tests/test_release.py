"""Releases on DuckDB and PostgreSQL: import → release → upload → the release unchanged → a new
release with `revised_from` on exactly the figures whose published value changed; withdrawal;
approvals refused after new data; `require_approval`; conflicts and crashes leave one whole
release or none."""

from __future__ import annotations

import csv
import secrets
from datetime import date
from pathlib import Path

import pytest

from jjis.api import import_registers
from jjis.errors import JjisError
from jjis.indicators.results import Figure
from jjis.publish import releases as rel
from jjis.release import make_release, withdraw_release
from jjis.release.approvals import approval_status, approve, area_approvals
from jjis.remit import Geography, User
from jjis.settings import Config
from jjis.store import Store
from jjis.synth import synthesise

CENSUS = date(2025, 12, 31)
TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JJIS_SECRET", secrets.token_hex(32))


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("release") / "registers"
    synthesise(folder, children=300, seed=4, end_date=CENSUS)
    return folder


def _load(store: Store, paths: list[Path]) -> None:
    report = import_registers(store, list(paths), Config(), today=TODAY)
    assert report.exit_code == 0, report.as_json()


def _one_more_stay(tmp: Path, store: Store) -> Path:
    """A detention register of one new stay in a remand centre of XA-N, held on the census
    date: it changes indicator 2's count of children in detention in XA-N and above."""
    facility = store.fetchall("SELECT f.facility_id FROM facilities f JOIN areas a ON "
                              "a.area_id = f.area_id WHERE f.kind = 'remand_centre' AND "
                              "(a.area_id = 'XA-N' OR a.parent_id = 'XA-N') ORDER BY 1 LIMIT 1")[0][0]
    folder = tmp / "more"
    folder.mkdir()
    path = folder / "detentions.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["stay_id", "child_id", "sex", "date_of_birth", "facility_id", "admission_date",
                    "status_at_admission", "sentence_date", "release_date", "release_reason",
                    "death_cause", "aftercare", "wholly_separated", "offence_code"])
        w.writerow(["NEW-1", "NEW-CHILD-1", "f", "2010-03-01", facility, "2025-12-01",
                    "pre_sentence", "", "", "", "", "", "yes", "0501"])
    return path


def _published(figures: list[Figure]) -> dict[tuple[int, str, str, str], object]:
    return {(f.indicator, f.statistic, f.area, f.breakdown_json): rel.published_value(f)
            for f in figures}


def test_release_upload_release_revisions_and_withdrawal(store: Store, registers: Path,
                                                         tmp_path: Path) -> None:
    _load(store, [registers])
    first = make_release(store, Config(), CENSUS, note="first", today=TODAY)
    assert first.release_id == "2025-12-31-XA-1" and first.released_by == "cli"
    assert first.replaces is None and first.revisions == 0 and first.withheld > 0
    assert first.manifest["snapshot"] == first.snapshot and first.manifest["settings"]
    before = rel.release_figures(store, first.release_id)
    assert len(before) == first.figures and all(not f.revised for f in before)
    # the release holds published figures: no count from 1 to 4 is shown
    assert all(f.suppressed or f.value is None or f.value == 0 or f.value >= 5
               for f in before if f.unit == "count")

    _load(store, [_one_more_stay(tmp_path, store)])
    # later imports never change a release
    assert _published(rel.release_figures(store, first.release_id)) == _published(before)
    assert rel.served(store, CENSUS, "XA").release_id == first.release_id  # type: ignore[union-attr]

    steps: list[tuple[str, int, int]] = []
    second = make_release(store, Config(), CENSUS, today=TODAY,
                          progress=lambda what, done, total: steps.append((what, done, total)))
    # the progress bar of `jjis release` is told of each step, in order, up to the last
    assert [s[1] for s in steps] == [0, 1, 2, 3, 4, 5] and {s[2] for s in steps} == {5}
    assert steps[2][0] == "computing the figures" and steps[-1][0] == "released"
    assert second.release_id == "2025-12-31-XA-2" and second.replaces == first.release_id
    after = rel.release_figures(store, second.release_id)
    old = _published(before)
    revised = {k for k, v in _published(after).items() if k in old and old[k] != v}
    assert revised, "one more child in detention changes indicator 2 somewhere"
    assert {(f.indicator, f.statistic, f.area, f.breakdown_json) for f in after
            if f.revised} == revised
    for f in after:
        if f.revised:
            assert f.revised_from == old[(f.indicator, f.statistic, f.area, f.breakdown_json)]
            assert f.as_json()["revised"] is True and "revised_from" in f.as_json()
    assert second.revisions == len(revised)
    assert len(rel.release_figures(store, second.release_id, revised_only=True)) == len(revised)
    # indicator 2's count of children held on the census date in XA-N went up by one
    n2 = [f for f in after if f.revised and f.indicator == 2 and f.area == "XA-N"
          and not f.breakdown and f.statistic == "count"]
    if n2 and n2[0].value is not None and n2[0].revised_from is not None:
        assert n2[0].value == float(n2[0].revised_from) + 1  # type: ignore[arg-type]

    withdrawn = withdraw_release(store, second.release_id, "the new stay is a test")
    assert withdrawn.withdrawn is not None and withdrawn.withdrawn["reason"] == "the new stay is a test"
    assert rel.served(store, CENSUS, "XA").release_id == first.release_id  # type: ignore[union-attr]
    with pytest.raises(JjisError, match="already withdrawn"):
        withdraw_release(store, second.release_id, "again")
    ids = [r.release_id for r in rel.list_releases(store)]
    assert sorted(ids) == [first.release_id, second.release_id]


def _cover_release(path: Path) -> str:
    import re

    m = re.search(r'data-release="([^"]+)"', (path / "report.html").read_text())
    assert m
    return m.group(1)


def test_bad_input_and_rights(store: Store, registers: Path, tmp_path: Path) -> None:
    from jjis.reports import write_report

    _load(store, [registers])
    cfg = Config()
    with pytest.raises(JjisError, match="in the future"):
        make_release(store, cfg, date(2026, 2, 1), today=TODAY)
    with pytest.raises(JjisError, match="there is no area 'XX'"):
        make_release(store, cfg, CENSUS, area="XX", today=TODAY)
    with pytest.raises(JjisError, match="no data for XA"):
        make_release(store, cfg, date(1990, 12, 31), today=TODAY)
    inspector = User("ines", "inspector", ("XA-N",))
    with pytest.raises(JjisError, match="inspector user cannot release"):
        make_release(store, cfg, CENSUS, area="XA-N", user=inspector, today=TODAY)
    analyst = User("amina", "analyst", ("XA-N",))
    with pytest.raises(JjisError, match="outside the remit of amina"):
        make_release(store, cfg, CENSUS, area="XA-S", user=analyst, today=TODAY)
    with pytest.raises(JjisError, match="outside the remit"):
        make_release(store, cfg, CENSUS, user=analyst, today=TODAY)  # the country
    assert rel.list_releases(store) == []
    # a report before any release shows the current data, marked draft on its cover
    write_report(store, cfg, CENSUS, tmp_path / "draft", area="XA-N", formats=["html"])
    assert _cover_release(tmp_path / "draft") == "draft"
    made = make_release(store, cfg, CENSUS, area="XA-N", user=analyst, today=TODAY)
    write_report(store, cfg, CENSUS, tmp_path / "released", area="XA-N", formats=["html"])
    assert _cover_release(tmp_path / "released") == made.release_id
    with pytest.raises(JjisError, match="is of 2025-12-31 for XA-N"):
        write_report(store, cfg, date(2024, 12, 31), tmp_path / "x", area="XA-N",
                     formats=["html"], release=made.release_id)
    assert made.released_by == "amina" and made.area == "XA-N"
    assert {f.area for f in rel.release_figures(store, made.release_id)} == \
        set(Geography.load(store).below("XA-N"))


def test_approvals_lapse_with_new_data_and_require_approval(store: Store, registers: Path,
                                                            tmp_path: Path) -> None:
    _load(store, [registers])
    geo = Geography.load(store)
    below = sorted(a for a in geo.below("XA") if a != "XA")
    hashes = {a.area: a.data_hash for a in area_approvals(store, geo, below, CENSUS)}
    analyst = User("amina", "analyst", ("XA-N",))
    with pytest.raises(JjisError, match="outside the remit"):
        approve(store, CENSUS, "XA-S-01", hashes["XA-S-01"], user=analyst, today=TODAY)
    for a in below:
        approve(store, CENSUS, a, hashes[a], user=analyst if a.startswith("XA-N") else None,
                today=TODAY)
    assert approval_status(store, geo, "XA", CENSUS) == {"approved": below, "unapproved": []}

    more = _one_more_stay(tmp_path, store)
    _load(store, [more])  # new data for the facility's area and the areas above it
    facility_area = store.fetchall("SELECT area_id FROM facilities WHERE facility_id = (SELECT "
                                   "facility_id FROM detentions WHERE stay_id = 'NEW-1')")[0][0]
    geo = Geography.load(store)
    changed = [a for a in area_approvals(store, geo, below, CENSUS) if not a.approved]
    assert {a.area for a in changed} == set(geo.chain(facility_area)) - {"XA"}
    assert all(a.lapsed for a in changed)
    for a in changed:
        with pytest.raises(JjisError, match="changed since it was reviewed"):
            approve(store, CENSUS, a.area, hashes[a.area], user=analyst, today=TODAY)

    strict = Config({"release.require_approval": True})
    names = ", ".join(a.area for a in changed)
    with pytest.raises(JjisError, match=f"not approved: {names}$"):
        make_release(store, strict, CENSUS, today=TODAY)
    assert rel.list_releases(store) == []
    for a in changed:  # reviewed again: the hash of the data now
        approve(store, CENSUS, a.area, a.data_hash, user=analyst, today=TODAY)
    made = make_release(store, strict, CENSUS, today=TODAY)
    assert made.approvals == {"approved": below, "unapproved": []}


def _release(rid_seq: int, by: str) -> rel.Release:
    return rel.Release(release_id=rel.release_id(CENSUS, "XA", rid_seq), census_date=CENSUS,
                       area="XA", seq=rid_seq, released_by=by, released_at=rel.now(), note="",
                       run_id="r", snapshot="s", manifest={}, figures=1, revisions=0,
                       replaces=None)


def _figure(value: float) -> Figure:
    return Figure(2, "count", "XA", CENSUS, date(2025, 1, 1), CENSUS, "count", value=value)


def test_two_releases_at_once_one_wins_and_a_crash_leaves_nothing(store: Store,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # both took the next number before storing (as two `jjis release` started together do)
    seq = rel.next_seq(store, CENSUS, "XA")
    rel.store_release(store, _release(seq, "amina"), [_figure(10)])
    with pytest.raises(rel.ReleaseConflict, match="2025-12-31-XA-1 .* stored first \\(by amina"):
        rel.store_release(store, _release(seq, "joseph"), [_figure(11)])
    assert [f.value for f in rel.release_figures(store, "2025-12-31-XA-1")] == [10]

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(store, "stage", crash)
    with pytest.raises(RuntimeError):
        rel.store_release(store, _release(2, "amina"), [_figure(12)])
    assert rel.get_release(store, "2025-12-31-XA-2") is None
    assert rel.release_figures(store, "2025-12-31-XA-2") == []


def test_revision_marks() -> None:
    # hand-made: 10 -> 12 is revised from 10; withheld -> 7 is revised from None; 3 -> 3 is not;
    # a figure new to the release is not a revision
    old = [_figure(10), Figure(2, "rate", "XA", CENSUS, date(2025, 1, 1), CENSUS, "per_100000",
                               value=None, suppressed=True),
           Figure(2, "count", "XA-N", CENSUS, date(2025, 1, 1), CENSUS, "count", value=3)]
    new = [_figure(12), Figure(2, "rate", "XA", CENSUS, date(2025, 1, 1), CENSUS, "per_100000",
                               value=7.0),
           Figure(2, "count", "XA-N", CENSUS, date(2025, 1, 1), CENSUS, "count", value=3),
           Figure(3, "count", "XA", CENSUS, date(2025, 1, 1), CENSUS, "count", value=1)]
    assert rel.mark_revisions(new, old) == 2
    assert [(f.revised, f.revised_from) for f in new] == [(True, 10.0), (True, None),
                                                          (False, None), (False, None)]


def test_outliers_a_month_ten_times_the_usual_and_none_on_the_clean_country(
        store: Store, registers: Path) -> None:
    from jjis.release.outliers import MIN_HISTORY, outliers

    _load(store, [registers])
    assert outliers(store, Config()) == []  # the clean synthetic country
    # the facility and month with the most admissions among months with a year of history
    # before them; its admissions that month are multiplied by ten (nine copies of each stay)
    rows = store.fetchall(
        "SELECT facility_id, CAST(extract(year FROM admission_date) AS INTEGER) AS y, "
        "CAST(extract(month FROM admission_date) AS INTEGER) AS m, count(*) AS n "
        "FROM detentions GROUP BY 1, 2, 3 ORDER BY n DESC, 1, 2, 3")
    first = {}
    for fac, y, m, _n in rows:
        first[fac] = min(first.get(fac, y * 12 + m), y * 12 + m)
    fac, y, m, n = next(r for r in rows if r[1] * 12 + r[2] - first[r[0]] >= MIN_HISTORY)
    for k in range(1, 10):
        store.execute(
            "INSERT INTO detentions SELECT stay_id || '-x' || CAST(? AS VARCHAR), child_id, sex, "
            "date_of_birth, age, facility_id, admission_date, status_at_admission, "
            "sentence_date, release_date, release_reason, death_cause, aftercare, "
            "wholly_separated, offence_code FROM detentions WHERE facility_id = ? AND "
            "extract(year FROM admission_date) = ? AND extract(month FROM admission_date) = ? "
            "AND strpos(stay_id, '-x') = 0", [k, fac, y, m])
    found = [o for o in outliers(store, Config()) if o.measure == "admissions"]
    month = f"{y:04d}-{m:02d}"
    hit = [o for o in found if o.facility_id == fac and o.month == month]
    assert len(hit) == 1 and hit[0].value == 10 * n and hit[0].z > 3.5
    assert hit[0].usual_high < 10 * n and "usually" in hit[0].message

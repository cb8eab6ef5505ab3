"""Data-quality findings: one child recorded with a different sex or date of birth across rows;
one child held in two stays that overlap in time.

Not an import failure (registers disagree; a person must look), but recorded and reported.
"""

from __future__ import annotations

from jjis.errors import Finding
from jjis.ingest.pseudonym import shown
from jjis.schema import TABLES
from jjis.store import Store

CHILD_TABLES = [t.name for t in TABLES.values() if t.child_level and "sex" in t.column_names]
# Past this share of the stored rows, reading every row is cheaper than looking up the touched ones
FULL_SCAN_SHARE = 0.25


def conflicting_children(store: Store, import_id: int, touched_children: str) -> list[Finding]:
    """Children of the rows this import loaded (the table `touched_children` names, one row per
    row loaded) whose sex or date of birth differs across registers; recorded under the import's
    last id."""
    touched = store.count(touched_children)
    stored = sum(store.count(t) for t in CHILD_TABLES)
    only_touched = touched < FULL_SCAN_SHARE * stored
    where = f" WHERE child_id IN (SELECT child_id FROM {touched_children})" if only_touched else ""
    union = " UNION ALL ".join(f"SELECT child_id, sex, date_of_birth FROM {t}{where}"
                               for t in CHILD_TABLES)
    # min <> max finds the children with two values cheaply; conflicts are rare, so the detail is
    # read for them only, and a full scan keeps those of them that this import touched
    odd = (f"WITH r AS ({union}) SELECT child_id FROM r GROUP BY child_id HAVING "
           f"min(NULLIF(sex, 'u')) <> max(NULLIF(sex, 'u')) OR min(date_of_birth) <> max(date_of_birth)")
    if not only_touched:
        odd = f"SELECT DISTINCT child_id FROM {touched_children} WHERE child_id IN ({odd})"
    store.temp_table_as("odd_children", odd)
    if not store.count("odd_children"):
        return []
    union = " UNION ALL ".join(f"SELECT child_id, sex, date_of_birth FROM {t} WHERE child_id IN "
                               f"(SELECT child_id FROM odd_children)" for t in CHILD_TABLES)
    rows = store.fetchall(
        f"SELECT child_id, count(DISTINCT NULLIF(sex, 'u')), count(DISTINCT date_of_birth), "
        f"string_agg(DISTINCT sex, '/' ORDER BY sex), "
        f"string_agg(DISTINCT CAST(date_of_birth AS VARCHAR), '/' ORDER BY CAST(date_of_birth AS VARCHAR)) "
        f"FROM ({union}) r GROUP BY child_id ORDER BY child_id")
    found: list[tuple[object, Finding]] = []
    for child, n_sex, n_dob, sexes, dobs in rows:
        who = shown(child)  # h:<hash>, as the quarantine shows children
        if n_sex > 1:
            found.append((child, Finding("conflicting-sex", "children",
                                         f"child {who[:14]}… is recorded with sex {sexes}",
                                         {"child_id": who})))
        if n_dob > 1:
            found.append((child, Finding("conflicting-date-of-birth", "children",
                                         f"child {who[:14]}… is recorded with dates of birth {dobs}",
                                         {"child_id": who})))
    store.insert_rows("findings", FINDING_COLUMNS,
                      [[import_id, f.type, f.table, child, f.message] for child, f in found])
    return [f for _, f in found]


FINDING_COLUMNS = ("import_id", "type", "table_name", "child_id", "message")
OPEN = "DATE '9999-12-31'"  # the release day of a stay still open, for comparisons


def overlapping_stays(store: Store, import_id: int, touched_children: str) -> list[Finding]:
    """Children of the rows this import loaded with two stays that overlap in time, in the same
    place or in two places: one finding per pair of stays, naming both. A stay released on the
    day the next one starts (a transfer) does not overlap it. The indicators still count the
    child once; the finding asks a person to correct the registers."""
    rows = store.fetchall(
        "SELECT a.child_id, a.facility_id, a.stay_id, a.admission_date, a.release_date, "
        "b.facility_id, b.stay_id, b.admission_date, b.release_date "
        "FROM detentions a JOIN detentions b ON a.child_id = b.child_id "
        "AND (a.facility_id < b.facility_id OR (a.facility_id = b.facility_id "
        "AND a.stay_id < b.stay_id)) "
        f"AND a.admission_date < COALESCE(b.release_date, {OPEN}) "
        f"AND b.admission_date < COALESCE(a.release_date, {OPEN}) "
        f"WHERE a.child_id IN (SELECT child_id FROM {touched_children}) "
        "ORDER BY a.child_id, a.facility_id, a.stay_id, b.facility_id, b.stay_id")
    found: list[tuple[object, Finding]] = []
    for child, fa, sa, ad_a, rel_a, fb, sb, ad_b, rel_b in rows:
        who = shown(child)
        first, second = _stay(fa, sa, ad_a, rel_a), _stay(fb, sb, ad_b, rel_b)
        f = Finding("overlapping-stays", "detentions",
                    f"child {who[:14]}… is held in two stays at once: {first} and {second}",
                    {"child_id": who, "stays": [f"{fa}/{sa}", f"{fb}/{sb}"]})
        found.append((child, f))
    store.insert_rows("findings", FINDING_COLUMNS,
                      [[import_id, f.type, f.table, child, f.message] for child, f in found])
    return [f for _, f in found]


def _stay(facility: object, stay: object, admitted: object, released: object) -> str:
    until = "still held" if released is None else f"released {released}"
    return f"stay {stay} at {facility} (admitted {admitted}, {until})"

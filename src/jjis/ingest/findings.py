"""Data-quality findings: one child recorded with a different sex or date of birth across rows;
one child held in two stays that overlap in time.

Not an import failure (registers disagree; a person must look), but recorded and reported.
"""

from __future__ import annotations

from jjis.errors import Finding
from jjis.ingest.pseudonym import shown
from jjis.schema import TABLES
from jjis.store import Store
from jjis.store import findings as queries

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
    rows = queries.conflicting_children(store, CHILD_TABLES, touched_children, only_touched)
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


def overlapping_stays(store: Store, import_id: int, touched_children: str) -> list[Finding]:
    """Children of the rows this import loaded with two stays that overlap in time, in the same
    place or in two places: one finding per pair of stays, naming both. A stay released on the
    day the next one starts (a transfer) does not overlap it. The indicators still count the
    child once; the finding asks a person to correct the registers."""
    rows = queries.overlapping_stays(store, touched_children)
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

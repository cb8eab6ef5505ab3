"""A child held in two stays at once (same place or two places) is a data-quality finding of the
import naming both stays; the indicators still count the child once."""

from __future__ import annotations

from pathlib import Path

from real_shapes import AREAS, FACILITIES, figures, import_folder, keyed, write

HEADER = ["stay_id", "child_id", "sex", "age", "facility_id", "admission_date",
          "status_at_admission", "release_date", "release_reason"]
STAYS = [
    HEADER,
    # K1: open at RC1 while held at AP1 for a month: two places at once
    ["S1", "K1", "m", "16", "RC1", "2025-01-01", "pre_sentence", "", ""],
    ["S2", "K1", "m", "16", "AP1", "2025-03-01", "pre_sentence", "2025-04-01", "transfer"],
    # K2: released from RC1 on the day admitted again there (a transfer): no overlap
    ["S3", "K2", "f", "15", "RC1", "2025-01-01", "pre_sentence", "2025-02-01", "transfer"],
    ["S4", "K2", "f", "15", "RC1", "2025-02-01", "pre_sentence", "", ""],
    # K3: two open stays at the same place
    ["S5", "K3", "f", "14", "RC1", "2025-02-10", "pre_sentence", "", ""],
    ["S6", "K3", "f", "14", "RC1", "2025-03-01", "sentenced", "", ""],
]


def test_each_pair_of_overlapping_stays_is_one_finding(store, tmp_path: Path, monkeypatch) -> None:
    keyed(monkeypatch)
    folder = tmp_path / "registers"
    write(folder, "areas.csv", AREAS)
    write(folder, "facilities.csv", FACILITIES)
    write(folder, "detentions.csv", STAYS)
    report = import_folder(store, folder)
    assert report.tables["detentions"].accepted == 6
    found = [f for f in report.as_json()["findings"] if f["type"] == "overlapping-stays"]
    assert sorted(tuple(f["stays"]) for f in found) == [("AP1/S2", "RC1/S1"), ("RC1/S5", "RC1/S6")]
    for f in found:
        for stay in f["stays"]:
            assert stay.split("/")[1] in f["message"]
    k1 = next(f["message"] for f in found if "S1" in f["stays"][1])
    assert "still held" in k1 and "released 2025-04-01" in k1
    stored = store.fetchall("SELECT type, table_name, count(*) FROM findings GROUP BY type, "
                            "table_name")
    assert stored == [("overlapping-stays", "detentions", 2)]
    # Held on 2025-03-15: K1 (in both places, counted once), K2 and K3 (counted once).
    assert figures(store, "2025-03-15")[(2, "rate", "XA")].numerator == 3

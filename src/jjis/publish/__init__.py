"""The publication layer: intervals, coverage, disclosure control and provenance of figures.

Pure functions over `Figure`s (jjis.indicators.results), except where a store is named.
"""

from jjis.publish.coverage import apply_coverage, area_parents, coverage
from jjis.publish.disclosure import PublishResult, Withheld, WithheldField, publish, shown_value
from jjis.publish.intervals import add_intervals, garwood, wilson
from jjis.publish.provenance import (
    Manifest,
    list_runs,
    load_manifest,
    load_results,
    new_manifest,
    record_run,
    snapshot_hash,
)

__all__ = [
    "Manifest",
    "PublishResult",
    "Withheld",
    "WithheldField",
    "add_intervals",
    "apply_coverage",
    "area_parents",
    "coverage",
    "garwood",
    "list_runs",
    "load_manifest",
    "load_results",
    "new_manifest",
    "publish",
    "record_run",
    "shown_value",
    "snapshot_hash",
    "wilson",
]

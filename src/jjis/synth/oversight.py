"""Inspections of the places of detention and the national policy checklist (indicators 12-15).

Every place of detention gets about one inspection a year while it is open, by an independent
body or by its own administration. Each checklist item has an answer from years before the span;
some items change answer during the span (a law passed, a plan that lapsed).
"""

from __future__ import annotations

import numpy as np

from jjis.schema import codes
from jjis.synth.country import Country
from jjis.synth.dates import MISSING, Span, iso, to_date
from jjis.synth.render import Columns, numbered

BODIES = (  # name, independent of the authority running the place
    ("National Preventive Mechanism", True),
    ("Office of the Ombudsperson for Children", True),
    ("International Committee of the Red Cross", True),
    ("Ministry of Justice Inspectorate", False),
    ("Prison Service Inspection Unit", False),
    ("Regional Police Command", False),
)
BODY_WEIGHTS = [0.30, 0.15, 0.05, 0.25, 0.15, 0.10]
INSPECTIONS_A_YEAR = 1.1

POLICY_ITEMS = {
    "12": (("inspection_law", "Places of Detention Inspection Act"),
           ("npm_designated", "Decree designating the National Preventive Mechanism"),
           ("unannounced_visits", "Inspection Act, art. 9 (unannounced visits)")),
    "13": (("complaints_law", "Children Act, part VI (complaints)"),
           ("child_friendly_complaints", "Prison Service circular on complaint forms for children"),
           ("independent_complaints_body", "Ombudsperson for Children Act")),
    "14": (("juvenile_justice_law", "Juvenile Justice Act"),
           ("specialised_courts", "Juvenile Justice Act, art. 4 (juvenile courts)"),
           ("specialised_police", "Police Order on child protection units"),
           ("specialised_prosecutors", "Prosecutor General's instruction on juvenile cases")),
    "15": (("national_prevention_plan", "National Plan for the Prevention of Youth Crime"),
           ("prevention_budget", "Budget law, programme on youth crime prevention"),
           ("prevention_coordination_body", "Decree establishing the prevention council")),
}
ALWAYS_CHANGE = ("specialised_prosecutors", "national_prevention_plan", "child_friendly_complaints")


def inspections_columns(rng: np.random.Generator, country: Country, span: Span) -> Columns:
    facility, when, body = [], [], []
    for f_index, fac in enumerate(country.facilities):
        if fac.kind not in codes.PLACES_OF_DETENTION:
            continue
        first = span.first if fac.opened == MISSING else max(span.first, fac.opened)
        last = span.last if fac.closed == MISSING else min(span.last, fac.closed - 1)
        if last < first:
            continue
        visits = rng.poisson(INSPECTIONS_A_YEAR * (last - first + 1) / 365.25)
        facility += [f_index] * visits
        when += rng.integers(first, last + 1, visits).tolist()
        weights = np.array(BODY_WEIGHTS[:-1] + [0.6 if fac.kind == "police_lockup" else 0.0])
        body += rng.choice(len(BODIES), size=visits, p=weights / weights.sum()).tolist()
    order = np.lexsort((np.array(facility, dtype=np.int64), np.array(when, dtype=np.int64)))
    fac_ids = np.array([f.facility_id for f in country.facilities])
    body_arr = np.array(body, dtype=np.int64)[order]
    independent = np.array(["yes" if b[1] else "no" for b in BODIES])
    return {
        "inspection_id": numbered("I", 1, len(order)),
        "facility_id": fac_ids[np.array(facility, dtype=np.int64)[order]],
        "inspection_date": iso(np.array(when, dtype=np.int64)[order]),
        "body": np.array([b[0] for b in BODIES])[body_arr],
        "independent": independent[body_arr],
    }


def _answers(rng: np.random.Generator, span: Span, item: str) -> list[tuple[bool, int]]:
    """(answer, as_of) of one item: one from before the span, perhaps a change during it."""
    changes = item in ALWAYS_CHANGE or rng.random() < 0.15
    first = item not in ALWAYS_CHANGE and bool(rng.random() < 0.6)
    answers = [(first, span.first - int(rng.integers(3 * 365, 15 * 365)))]
    if changes:
        answers.append((not first, int(rng.integers(span.first + 60, span.last - 30))))
    return answers


def policy_columns(rng: np.random.Generator, span: Span) -> Columns:
    """The checklist: an answer is `yes` with the text that makes it so, `no` without."""
    rows: list[tuple[str, str, str, int, str]] = []
    for indicator, items in POLICY_ITEMS.items():
        for item, evidence in items:
            for yes, as_of in _answers(rng, span, item):
                text = f"{evidence} {to_date(as_of).year}" if yes else ""
                rows.append((indicator, item, "yes" if yes else "no", as_of, text))
    columns = list(zip(*rows, strict=True))
    return {
        "indicator": np.array(columns[0]),
        "item": np.array(columns[1]),
        "answer": np.array(columns[2]),
        "as_of": iso(np.array(columns[3], dtype=np.int64)),
        "evidence": np.array(columns[4]),
    }

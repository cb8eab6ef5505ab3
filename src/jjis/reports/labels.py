"""What the reports call things: statistics, units, breakdowns and their values, answers.

Declared once, in English; every label is a message id of the translation catalogues
(`N_` marks it for extraction). The headline statistic of each indicator is the one its charts,
summary and comparisons show: its catalogue entry's `headline`.
"""

from __future__ import annotations

from jjis.reports.i18n import N_

# The statistics of the breakdown and area tables (the headline first); the key figures show all
# statistics except the duration bands, which have a chart and table of their own.
TABLE_STATISTICS: dict[int, tuple[str, ...]] = {
    1: ("rate", "events"), 3: ("rate", "share_of_detained"),
    4: ("median_days", "mean_days", "count"), 5: ("median_days", "mean_days", "count"),
    6: ("rate", "rate_census", "rate_average_daily_population"),
}

# The breakdowns a report computes (each its own set of figures).
REPORT_BREAKDOWNS = ("sex", "age_group", "offence")

BANDS = ("0_6", "7_29", "30_89", "90_179", "180_364", "365_plus")

STATISTICS: dict[str, str] = {
    "rate": N_("Rate"),
    "events": N_("Arrests (events)"),
    "share_of_detained": N_("Share of all children in detention"),
    "count": N_("Number ended in the period"),
    "median_days": N_("Median duration (days)"),
    "mean_days": N_("Mean duration (days)"),
    "percent": N_("Percentage"),
    "part_a": N_("(a) System in place"),
    "part_b": N_("(b) Share of places of detention"),
    "answer": N_("Answer"),
    "rate_census": N_("Rate per 1,000 children in detention on the census date"),
    "rate_average_daily_population": N_("Rate per 1,000 of the average daily population"),
    **{f"band_{b}": s for b, s in zip(BANDS, (
        N_("Ended: under 7 days"), N_("Ended: 7–29 days"), N_("Ended: 30–89 days"),
        N_("Ended: 90–179 days"), N_("Ended: 180–364 days"), N_("Ended: 365 days and over")),
        strict=True)},
    **{f"on_census_band_{b}": s for b, s in zip(BANDS, (
        N_("On the census date: under 7 days"), N_("On the census date: 7–29 days"),
        N_("On the census date: 30–89 days"), N_("On the census date: 90–179 days"),
        N_("On the census date: 180–364 days"), N_("On the census date: 365 days and over")),
        strict=True)},
}

# Labels that depend on the indicator as well as the statistic.
STATISTICS_OF: dict[tuple[int, str], str] = {
    (1, "rate"): N_("Children arrested per 100,000 children"),
    (2, "rate"): N_("Children in detention per 100,000 children"),
    (3, "rate"): N_("Children in pre-sentence detention per 100,000 children"),
    (4, "count"): N_("Pre-sentence periods ended in the period"),
    (5, "count"): N_("Sentenced spells ended in the period"),
    (6, "rate"): N_("Deaths per 1,000 children detained in the period"),
    (7, "percent"): N_("Children not wholly separated from adults"),
    (8, "percent"): N_("Children with family contact in the last three months"),
    (9, "percent"): N_("Sentenced children with a custodial sentence"),
    (10, "percent"): N_("Children diverted before sentence"),
    (11, "percent"): N_("Released children who received aftercare"),
    (12, "part_b"): N_("(b) Places of detention inspected independently"),
    (13, "part_b"): N_("(b) Places of detention with a complaints system"),
}

# Short headings of table columns (the full label names the chart's axis).
COLUMNS: dict[str, str] = {
    "rate": N_("Rate"), "events": N_("Arrests"), "share_of_detained": N_("% of detained"),
    "count": N_("Number"), "median_days": N_("Median (days)"), "mean_days": N_("Mean (days)"),
    "percent": N_("%"), "part_b": N_("%"), "part_a": N_("Answer"), "answer": N_("Answer"),
    "rate_census": N_("Per 1,000 on the census date"),
    "rate_average_daily_population": N_("Per 1,000 of the average daily population"),
}
COLUMNS_OF: dict[tuple[int, str], str] = {
    (1, "rate"): N_("Per 100,000"), (2, "rate"): N_("Per 100,000"), (3, "rate"): N_("Per 100,000"),
    (6, "rate"): N_("Per 1,000 detained in the period"),
}

BAND_LABELS: dict[str, str] = dict(zip(BANDS, (
    N_("under 7 days"), N_("7–29 days"), N_("30–89 days"), N_("90–179 days"),
    N_("180–364 days"), N_("365 days and over")), strict=True))
BAND_SERIES = {"band_": N_("Ended in the period"), "on_census_band_": N_("Held on the census date")}

UNITS: dict[str, str] = {
    "per_100000": N_("per 100,000 children"),
    "per_1000": N_("per 1,000"),
    "percent": N_("%"),
    "days": N_("days"),
    "count": N_("number"),
    "answer": N_("yes / partly / no"),
}

BY: dict[str, str] = {
    "sex": N_("By sex"), "age_group": N_("By age group"), "offence": N_("By offence"),
    "facility_kind": N_("By kind of facility"), "legal_status": N_("By legal status"),
}

# Short names of the ICCS sections, for chart labels (tables give the full names).
ICCS_SHORT: dict[str, str] = {
    "01": N_("Homicide"), "02": N_("Harm to the person"), "03": N_("Sexual acts"),
    "04": N_("Property, with violence"), "05": N_("Property only"), "06": N_("Drugs"),
    "07": N_("Fraud, corruption"), "08": N_("Public order, authority"),
    "09": N_("Public safety, State security"), "10": N_("Natural environment"),
    "11": N_("Other criminal acts"),
}

DIMENSIONS: dict[str, str] = {
    "": N_("Total"),
    "sex": N_("Sex"),
    "age_group": N_("Age group"),
    "offence": N_("Offence (ICCS section)"),
    "facility_kind": N_("Kind of facility"),
    "legal_status": N_("Legal status"),
}

VALUES: dict[tuple[str, str], str] = {
    ("", ""): N_("All children"),
    ("sex", "f"): N_("Girls"),
    ("sex", "m"): N_("Boys"),
    ("sex", "u"): N_("Sex not recorded"),
    ("age_group", "unknown"): N_("Age not known"),
    ("offence", "unknown"): N_("Offence not recorded"),
}
AGE_UNDER = N_("Under {n}")
AGE_RANGE = N_("{lo}–{hi} years")

ANSWERS: dict[str, str] = {"yes": N_("Yes"), "partial": N_("Partly"), "no": N_("No")}

LEVELS: dict[str, str] = {
    "country": N_("Country"), "region": N_("Regions"), "district": N_("Districts"),
}
LEVEL_OTHER = N_("Areas at level “{level}”")

TYPES: dict[str, str] = {
    "rate": N_("rate"), "share": N_("share"), "duration": N_("duration"), "count": N_("count"),
    "policy": N_("policy"),
}
TIMINGS: dict[str, str] = {
    "period": N_("period: the twelve months to the census date"),
    "snapshot": N_("snapshot: on the census date"),
}

REGISTERS: dict[str, str] = {
    "areas": N_("Areas"), "facilities": N_("Facilities"), "population": N_("Population"),
    "arrests": N_("Arrests"), "detentions": N_("Detentions"), "decisions": N_("Decisions"),
    "family_contacts": N_("Family contacts"), "inspections": N_("Inspections"),
    "policy": N_("Policy checklist"), "aggregate_returns": N_("Aggregate returns"),
}

# Words for the codes of the registers that pages and reports name (schema/codes.py declares the
# codes and their order; tests/test_web_french.py checks every code has its label here).
CODES: dict[str, dict[str, str]] = {
    "facility_kind": {
        "police_station": N_("police station"), "police_lockup": N_("police lockup"),
        "prosecutor": N_("prosecutor"), "court": N_("court"), "remand_centre": N_("remand centre"),
        "juvenile_detention": N_("juvenile detention centre"),
        "juvenile_correctional": N_("juvenile correctional facility"),
        "closed_care": N_("closed care facility"), "adult_prison": N_("adult prison"),
        "diversion_programme": N_("diversion programme"),
        "social_services": N_("social services"), "other": N_("other"),
    },
    "legal_status": {"pre_sentence": N_("pre-sentence"), "sentenced": N_("sentenced")},
    "release_reason": {
        "transfer": N_("transfer"), "released_pending_trial": N_("released pending trial"),
        "acquitted": N_("acquitted"), "diverted": N_("diverted"), "dismissed": N_("dismissed"),
        "sentence_served": N_("sentence served"), "early_release": N_("early release"),
        "death": N_("death"), "escape": N_("escape"), "other": N_("other"),
    },
    "sex": {"f": N_("girl"), "m": N_("boy"), "u": N_("not recorded")},
    "yes_no": {"yes": N_("yes"), "no": N_("no"), "unknown": N_("unknown")},
}
CODES["kind"] = CODES["facility_kind"]
# Names of the breakdowns where a page lists them as choices.
BREAKDOWN_NAMES: dict[str, str] = {
    "sex": N_("sex"), "age_group": N_("age group"), "offence": N_("offence"),
    "facility_kind": N_("kind of facility"), "legal_status": N_("legal status"),
}

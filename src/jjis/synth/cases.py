"""One arrest and what follows it: release, diversion by police or prosecutor, or court.

About half the arrested children are released or diverted; the others are charged. Some of
those are remanded (a lock-up, then a remand centre); all are decided by the regional court.
`custody.py` turns the remands and custodial sentences into stays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jjis.schema import codes
from jjis.synth.children import Children
from jjis.synth.country import Country
from jjis.synth.dates import MISSING
from jjis.synth.frames import Frame, pick

OFFENCES = {
    "01": 1.0, "02": 10.0, "0201": 6.0, "03": 3.0, "04": 6.0, "0401": 6.0, "05": 14.0,
    "0501": 10.0, "0502": 14.0, "06": 7.0, "0601": 5.0, "07": 4.0, "08": 6.0, "0801": 4.0,
    "09": 2.0, "10": 0.5, "11": 1.5,
}
OFFENCE_CODES = tuple(OFFENCES)

RELEASED, POLICE_DIVERSION, PROSECUTOR_DIVERSION, COURT = range(4)
ROUTES = {RELEASED: 0.18, POLICE_DIVERSION: 0.27, PROSECUTOR_DIVERSION: 0.10, COURT: 0.45}
REMANDED = 0.35  # of court cases: held until trial (lock-up, then remand)
BRIEF_LOCKUP = 0.20  # of the others: a night or two in a lock-up, then released pending trial

DIVERSION, CUSTODIAL, NON_CUSTODIAL, ACQUITTAL, DISMISSAL = (
    codes.DECISION_KINDS.index(k) for k in
    ("diversion", "custodial_sentence", "non_custodial_sentence", "acquittal", "dismissal"))
VERDICTS_REMANDED = {CUSTODIAL: 0.50, NON_CUSTODIAL: 0.30, ACQUITTAL: 0.10, DISMISSAL: 0.05,
                     DIVERSION: 0.05}
VERDICTS_AT_LIBERTY = {CUSTODIAL: 0.12, NON_CUSTODIAL: 0.58, ACQUITTAL: 0.12, DISMISSAL: 0.10,
                       DIVERSION: 0.08}
SENTENCE_DAYS = {30: 0.08, 60: 0.10, 90: 0.15, 180: 0.20, 270: 0.12, 365: 0.15, 540: 0.08,
                 730: 0.07, 1095: 0.04, 1460: 0.01}


@dataclass
class Cases:
    child: np.ndarray  # local child index
    arrest: np.ndarray  # day of the arrest
    district: np.ndarray
    region: np.ndarray
    station: np.ndarray  # arresting police station (facility index)
    offence: np.ndarray  # index into OFFENCE_CODES
    route: np.ndarray
    remanded: np.ndarray  # held from arrest until the court's decision (or release pending trial)
    brief: np.ndarray  # a short lock-up stay, then released pending trial
    court_date: np.ndarray  # MISSING unless the court decides
    verdict: np.ndarray  # index into codes.DECISION_KINDS, -1 unless the court decides
    sentence_days: np.ndarray  # of a custodial sentence, else 0

    def __len__(self) -> int:
        return len(self.child)


def _arresting(rng: np.random.Generator, country: Country, home: np.ndarray,
               arrest: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The district of the arrest (mostly home) and its police station, open at the time."""
    n = len(home)
    region = country.district_region[home]
    region_first = np.searchsorted(country.district_region, region)
    region_size = np.bincount(country.district_region)[region]
    away = rng.random(n) < 0.10
    district = np.where(away, region_first + (rng.random(n) * region_size).astype(np.int64), home)
    alt = rng.random(n) < 0.35
    station = np.where(alt, country.station_alt[district], country.station_main[district])
    station = country.or_fallback(station, arrest, arrest + 2, country.station_main[district])
    return district, station


def _court(rng: np.random.Generator, cases: Cases) -> None:
    court = cases.route == COURT
    n = len(cases)
    cases.remanded = court & (rng.random(n) < REMANDED)
    cases.brief = court & ~cases.remanded & (rng.random(n) < BRIEF_LOCKUP)
    lag = np.where(cases.remanded, 10 + rng.gamma(2.0, 35.0, n), 20 + rng.gamma(2.0, 70.0, n))
    cases.court_date = np.where(court, cases.arrest + lag.astype(np.int64), MISSING)
    verdict = np.where(cases.remanded, pick(rng, n, VERDICTS_REMANDED),
                       pick(rng, n, VERDICTS_AT_LIBERTY))
    cases.verdict = np.where(court, verdict, -1)
    days = pick(rng, n, SENTENCE_DAYS)
    cases.sentence_days = np.where(cases.verdict == CUSTODIAL, days, 0)


def open_cases(rng: np.random.Generator, country: Country, children: Children,
               child: np.ndarray, arrest: np.ndarray) -> Cases:
    n = len(child)
    district, station = _arresting(rng, country, children.district[child], arrest)
    empty = np.zeros(n, dtype=np.int64)
    cases = Cases(
        child=child, arrest=arrest, district=district, region=country.district_region[district],
        station=station, offence=pick(rng, n, list(OFFENCES.values())), route=pick(rng, n, ROUTES),
        remanded=empty.astype(bool), brief=empty.astype(bool), court_date=empty,
        verdict=empty, sentence_days=empty,
    )
    _court(rng, cases)
    return cases


def arrests_frame(rng: np.random.Generator, cases: Cases) -> Frame:
    outcome_of_route = np.array([codes.ARREST_OUTCOMES.index(o) for o in
                                 ("released", "diverted", "charged", "charged")])
    outcome = outcome_of_route[cases.route]
    outcome[cases.remanded | cases.brief] = codes.ARREST_OUTCOMES.index("detained")
    other = (cases.route == RELEASED) & (rng.random(len(cases)) < 0.05)
    outcome[other] = codes.ARREST_OUTCOMES.index("other")
    return Frame(child=cases.child, date=cases.arrest, facility=cases.station,
                 offence=cases.offence, outcome=outcome)


def _diverting_authority(rng: np.random.Generator, country: Country,
                         region: np.ndarray) -> np.ndarray:
    """Prosecutors divert most cases; welfare panels and the programme's intake a few."""
    who = pick(rng, len(region), [0.85, 0.10, 0.05])
    options = np.stack([country.by_region["prosecutor"][region],
                        country.by_region["social_services"][region],
                        np.full(len(region), country.national["diversion_programme"][0])])
    return options[who, np.arange(len(region))]


def decisions_frame(rng: np.random.Generator, country: Country, cases: Cases) -> Frame:
    n = len(cases)
    police_lag = pick(rng, n, {0: 0.6, 1: 0.3, 2: 0.1})
    prosecutor_lag = rng.integers(7, 91, n)
    route = cases.route
    date = np.select([route == POLICE_DIVERSION, route == PROSECUTOR_DIVERSION],
                     [cases.arrest + police_lag, cases.arrest + prosecutor_lag], cases.court_date)
    facility = np.select(
        [route == POLICE_DIVERSION, route == PROSECUTOR_DIVERSION],
        [cases.station, _diverting_authority(rng, country, cases.region)],
        country.by_region["court"][cases.region])
    kind = np.where(route == COURT, cases.verdict, DIVERSION)
    frame = Frame(child=cases.child, date=date, facility=facility, kind=kind,
                  offence=cases.offence, sentence_days=np.where(kind == CUSTODIAL,
                                                                cases.sentence_days, -1))
    return frame.take(route != RELEASED)

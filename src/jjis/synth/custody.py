"""Stays in places of detention that follow from the cases.

A remanded child spends a day or two in a police lock-up, is transferred to the remand centre
(same or next day: one spell) and stays until the court decides, unless released pending trial.
A custodial sentence is served either in the remand centre (its `sentence_date` set) or in a
place for sentenced children, entered by transfer or, for a child at liberty, arriving
`sentenced`. Pre-trial time counts towards the sentence; some are released early, a few escape
or die.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jjis.schema import codes
from jjis.synth.cases import CUSTODIAL, Cases
from jjis.synth.country import SENTENCED_PLACES, Country
from jjis.synth.dates import MISSING
from jjis.synth.frames import Frame, pick

REASON = {r: i for i, r in enumerate(codes.RELEASE_REASONS)}
STATUS = {s: i for i, s in enumerate(codes.LEGAL_STATUS)}
VERDICT_RELEASE = {  # release reason of a child held until the court decides, by decision kind
    codes.DECISION_KINDS.index("non_custodial_sentence"): REASON["other"],
    codes.DECISION_KINDS.index("acquittal"): REASON["acquitted"],
    codes.DECISION_KINDS.index("dismissal"): REASON["dismissed"],
    codes.DECISION_KINDS.index("diversion"): REASON["diverted"],
}
PENDING_TRIAL = 0.15  # of remanded children: released before the court decides
SERVE_IN_REMAND = 0.45  # of remanded children sentenced to custody: stay where they are
EARLY_RELEASE = 0.25
ESCAPE = 0.004
DEATH = 0.004
SENTENCED_PLACE_WEIGHTS = [0.62, 0.15, 0.13, 0.10]  # in the order of SENTENCED_PLACES


def _stays(cases: Cases, rows: np.ndarray, facility: np.ndarray, admission: np.ndarray,
           status: str, release: np.ndarray, reason: np.ndarray,
           sentence_date: np.ndarray | None = None) -> Frame:
    n = len(rows)
    return Frame(
        case=rows, child=cases.child[rows], facility=facility, admission=admission,
        status=np.full(n, STATUS[status]),
        sentence_date=np.full(n, MISSING) if sentence_date is None else sentence_date,
        release=release, reason=reason, cause=np.full(n, -1), offence=cases.offence[rows],
    )


def _remaining(rng: np.random.Generator, days: np.ndarray,
               credit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days still to serve after the sentence, pre-trial time deducted; some leave early."""
    remaining = np.maximum(1, days - credit)
    early = rng.random(len(days)) < EARLY_RELEASE
    shortened = np.maximum(1, (remaining * rng.uniform(0.5, 0.85, len(days))).astype(np.int64))
    return np.where(early, shortened, remaining), early


def _end_of_sentence(rng: np.random.Generator, stays: Frame, start: np.ndarray,
                     early: np.ndarray) -> None:
    """Final release of a sentenced stay: served, early, or (rarely) an escape or a death."""
    n = len(stays)
    stays["reason"] = np.where(early, REASON["early_release"], REASON["sentence_served"])
    event = pick(rng, n, [1 - ESCAPE - DEATH, ESCAPE, DEATH])
    on = start + (rng.random(n) * (stays["release"] - start + 1)).astype(np.int64)
    stays["release"] = np.where(event > 0, np.minimum(on, stays["release"]), stays["release"])
    stays["reason"] = np.select([event == 1, event == 2], [REASON["escape"], REASON["death"]],
                                stays["reason"])
    causes = pick(rng, n, [0.35, 0.25, 0.15, 0.15, 0.05, 0.05])  # order of codes.DEATH_CAUSES
    stays["cause"] = np.where(event == 2, causes, -1)


def _lockups(rng: np.random.Generator, country: Country, cases: Cases) -> Frame:
    rows = np.flatnonzero(cases.remanded | cases.brief)
    admission = cases.arrest[rows]
    release = admission + pick(rng, len(rows), {0: 0.3, 1: 0.5, 2: 0.2})
    district = cases.district[rows]
    facility = country.or_fallback(country.lockup[district], admission, release,
                                   country.lockup_fallback[district])
    reason = np.where(cases.remanded[rows], REASON["transfer"], REASON["released_pending_trial"])
    return _stays(cases, rows, facility, admission, "pre_sentence", release, reason)


@dataclass
class Remanded:
    """Per case: what the remand left for the sentenced stay (transfer day, days still due)."""

    served_in_remand: np.ndarray
    transfer_day: np.ndarray  # MISSING unless transferred to serve the sentence elsewhere
    remaining: np.ndarray
    early: np.ndarray


def _remand_releases(rng: np.random.Generator, admission: np.ndarray, court: np.ndarray,
                     verdict: np.ndarray, remaining: np.ndarray) -> tuple[np.ndarray, ...]:
    n = len(admission)
    custodial = verdict == CUSTODIAL
    pending = rng.random(n) < PENDING_TRIAL
    serve_here = custodial & ~pending & (rng.random(n) < SERVE_IN_REMAND)
    transfer = custodial & ~pending & ~serve_here
    to_transfer = np.minimum(rng.integers(0, 11, n), remaining - 1)
    release = np.select(
        [pending, serve_here, transfer],
        [admission + 1 + (rng.random(n) * (court - admission - 1)).astype(np.int64),
         court + remaining, court + to_transfer], court)
    reason = np.select([pending, transfer], [REASON["released_pending_trial"], REASON["transfer"]],
                       _verdict_release(verdict))
    return release, reason, pending, serve_here, transfer


def _remands(rng: np.random.Generator, country: Country, cases: Cases,
             lockup: Frame) -> tuple[Frame, Remanded]:
    moved = lockup["reason"] == REASON["transfer"]
    rows = lockup["case"][moved]
    n = len(rows)
    admission = lockup["release"][moved] + pick(rng, n, [0.7, 0.3])
    prisons = np.array(country.national["adult_prison"])
    facility = np.where(rng.random(n) < 0.05, prisons[rng.integers(0, len(prisons), n)],
                        country.by_region["remand_centre"][cases.region[rows]])
    court = cases.court_date[rows]
    remaining, early = _remaining(rng, cases.sentence_days[rows], court - cases.arrest[rows])
    release, reason, pending, serve_here, transfer = _remand_releases(
        rng, admission, court, cases.verdict[rows], remaining)
    sentenced_here = serve_here | transfer
    stays = _stays(cases, rows, facility, admission, "pre_sentence", release, reason,
                   np.where(sentenced_here, court, MISSING))
    served = stays.take(serve_here)
    _end_of_sentence(rng, served, court[serve_here], early[serve_here])
    for name in ("release", "reason", "cause"):
        stays[name][serve_here] = served[name]
    state = Remanded(np.zeros(len(cases), bool), np.full(len(cases), MISSING),
                     np.zeros(len(cases), np.int64), np.zeros(len(cases), bool))
    state.served_in_remand[rows] = serve_here
    state.transfer_day[rows[transfer]] = release[transfer]
    state.remaining[rows], state.early[rows] = remaining, early
    return stays, state


def _verdict_release(verdict: np.ndarray) -> np.ndarray:
    out = np.full(len(verdict), REASON["other"])
    for kind, reason in VERDICT_RELEASE.items():
        out[verdict == kind] = reason
    return out


def _sentenced_place(rng: np.random.Generator, country: Country,
                     admission: np.ndarray, release: np.ndarray) -> np.ndarray:
    n = len(admission)
    kind = pick(rng, n, SENTENCED_PLACE_WEIGHTS)
    options = [np.array(country.national[k]) for k in SENTENCED_PLACES]
    chosen = np.stack([o[rng.integers(0, len(o), n)] for o in options])[kind, np.arange(n)]
    first_of_kind = np.stack([np.full(n, o[0]) for o in options])[kind, np.arange(n)]
    return country.or_fallback(chosen, admission, release, first_of_kind)


def _sentenced(rng: np.random.Generator, country: Country, cases: Cases, before: Frame,
               remand: Remanded) -> Frame:
    """Stays that begin `sentenced`: by transfer from remand, or from liberty after the court."""
    rows = np.flatnonzero((cases.verdict == CUSTODIAL) & ~remand.served_in_remand)
    n = len(rows)
    last_release = np.full(len(cases), MISSING)
    np.maximum.at(last_release, before["case"], before["release"])
    held_until = last_release[rows]
    arrest, court = cases.arrest[rows], cases.court_date[rows]
    credit = np.where(held_until != MISSING, held_until - arrest, 0)
    fresh, fresh_early = _remaining(rng, cases.sentence_days[rows], credit)
    transfer_day = remand.transfer_day[rows]
    from_remand = transfer_day != MISSING
    left = np.where(from_remand, remand.remaining[rows], fresh)
    early = np.where(from_remand, remand.early[rows], fresh_early)
    delay = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 8, n))
    admission = np.where(from_remand, transfer_day + pick(rng, n, [0.7, 0.3]), court + delay)
    release = np.maximum(admission + 1, court + left)
    facility = _sentenced_place(rng, country, admission, release)
    out = _stays(cases, rows, facility, admission, "sentenced", release,
                 np.full(n, REASON["sentence_served"]))
    _end_of_sentence(rng, out, admission, early)
    return out


def custody(rng: np.random.Generator, country: Country, cases: Cases) -> Frame:
    """Every stay of the cases, release dates not yet cut at the end of the span."""
    lockups = _lockups(rng, country, cases)
    remands, state = _remands(rng, country, cases, lockups)
    before = Frame.concat([lockups, remands])
    sentenced = _sentenced(rng, country, cases, before, state)
    return Frame.concat([before, sentenced])


YES, NO, UNKNOWN = 0, 1, 2  # yes/no/unknown columns; -1 = not applicable (empty)
AFTERCARE_AFTER_SENTENCE = np.array([0.55, 0.30, 0.15])
AFTERCARE_OTHERWISE = np.array([0.12, 0.55, 0.33])
SEPARATED_ADULT_PRISON = np.array([0.15, 0.55, 0.30])
SEPARATED_WITH_ADULTS = np.array([0.35, 0.40, 0.25])
SEPARATED_JUVENILE = np.array([0.88, 0.02, 0.10])


def _yes_no_unknown(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """One draw per row of `p` (rows of probabilities of yes, no, unknown)."""
    u = rng.random(len(p))
    return (u >= p[:, 0]).astype(np.int64) + (u >= p[:, 0] + p[:, 1])


def _describe(rng: np.random.Generator, country: Country, stays: Frame) -> None:
    """Separation from adults during the stay; aftercare at a release that is not a transfer,
    a death or an escape."""
    kind = np.array([f.kind for f in country.facilities])[stays["facility"]]
    adults = np.array([bool(f.holds_adults) for f in country.facilities])[stays["facility"]]
    p = np.where((kind == "adult_prison")[:, None], SEPARATED_ADULT_PRISON,
                 np.where(adults[:, None], SEPARATED_WITH_ADULTS, SEPARATED_JUVENILE))
    stays["separated"] = _yes_no_unknown(rng, p)
    reason = stays["reason"]
    after_sentence = np.isin(reason, [REASON["sentence_served"], REASON["early_release"]])
    p = np.where(after_sentence[:, None], AFTERCARE_AFTER_SENTENCE, AFTERCARE_OTHERWISE)
    no_aftercare = np.isin(reason, [REASON["transfer"], REASON["death"], REASON["escape"]])
    stays["aftercare"] = np.where(no_aftercare, -1, _yes_no_unknown(rng, p))


def finish_stays(rng: np.random.Generator, country: Country, stays: Frame, last: int) -> Frame:
    """Describe the stays and cut them at the end of the span: a stay that begins later is
    dropped, one that ends later is still going on (no release, reason or aftercare yet)."""
    _describe(rng, country, stays)
    stays = stays.take(stays["admission"] <= last)
    going_on = stays["release"] > last
    stays["release"] = np.where(going_on, MISSING, stays["release"])
    for name in ("reason", "cause", "aftercare"):
        stays[name] = np.where(going_on, -1, stays[name])
    stays["sentence_date"] = np.where(stays["sentence_date"] > last, MISSING,
                                      stays["sentence_date"])
    return stays

"""The fictional country: its areas, its facilities and who sends children where.

Xandria (user-assigned ISO code XA) has four regions of three districts. Every district has police
stations; most have a police lock-up; every region has a prosecutor, a court, a remand centre
and a social welfare office; the places for sentenced children, the adult prisons and the
diversion programme are national. A few facilities open or close during the span, and three
(two police stations, one remand centre) send aggregate returns instead of registers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from jjis.schema import codes
from jjis.synth.dates import MISSING, Span

CODE = "XA"
NAME = "Xandria"
REGIONS = (
    ("N", "Northern", ("Alder", "Brackwater", "Corran")),
    ("S", "Southern", ("Dunmore", "Esker", "Fallow")),
    ("E", "Eastern", ("Glenrock", "Harrow", "Istmere")),
    ("W", "Western", ("Juniper", "Kelby", "Larkfield")),
)
SENTENCED_PLACES = ("juvenile_correctional", "juvenile_detention", "closed_care", "adult_prison")


@dataclass
class Facility:
    facility_id: str
    name: str
    area_id: str
    kind: str
    holds_adults: bool | None = None
    complaints_system: bool | None = None
    opened: int = MISSING
    closed: int = MISSING
    aggregate: bool = False  # sends aggregate returns instead of record-level registers


@dataclass
class Country:
    areas: list[tuple[str, str, str, str]]  # area_id, name, parent_id, level
    district_weights: np.ndarray  # share of the child population per district
    district_region: np.ndarray
    facilities: list[Facility] = field(default_factory=list)
    # routing: facility indexes by district, by region, or national
    station_main: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    station_alt: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    lockup: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    lockup_fallback: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    by_region: dict[str, np.ndarray] = field(default_factory=dict)
    national: dict[str, list[int]] = field(default_factory=dict)

    @property
    def district_ids(self) -> list[str]:
        return [a[0] for a in self.areas if a[3] == "district"]

    def array(self, attribute: str) -> np.ndarray:
        return np.array([getattr(f, attribute) for f in self.facilities])

    def open_between(self, fac: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """True where facility `fac` is open on every day from `first` to `last`."""
        opened, closed = self.array("opened")[fac], self.array("closed")[fac]
        return ((opened == MISSING) | (opened <= first)) & ((closed == MISSING) | (closed > last))

    def or_fallback(self, fac: np.ndarray, first: np.ndarray, last: np.ndarray,
                    fallback: np.ndarray) -> np.ndarray:
        return np.where(self.open_between(fac, first, last), fac, fallback)


class _Builder:
    def __init__(self, rng: np.random.Generator, span: Span) -> None:
        self.rng = rng
        self.span = span
        self.facilities: list[Facility] = []

    def add(self, fid: str, name: str, area: str, kind: str, **extra: object) -> int:
        detention = kind in codes.PLACES_OF_DETENTION
        fac = Facility(fid, name, area, kind, opened=self.old_date(), **extra)  # type: ignore[arg-type]
        if detention and fac.complaints_system is None:
            fac.complaints_system = bool(self.rng.random() < 0.6)
        if detention and fac.holds_adults is None:
            fac.holds_adults = kind in ("police_lockup", "adult_prison")
        self.facilities.append(fac)
        return len(self.facilities) - 1

    def old_date(self) -> int:
        """An opening date well before the span, or none (30%)."""
        if self.rng.random() < 0.3:
            return MISSING
        return int(self.span.first - self.rng.integers(2 * 365, 35 * 365))

    def mid_span(self) -> int:
        days = self.span.last - self.span.first
        return int(self.span.first + days * self.rng.uniform(0.3, 0.7))


def _areas(rng: np.random.Generator) -> tuple[list[tuple[str, str, str, str]], np.ndarray]:
    areas = [(CODE, NAME, "", "country")]
    for code, name, districts in REGIONS:
        region_id = f"{CODE}-{code}"
        areas.append((region_id, f"{name} Region", CODE, "region"))
        for k, district in enumerate(districts, start=1):
            areas.append((f"{region_id}-{k:02d}", f"{district} District", region_id, "district"))
    n = sum(len(r[2]) for r in REGIONS)
    return areas, rng.dirichlet(np.full(n, 6.0))


def _district_facilities(b: _Builder, country: Country) -> None:
    main, alt, lockup, fallback = [], [], [], []
    for r, (rcode, _rname, districts) in enumerate(REGIONS):
        first_lockup = -1
        for k, dname in enumerate(districts, start=1):
            did = f"{CODE}-{rcode}-{k:02d}"
            main.append(b.add(f"{did}-PS1", f"{dname} Central Police Station", did, "police_station"))
            alt.append(b.add(f"{did}-PS2", f"{dname} North Police Station", did, "police_station",
                             aggregate=(r, k) in ((1, 1), (2, 2))))
            if k < 3:  # the third district uses its neighbour's lock-up
                lockup.append(b.add(f"{did}-PL", f"{dname} Police Lock-up", did, "police_lockup"))
            else:
                lockup.append(lockup[-1])
            first_lockup = lockup[-1] if k == 1 else first_lockup
            fallback.append(first_lockup)
    country.station_main, country.station_alt = np.array(main), np.array(alt)
    country.lockup, country.lockup_fallback = np.array(lockup), np.array(fallback)
    # A station opens and another closes during the span; a lock-up closes.
    b.facilities[alt[2]].opened = b.mid_span()
    b.facilities[alt[8]].closed = b.mid_span()
    b.facilities[lockup[4]].closed = b.mid_span()


def _regional_facilities(b: _Builder, country: Country) -> None:
    kinds: dict[str, list[int]] = {k: [] for k in ("prosecutor", "court", "remand_centre",
                                                  "social_services")}
    names = {"prosecutor": "{} Regional Prosecutor's Office", "court": "{} Regional Court",
             "remand_centre": "{} Remand Centre", "social_services": "{} Social Welfare Office"}
    suffix = {"prosecutor": "PR", "court": "CT", "remand_centre": "RC", "social_services": "SS"}
    for r, (rcode, rname, _d) in enumerate(REGIONS):
        area = f"{CODE}-{rcode}"
        for kind, ids in kinds.items():
            extra = {}
            if kind == "remand_centre":
                extra = {"holds_adults": r == 1, "aggregate": r == 3}
            ids.append(b.add(f"{area}-{suffix[kind]}", names[kind].format(rname), area, kind, **extra))
    country.by_region = {k: np.array(v) for k, v in kinds.items()}


def _national_facilities(b: _Builder, country: Country) -> None:
    places = [
        ("XA-JC", "Marlow Juvenile Correctional Institution", "XA-S-02", "juvenile_correctional"),
        ("XA-JD1", "Kestrel Hill Juvenile Detention Centre", "XA-N-01", "juvenile_detention"),
        ("XA-JD2", "Riverside Juvenile Detention Centre", "XA-E-01", "juvenile_detention"),
        ("XA-CC", "Elm Grove Closed Education Centre", "XA-W-02", "closed_care"),
        ("XA-AP1", "Central Prison", "XA-N-01", "adult_prison"),
        ("XA-AP2", "Southern Prison", "XA-S-01", "adult_prison"),
        ("XA-DP", "National Youth Diversion Programme", "XA-N-01", "diversion_programme"),
    ]
    national: dict[str, list[int]] = {}
    for fid, name, area, kind in places:
        national.setdefault(kind, []).append(b.add(fid, name, area, kind))
    b.facilities[national["juvenile_detention"][1]].opened = b.mid_span()
    country.national = national


def build_country(rng: np.random.Generator, span: Span) -> Country:
    areas, weights = _areas(rng)
    region_of = [r for r, reg in enumerate(REGIONS) for _ in reg[2]]
    country = Country(areas, weights, np.array(region_of, dtype=np.int64))
    b = _Builder(rng, span)
    _district_facilities(b, country)
    _regional_facilities(b, country)
    _national_facilities(b, country)
    country.facilities = b.facilities
    return country

"""The record-level registers of one chunk of children: their arrests, the decisions, the stays
and the family contacts, all within the span.

A child's arrests follow one another: the next arrest comes at least a month after the case
before it is over (its court decision, its last release), and only while the child is under 18.
Each child has a rate of family contacts (a quarter are never visited); a stay holds about that
many contacts per 30 days, on days within the stay. Home visits are for longer stays only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jjis.schema import codes
from jjis.synth.cases import arrests_frame, decisions_frame, open_cases
from jjis.synth.children import Children, make_children
from jjis.synth.country import Country
from jjis.synth.custody import REASON, custody, finish_stays
from jjis.synth.dates import MISSING, Span, whole_years
from jjis.synth.frames import Frame, pick

MOST_ARRESTS = 3
MOST_CONTACTS_PER_STAY = 80
HOME_VISIT = 0.12  # of contacts during stays longer than two months
RELATIONS = [0.70, 0.10, 0.20]  # in the order of codes.RELATIONS


@dataclass
class Chunk:
    children: Children
    arrests: Frame
    decisions: Frame
    stays: Frame
    contacts: Frame  # `stay` is the row of the contact's stay in `stays`

    def without(self, facilities: np.ndarray) -> Chunk:
        """The records kept by every facility except `facilities` (those send aggregates)."""
        stays_kept = ~np.isin(self.stays["facility"], facilities)
        new_row = np.cumsum(stays_kept) - 1
        contacts = self.contacts.take(stays_kept[self.contacts["stay"]])
        contacts["stay"] = new_row[contacts["stay"]]
        return Chunk(
            self.children,
            self.arrests.take(~np.isin(self.arrests["facility"], facilities)),
            self.decisions.take(~np.isin(self.decisions["facility"], facilities)),
            self.stays.take(stays_kept),
            contacts,
        )


def _case_end(arrest: np.ndarray, court: np.ndarray, stays: Frame) -> np.ndarray:
    """When each case is over: its court decision, its last release, or three months on."""
    end = np.maximum(arrest + 90, np.where(court == MISSING, 0, court))
    last_release = np.full(len(arrest), MISSING)
    np.maximum.at(last_release, stays["case"], stays["release"])
    return np.maximum(end, last_release)


def _paths(rng: np.random.Generator, country: Country, span: Span,
           children: Children) -> tuple[Frame, Frame, Frame]:
    next_arrest = children.first_arrest.copy()
    arrests, decisions, stays = [], [], []
    for r in range(MOST_ARRESTS):
        due = (children.arrests > r) & (next_arrest <= span.last)
        due &= whole_years(children.born, np.minimum(next_arrest, span.last)) <= 17
        child = np.flatnonzero(due)
        cases = open_cases(rng, country, children, child, next_arrest[child])
        arrests.append(arrests_frame(rng, cases))
        decisions.append(decisions_frame(rng, country, cases))
        held = custody(rng, country, cases)
        stays.append(held)
        end = _case_end(cases.arrest, cases.court_date, held)
        gap = 30 + rng.gamma(1.5, 120.0, len(child)).astype(np.int64)
        next_arrest[child] = end + gap
        died = held["case"][held["reason"] == REASON["death"]]
        next_arrest[child[died]] = span.last + 1
    return Frame.concat(arrests), Frame.concat(decisions), Frame.concat(stays)


def family_contacts(rng: np.random.Generator, children: Children, stays: Frame,
                    last: int) -> Frame:
    """Contacts of every stay; `stay` is the row of the stay in `stays`."""
    end = np.where(stays["release"] == MISSING, last, stays["release"])
    days = end - stays["admission"] + 1
    expected = children.visit_rate[stays["child"]] * days / 30.0
    count = np.minimum(rng.poisson(expected), MOST_CONTACTS_PER_STAY)
    stay = np.repeat(np.arange(len(stays)), count)
    n = len(stay)
    date = stays["admission"][stay] + (rng.random(n) * days[stay]).astype(np.int64)
    home = (days[stay] > 60) & (rng.random(n) < HOME_VISIT)
    kind = np.where(home, codes.CONTACT_KINDS.index("home_visit"),
                    codes.CONTACT_KINDS.index("visit_received"))
    return Frame(stay=stay, child=stays["child"][stay], facility=stays["facility"][stay],
                 date=date, kind=kind, relation=pick(rng, n, RELATIONS))


def make_chunk(rng: np.random.Generator, country: Country, span: Span, offset: int,
               n: int) -> Chunk:
    children = make_children(rng, country, span, offset, n)
    arrests, decisions, stays = _paths(rng, country, span, children)
    decisions = decisions.take(decisions["date"] <= span.last)
    stays = finish_stays(rng, country, stays, span.last)
    stays = stays.sorted_by("child", "admission")
    contacts = family_contacts(rng, children, stays, span.last).sorted_by("child", "date")
    return Chunk(
        children,
        arrests.sorted_by("child", "date"),
        decisions.sorted_by("child", "date"),
        stays,
        contacts,
    )

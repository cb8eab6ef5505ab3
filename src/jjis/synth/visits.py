"""Family contacts: the visits log of the places of detention.

Each child has a rate of contacts (a quarter of the children are never visited); a stay holds
about that many contacts per 30 days, on days within the stay and not after the end of the
span. Home visits are for longer stays only.
"""

from __future__ import annotations

import numpy as np

from jjis.schema import codes
from jjis.synth.children import Children
from jjis.synth.dates import MISSING
from jjis.synth.frames import Frame, pick

MOST_CONTACTS_PER_STAY = 80
HOME_VISIT = 0.12  # of contacts during stays longer than two months
RELATIONS = [0.70, 0.10, 0.20]  # in the order of codes.RELATIONS


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

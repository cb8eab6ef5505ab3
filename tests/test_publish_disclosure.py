"""Disclosure control: hand-worked tables, and a property test against a brute-force reader."""

from __future__ import annotations

import copy
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jjis.errors import JjisError
from jjis.indicators.results import Figure
from jjis.publish.disclosure import publish, shown_value
from jjis.settings import Config
from publish_fixtures import count_fig, fig

CONFIG = Config()


def by(result_figures: list[Figure]) -> dict[tuple[int, str, str, str], Figure]:
    return {(f.indicator, f.statistic, f.area, f.breakdown_json): f for f in result_figures}


def reasons(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f"{w.figure.area}{w.figure.breakdown_json}{w.figure.statistic}": w.reason
            for w in result.withheld}


def sex_table(total: int, f: int, m: int, u: int = 0, area: str = "A") -> list[Figure]:
    return [fig(area=area, num=total), fig(area=area, bd={"sex": "f"}, num=f),
            fig(area=area, bd={"sex": "m"}, num=m), fig(area=area, bd={"sex": "u"}, num=u)]


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    # 20 children: f 3 (<5), m 17, u 0. Alone, f = 20 - 17 - 0: so m goes too. 0 stays.
    result = publish(sex_table(20, 3, 17), CONFIG)
    f, m, u, total = (by(result.figures)[(2, "rate", "A", b)] for b in
                      ('{"sex":"f"}', '{"sex":"m"}', '{"sex":"u"}', "{}"))
    assert f.suppressed and f.value is None and f.numerator is None and f.ci_low is None
    assert f.denominator == 10_000  # the population is public
    assert shown_value(f) == "<5"
    assert (f.notes[0].code, f.notes[0].values) == ("withheld-primary", {"t": 5, "t1": 4})
    assert m.suppressed and m.numerator is None and shown_value(m) == "x"
    assert not u.suppressed and u.numerator == 0
    assert not total.suppressed and total.numerator == 20
    assert [(w.figure.breakdown_json, w.reason) for w in result.withheld] == [
        ('{"sex":"f"}', "primary"), ('{"sex":"m"}', "secondary")]


def test_nothing_small_nothing_withheld() -> None:
    result = publish(sex_table(30, 10, 20), CONFIG)
    assert result.withheld == [] and not any(f.suppressed for f in result.figures)


def test_two_small_cells_protect_each_other_unless_the_rest_pins_them() -> None:
    # f 2 and m 3 under a total of 5: f + m = 5, f in 1..4 -> f in 1..4: safe as it is.
    assert set(reasons(publish(sex_table(5, 2, 3), CONFIG)).values()) == {"primary"}
    # f 1 and m 1 beside u 30 under 32: f + m = 2 forces f = m = 1, so u (30) goes too.
    result = publish(sex_table(32, 1, 1, 30), CONFIG)
    assert reasons(result) == {'A{"sex":"f"}rate': "primary", 'A{"sex":"m"}rate': "primary",
                               'A{"sex":"u"}rate': "secondary"}


def test_small_total_is_shown_as_less_than_threshold() -> None:
    result = publish([fig(num=4), fig(bd={"sex": "f"}, num=4), fig(bd={"sex": "m"}, num=0)],
                     CONFIG)
    assert reasons(result) == {"A{}rate": "primary", 'A{"sex":"f"}rate': "primary"}


def test_threshold_is_a_setting() -> None:
    result = publish(sex_table(30, 8, 22), Config({"publication.disclosure_threshold": 10}))
    assert reasons(result) == {'A{"sex":"f"}rate': "primary", 'A{"sex":"m"}rate': "secondary"}
    assert shown_value(result.withheld[0].figure) == "<10"


def test_share_built_on_a_small_denominator_is_withheld() -> None:
    # indicator 7: 0 of 3 children not separated: the share and both terms go.
    result = publish([fig(7, "percent", unit="percent", num=0, den=3)], CONFIG)
    (share,) = result.figures
    assert share.suppressed and share.value is None
    assert share.numerator is None and share.denominator is None
    assert [w.reason for w in result.withheld] == ["primary"]


def test_share_with_small_numerator_keeps_its_denominator() -> None:
    result = publish([fig(7, "percent", unit="percent", num=2, den=40)], CONFIG)
    assert result.figures[0].denominator == 40 and result.figures[0].numerator is None


def test_durations_follow_their_cohort_and_bands_add_up_to_it() -> None:
    bands = {"band_0_6": 3, "band_7_29": 17, "band_30_89": 0}
    figures = [count_fig(20, indicator=4, statistic="count"),
               fig(4, "median_days", unit="days", num=None, den=20, value=12.0),
               *(count_fig(v, indicator=4, statistic=s) for s, v in bands.items()),
               count_fig(3, indicator=4, statistic="count", bd={"sex": "f"}),
               fig(4, "mean_days", unit="days", bd={"sex": "f"}, num=None, den=3, value=40.0)]
    result = publish(figures, CONFIG)
    got = by(result.figures)
    assert got[(4, "band_0_6", "A", "{}")].suppressed           # 3: primary
    assert got[(4, "band_7_29", "A", "{}")].suppressed          # 20 - 3 - 0 would give it away
    assert not got[(4, "band_30_89", "A", "{}")].suppressed
    assert got[(4, "median_days", "A", "{}")].value == 12.0     # cohort of 20 is fine
    assert got[(4, "mean_days", "A", '{"sex":"f"}')].value is None   # cohort of 3 is not


def test_side_counts_are_withheld_without_the_value() -> None:
    result = publish([fig(11, "percent", unit="percent", num=10, den=40, unknown=2)], CONFIG)
    (f,) = result.figures
    assert not f.suppressed and f.value == 25.0 and f.unknown is None
    assert [(w.field, w.reason) for w in result.withheld_fields] == [("unknown", "primary")]


def test_places_and_answers_are_not_about_people() -> None:
    figures = [fig(12, "part_b", unit="percent", num=2, den=3),
               fig(14, "answer", unit="answer", num=None, den=None, answer="yes")]
    result = publish(figures, CONFIG)
    assert result.withheld == [] and result.figures[0].numerator == 2


def test_share_and_rate_of_indicator_3_are_withheld_together() -> None:
    # 3's numerator appears in its rate, its share and 2's legal-status cell: one count.
    figures = [fig(2, num=40), fig(2, bd={"legal_status": "pre_sentence"}, num=9),
               fig(2, bd={"legal_status": "sentenced"}, num=31),
               fig(3, num=9), fig(3, bd={"sex": "f"}, num=2), fig(3, bd={"sex": "m"}, num=7),
               fig(3, "share_of_detained", unit="percent", num=9, den=40)]
    got = by(publish(figures, CONFIG).figures)
    assert got[(3, "rate", "A", '{"sex":"m"}')].suppressed
    assert not got[(3, "share_of_detained", "A", "{}")].suppressed
    assert got[(3, "share_of_detained", "A", "{}")].numerator == 9


def test_areas_need_the_hierarchy() -> None:
    with pytest.raises(JjisError, match="area hierarchy"):
        publish([fig(area="A", num=10), fig(area="B", num=3)], CONFIG)


def test_child_areas_against_their_parent() -> None:
    figures = [fig(area="P", num=30), fig(area="A", num=3), fig(area="B", num=12),
               fig(area="C", num=15)]
    result = publish(figures, CONFIG, parents={"P": None, "A": "P", "B": "P", "C": "P"})
    assert reasons(result) == {"A{}rate": "primary", "B{}rate": "secondary"}


def test_single_child_area_takes_its_parent_with_it() -> None:
    # A: f 4 and m 4 make 8; f + m = 8 with each at most 4 pins both, and u is 0: A's total
    # goes. P has A as its only child and no children of its own: P = A, so P goes too.
    figures = [*sex_table(8, 4, 4, 0, area="A"), *sex_table(8, 4, 4, 0, area="P")]
    result = publish(figures, CONFIG, parents={"P": None, "A": "P"})
    assert reasons(result) == {
        'A{"sex":"f"}rate': "primary", 'A{"sex":"m"}rate': "primary", "A{}rate": "secondary",
        'P{"sex":"f"}rate': "primary", 'P{"sex":"m"}rate': "primary", "P{}rate": "secondary"}


def test_children_held_at_the_parent_level_are_protected_too() -> None:
    # P counts 12: 9 in its district A and 3 in facilities of P itself. Publishing 12 and 9
    # shows the 3: A's total goes, and then one of A's sex cells (else A = f + m + u).
    figures = [fig(area="P", num=12), *sex_table(9, 0, 9, 0, area="A")]
    result = publish(figures, CONFIG, parents={"P": None, "A": "P"})
    assert reasons(result) == {"A{}rate": "secondary", 'A{"sex":"m"}rate': "secondary"}


def test_input_is_not_changed() -> None:
    figures = sex_table(20, 3, 17)
    before = copy.deepcopy(figures)
    publish(figures, CONFIG)
    assert figures == before


# --- property: no withheld cell can be worked out from the published total and cells ---------


def feasible_values(lows: list[int], highs: list[int], target: int, i: int) -> set[int]:
    """Values of cell i for which the other withheld cells can make up `target` (brute force over
    reachable sums, unlike the interval arithmetic of jjis.publish.suppression)."""
    reach = {0}
    for j, (lo, hi) in enumerate(zip(lows, highs, strict=True)):
        if j != i:
            reach = {s + v for s in reach for v in range(lo, hi + 1) if s + v <= target}
    return {v for v in range(lows[i], highs[i] + 1) if target - v in reach}


def reader_bounds(f: Figure, t: int, cap: int) -> tuple[int, int]:
    """What a reader knows of a withheld count: `<t` is 1..t-1, `x` (secondary) is t or more."""
    return (1, t - 1) if shown_value(f) == f"<{t}" else (t, cap)


def reader_values(total: Figure, cells: list[Figure], t: int, cap: int) -> list[set[int]]:
    """The values a reader finds possible for the withheld total (first, if withheld) and each
    withheld cell, trying every total the reader cannot rule out."""
    published = sum(int(f.value or 0) for f in cells if not f.suppressed)
    hidden = [f for f in cells if f.suppressed]
    bounds = [reader_bounds(f, t, cap) for f in hidden]
    lows, highs = [b[0] for b in bounds], [b[1] for b in bounds]
    if total.suppressed:
        lo, hi = reader_bounds(total, t, cap)
        totals = range(max(lo, published), hi + 1)
    else:
        totals = range(int(total.value or 0), int(total.value or 0) + 1)
    seen_totals: set[int] = set()
    seen: list[set[int]] = [set() for _ in hidden]
    for candidate in totals:
        target = candidate - published
        options = [feasible_values(lows, highs, target, k) for k in range(len(hidden))]
        if all(options):
            seen_totals.add(candidate)
            for k, values in enumerate(options):
                seen[k] |= values
    return ([seen_totals] if total.suppressed else []) + seen


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=1, max_size=7),
       st.integers(3, 7))
def test_no_withheld_cell_can_be_worked_out(cells: list[int], t: int) -> None:
    """t >= 3: with t = 2 the mark `<2` itself says 1."""
    total = sum(cells)
    figures = [count_fig(total)] + [count_fig(v, bd={"offence": f"{k + 1:02d}"})
                                    for k, v in enumerate(cells)]
    result = publish(figures, Config({"publication.disclosure_threshold": t}))
    out_total, *out_cells = result.figures
    withheld = {id(w.figure): w.reason for w in result.withheld}
    for original, f in zip(figures, result.figures, strict=True):
        true = int(original.value or 0)
        if f.suppressed:  # a reason for everything withheld, and the right one
            assert withheld[id(f)] == ("primary" if 0 < true < t else "secondary")
            assert f.value is None and true > 0
        else:
            assert id(f) not in withheld
            assert f.value == true and (true == 0 or true >= t)
    if not any(0 < v < t for v in [total, *cells]):
        assert not result.withheld  # nothing sensitive, nothing withheld
    pinned = [v for v in reader_values(out_total, out_cells, t, cap=total + 3 * t) if len(v) < 2]
    if pinned:  # only where nothing nonzero is left to withhold (e.g. 1 + 1 under `<3`)
        assert all(f.suppressed for f, o in zip(result.figures, figures, strict=True) if o.value)
        assert result.unprotected >= 1


def pinned_in_equation(total: tuple[Figure, int], cells: list[tuple[Figure, int]], residual: int,
                       t: int) -> list[int]:
    """Withheld values (and a sensitive residual: children counted only in the total) that the
    equation total = cells + residual leaves one possible value, by trying every assignment."""
    cap = total[1] + 3 * t
    unknown = [(f, v) for f, v in [total, *cells] if f.suppressed]
    published = {id(f): v for f, v in [total, *cells] if not f.suppressed}
    ranges = [range(reader_bounds(f, t, cap)[0], reader_bounds(f, t, cap)[1] + 1)
              for f, _ in unknown]
    seen: list[set[int]] = [set() for _ in range(len(unknown) + 1)]
    for combo in itertools.product(*ranges):
        value = {id(f): x for (f, _), x in zip(unknown, combo, strict=True)} | published
        r = value[id(total[0])] - sum(value[id(f)] for f, _ in cells)
        if r < 0:
            continue
        for k, x in enumerate(combo):
            seen[k].add(x)
        seen[-1].add(r)
    out = [v for (f, v), s in zip(unknown, seen, strict=False) if len(s) < 2]
    if 0 < residual < t and len(seen[-1]) < 2:
        out.append(residual)
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=3),
       st.tuples(st.integers(0, 3), st.integers(0, 3)), st.integers(3, 5))
def test_areas_and_breakdowns_together(children: list[tuple[int, int]],
                                       own: tuple[int, int], t: int) -> None:
    """A parent P over districts D0.. (and children held in P's own facilities, `own`), each
    broken down by sex: no equation of the published tables pins a withheld value."""
    truth: dict[tuple[str, str], int] = {}
    for k, (f, m) in enumerate(children):
        truth |= {(f"D{k}", "f"): f, (f"D{k}", "m"): m, (f"D{k}", ""): f + m}
    for sex, extra in zip("fm", own, strict=True):
        truth[("P", sex)] = extra + sum(truth[(f"D{k}", sex)] for k in range(len(children)))
    truth[("P", "")] = truth[("P", "f")] + truth[("P", "m")]
    figures = [count_fig(v, area=a, bd={"sex": s} if s else {}) for (a, s), v in truth.items()]
    parents: dict[str, str | None] = {"P": None} | {f"D{k}": "P" for k in range(len(children))}
    result = publish(figures, Config({"publication.disclosure_threshold": t}), parents)
    shown = {(f.area, f.breakdown.get("sex", "")): f for f in result.figures}
    if result.unprotected:
        return  # nothing nonzero left to withhold somewhere: checked by the test above

    def cell(area: str, sex: str) -> tuple[Figure, int]:
        return shown[(area, sex)], truth[(area, sex)]

    areas = ["P", *(f"D{k}" for k in range(len(children)))]
    for area in areas:  # breakdown: total = f + m
        assert not pinned_in_equation(cell(area, ""), [cell(area, "f"), cell(area, "m")], 0, t)
    for sex in ("", "f", "m"):  # areas: P = districts + own
        residual = sum(own) if sex == "" else own["fm".index(sex)]
        districts = [cell(a, sex) for a in areas[1:]]
        assert not pinned_in_equation(cell("P", sex), districts, residual, t)


def test_small_child_counts_inside_notes_are_masked() -> None:
    from jjis.notes import Note, join, load, note
    from jjis.publish.disclosure import mask_note_counts

    def masked(*made: Note) -> list[tuple[str, dict[str, object]]]:
        return [(n.code, dict(n.values)) for n in load(mask_note_counts(join(*made), 5))]

    assert masked(note("age-estimated", n=3), note("aggregate-returns")) == [
        ("age-estimated", {"n": "<5"}), ("aggregate-returns", {})]
    assert masked(note("age-estimated", n=12)) == [("age-estimated", {"n": 12})]
    assert masked(note("short-stays-left-out", n=2)) == [("short-stays-left-out", {"n": "<5"})]
    # sources, not children: the values the type does not declare counts are kept
    assert masked(note("coverage", reported=3, expected=4)) == [
        ("coverage", {"reported": 3, "expected": 4})]

"""Tests for desta_tui.domain.compliance: a paper's state and words, renewals, gaps, summaries."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.compliance import (
    EXPIRED,
    EXPIRING,
    MISSING,
    NONE,
    OK,
    RENEWED,
    Paper,
    PaperGap,
    compliance_gaps,
    current_papers,
    judge_papers,
    paper_state,
    paper_words,
    papers_due,
    papers_in_force,
    parse_warning_days,
    state_words,
    summarise_papers,
    validate_paper,
)
from desta_tui.domain.errors import FormError

ON = date(2012, 11, 5)
GATE = ("insurance", "safeguarding_policy", "dbs_check", "quality_mark")


def days(n: int) -> date:
    return ON + timedelta(days=n)


# --- one paper ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires_on", "state", "left"),
    [
        (None, OK, None),
        (days(-16), EXPIRED, -16),
        (days(-1), EXPIRED, -1),
        (days(0), EXPIRING, 0),  # valid on its last day
        (days(60), EXPIRING, 60),
        (days(61), OK, 61),
    ],
)
def test_paper_state(expires_on, state, left):
    assert paper_state(expires_on, ON, 60) == (state, left)


@pytest.mark.parametrize(
    ("state", "left", "words"),
    [
        (EXPIRED, -16, "expired 16 days ago"),
        (EXPIRED, -1, "expired 1 day ago"),
        (EXPIRED, 0, "expired today"),
        (EXPIRING, 0, "expiring today"),
        (EXPIRING, 1, "expiring in 1 day"),
        (EXPIRING, 12, "expiring in 12 days"),
        (OK, 400, "ok"),
        (RENEWED, 12, "renewed"),
    ],
)
def test_state_words(state, left, words):
    assert state_words(state, left) == words


def test_paper_words_keep_acronyms_and_say_what_is_missing():
    assert paper_words("insurance", EXPIRED, -16) == "Insurance expired 16 days ago"
    assert paper_words("dbs_check", EXPIRING, 12) == "DBS check expiring in 12 days"
    assert paper_words("quality_mark", MISSING, None) == "no quality mark on file"
    assert paper_words("dbs_check", MISSING, None) == "no DBS check on file"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(30, 30), ("90", 90), (" 45 ", 45), (None, 60), ("soon", 60), (-5, 60), (True, 60)],
)
def test_warning_days_from_settings(value, expected):
    assert parse_warning_days(value) == expected


# --- the renewal rule -----------------------------------------------------------------------


def test_a_renewal_supersedes_the_paper_it_renews():
    old = Paper("dbs_check", days(12), days(-353), ref="old")
    renewal = Paper("dbs_check", days(12 + 3 * 365), days(-2), ref="new")
    insurance = Paper("insurance", days(200), ref="ins")
    papers = [old, insurance, renewal]
    assert current_papers(papers) == {"dbs_check": renewal, "insurance": insurance}
    assert papers_in_force(papers) == [insurance, renewal]
    states = {paper.ref: state for paper, state, _ in judge_papers(papers, ON, 60)}
    assert states == {"old": RENEWED, "ins": OK, "new": OK}
    # the old paper no longer says "expiring in 12 days"
    assert summarise_papers(papers, is_member=False, on=ON, warning_days=60).state == OK
    assert summarise_papers([old], is_member=False, on=ON, warning_days=60).detail == (
        "DBS check expiring in 12 days"
    )


def test_an_open_ended_paper_renews_any_dated_one():
    dated = Paper("insurance", days(900))
    open_ended = Paper("insurance", None)
    assert current_papers([open_ended, dated])["insurance"] is open_ended
    assert current_papers([dated, open_ended])["insurance"] is open_ended


def test_equal_expiry_goes_to_the_later_check_then_the_later_record():
    early = Paper("insurance", days(30), checked_on=days(-300), ref="early")
    late = Paper("insurance", days(30), checked_on=days(-10), ref="late")
    assert current_papers([late, early])["insurance"].ref == "late"
    first = Paper("insurance", days(30), created_at=datetime(2012, 1, 1), ref="first")
    second = Paper("insurance", days(30), created_at=datetime(2012, 6, 1), ref="second")
    assert current_papers([second, first])["insurance"].ref == "second"
    twin_a, twin_b = Paper("insurance", days(30), ref="a"), Paper("insurance", days(30), ref="b")
    assert current_papers([twin_a, twin_b])["insurance"].ref == "b"  # the one given last


def test_papers_of_kind_other_never_supersede_one_another():
    hygiene = Paper("other", days(10), ref="food hygiene")
    lease = Paper("other", days(2000), ref="lease")
    assert papers_in_force([hygiene, lease]) == [hygiene, lease]
    summary = summarise_papers([hygiene, lease], is_member=False, on=ON, warning_days=60)
    assert summary.state == EXPIRING


def test_any_object_with_kind_and_expiry_will_do():
    class Row:
        def __init__(self, kind, expires_on):
            self.kind, self.expires_on = kind, expires_on

    a, b = Row("insurance", days(1)), Row("insurance", days(5))
    assert current_papers([a, b]) == {"insurance": b}
    rows = [("insurance", days(1)), ("insurance", days(5))]  # as a query's .tuples() gives
    assert current_papers(Paper(*row) for row in rows) == {"insurance": Paper(*rows[1])}


kinds = st.sampled_from(["insurance", "dbs_check", "quality_mark", "other"])
expiries = st.none() | st.dates(min_value=date(2010, 1, 1), max_value=date(2016, 12, 31))
paper_lists = st.lists(st.tuples(kinds, expiries).map(lambda row: Paper(*row)), max_size=12)


@given(paper_lists)
def test_the_current_paper_outruns_every_other_of_its_kind(papers):
    current = current_papers(papers)
    assert set(current) == {paper.kind for paper in papers}
    for paper in papers:
        held = current[paper.kind]
        if held.expires_on is not None:
            assert paper.expires_on is not None and paper.expires_on <= held.expires_on


@given(paper_lists, st.data())
def test_adding_a_later_renewal_makes_it_current(papers, data):
    kind = data.draw(kinds.filter(lambda k: k != "other"))
    dated = [p.expires_on for p in papers if p.kind == kind and p.expires_on is not None]
    if any(p.kind == kind and p.expires_on is None for p in papers):
        return  # nothing outruns an open-ended paper
    renewal = Paper(kind, max(dated, default=ON) + timedelta(days=1), ref="renewal")
    assert current_papers([*papers, renewal])[kind] is renewal
    superseded = [p for p in papers if p.kind == kind]
    in_force = papers_in_force([*papers, renewal])
    assert all(not any(p is q for q in in_force) for p in superseded)


@given(paper_lists)
def test_the_rule_does_not_depend_on_order_except_for_full_ties(papers):
    forwards, backwards = current_papers(papers), current_papers(list(reversed(papers)))
    for kind, paper in forwards.items():
        assert backwards[kind].expires_on == paper.expires_on


# --- gaps and summaries ---------------------------------------------------------------------


def test_gaps_name_missing_expired_and_expiring_papers_in_the_order_asked():
    papers = [
        Paper("insurance", days(-3)),
        Paper("insurance", days(-40)),
        Paper("dbs_check", days(20)),
        Paper("quality_mark", None),
    ]
    gaps = compliance_gaps(GATE, current_papers(papers), ON, 60)
    assert gaps == [
        PaperGap("insurance", EXPIRED, days(-3), -3),
        PaperGap("safeguarding_policy", MISSING, None, None),
        PaperGap("dbs_check", EXPIRING, days(20), 20),
    ]
    assert [gap.blocks for gap in gaps] == [True, True, False]
    assert [gap.text for gap in gaps] == [
        "Insurance expired 3 days ago",
        "no safeguarding policy on file",
        "DBS check expiring in 20 days",
    ]


def test_a_renewed_paper_closes_its_gap():
    papers = [Paper(kind, days(400)) for kind in GATE] + [Paper("insurance", days(-3))]
    assert compliance_gaps(GATE, current_papers(papers), ON, 60) == []


def test_summary_worst_first():
    gate_ok = [Paper(kind, days(400)) for kind in GATE]

    def summary(papers, is_member=True):
        return summarise_papers(papers, is_member=is_member, on=ON, warning_days=60)

    assert summary(gate_ok).state == OK and summary(gate_ok).detail == "all papers in date"
    worst = summary([*gate_ok, Paper("other", days(-16)), Paper("other", days(12))])
    assert (worst.state, worst.detail) == (EXPIRED, "Other expired 16 days ago")
    missing = summary(gate_ok[:3])
    assert (missing.state, missing.detail) == (MISSING, "no quality mark on file")
    assert missing.missing_kinds == ["quality_mark"]
    assert summary([], is_member=False).state == NONE
    assert summary([], is_member=True).missing_kinds == list(GATE)


# --- a paper's fields -----------------------------------------------------------------------


def test_validate_paper_tidies_and_names_every_bad_field():
    clean = validate_paper(
        {"kind": "DBS check", "reference": " 001 ", "checked_on": "1/10/12",
         "expires_on": "2013-10-01"},
        on=ON,
    )  # fmt: skip
    assert clean == {
        "kind": "dbs_check", "reference": "001", "checked_on": date(2012, 10, 1),
        "expires_on": date(2013, 10, 1), "notes": "",
    }  # fmt: skip
    with pytest.raises(FormError) as caught:
        validate_paper({"kind": "", "checked_on": "01/06/2013", "expires_on": "13/13/2013"}, on=ON)
    assert set(caught.value.errors) == {"kind", "checked_on", "expires_on"}
    assert caught.value.errors["checked_on"] == "the date it was checked cannot be in the future"
    with pytest.raises(FormError) as caught:
        validate_paper({"kind": "insurance", "checked_on": "today", "expires_on": "1/1/12"}, on=ON)
    assert caught.value.errors == {"expires_on": "it cannot expire before the date it was checked"}


def test_validate_paper_partial_checks_only_what_is_given():
    assert validate_paper({"expires_on": "today"}, on=ON, partial=True) == {"expires_on": ON}


def test_papers_due_leaves_out_renewed_and_in_date_papers():
    old = Paper("dbs_check", days(12), ref="old")
    renewal = Paper("dbs_check", days(900), ref="renewal")
    lapsed = Paper("insurance", days(-3), ref="lapsed")
    fine = Paper("quality_mark", days(100), ref="fine")
    due = papers_due([old, lapsed, renewal, fine], ON, 60)
    assert [(paper.ref, state, left) for paper, state, left in due] == [("lapsed", EXPIRED, -3)]
    assert [p.ref for p, _, _ in papers_due([old, fine], ON, 60)] == ["old"]

"""Meeting rules: bodies, statuses, quorum, equal votes, declarations, risks, the minutes lock."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from desta_tui.domain.choices import Vocabulary
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import FormError, MinutesLockedError, ValidationError
from desta_tui.domain.meeting_bodies import (  # noqa: F401  (these rules' names, from here too)
    BODY_SHORT_NAMES,
    DEFAULT_QUORUM_RULES,
    MEETING_BODIES,
    MEETING_STATUSES,
    is_locked,
    meeting_title,
)
from desta_tui.domain.periods import Period
from desta_tui.domain.rag import Rag

ATTENDANCE_KINDS = Vocabulary(
    ("present", "Present"),
    ("apologies", "Apologies"),
    ("absent", "Absent"),
    ("observer", "Observer"),
)

ATTENDANCE_ROLES = Vocabulary(
    ("member", "Member"),
    ("chair", "Chair"),
    ("vice_chair", "Vice chair"),
    ("secretary", "Secretary"),
    ("minute_taker", "Minute taker"),
    ("officer", "Hub officer"),
)

VOTE_CHOICES = Vocabulary(
    ("for", "For"),
    ("against", "Against"),
    ("abstain", "Abstained"),
    ("withdrawn", "Withdrawn (declared an interest)"),
)

DECISION_OUTCOMES = Vocabulary(
    ("pending", "To be decided"),
    ("carried", "Carried"),
    ("not_carried", "Not carried"),
    ("tied", "Not carried (votes equal)"),
)

RISK_STATUSES = Vocabulary(
    ("open", "Open"),
    ("monitoring", "Monitoring"),
    ("closed", "Closed"),
)
#: risks the board still looks at
LIVE_RISK_STATUSES = ("open", "monitoring")

AGENDA_ITEM_KINDS = Vocabulary(
    ("apologies", "Welcome and apologies"),
    ("declarations", "Declarations of interest"),
    ("minutes", "Minutes of the last meeting and matters arising"),
    ("actions", "Action log"),
    ("decisions", "Decisions due"),
    ("performance", "Performance exceptions"),
    ("tickets", "Support tickets"),
    ("compliance", "Compliance"),
    ("pipeline", "Pipeline"),
    ("risks", "Risk register"),
    ("annual_report", "Annual report"),
    ("accounts", "Accounts"),
    ("elections", "Election of board members"),
    ("aob", "Any other business"),
    ("item", "Item"),
)

#: what an agenda item may be about: the table of the record its uuid names
ITEM_LINK_TABLES = Vocabulary(
    ("contract", "Contract"),
    ("organisation", "Organisation"),
    ("support_ticket", "Support ticket"),
    ("meeting", "Meeting"),
)


@dataclass(frozen=True)
class StandingItem:
    """An item every meeting of a body opens with (or ends with: any other business)."""

    kind: str
    title: str


_STANDING_KINDS = {
    "smg": ("apologies", "declarations", "minutes", "performance", "tickets", "compliance",
            "pipeline", "aob"),
    "board": ("apologies", "declarations", "minutes", "actions", "decisions", "performance",
              "risks", "pipeline", "aob"),
    "agm": ("apologies", "declarations", "minutes", "annual_report", "accounts", "elections",
            "aob"),
}  # fmt: skip
_AGM_TITLES = {"minutes": "Minutes of the last annual general meeting and matters arising"}


def validate_body(body: str | None, field: str = "body") -> str:
    code = MEETING_BODIES.code_for(body or "") if body else None
    if code is None:
        names = ", ".join(BODY_SHORT_NAMES.values())
        raise ValidationError(field, f"choose the body that meets: {names}")
    return code


def standing_agenda(body: str) -> tuple[StandingItem, ...]:
    """The standing items of a body's agenda, in order; any other business comes last."""
    body = validate_body(body)
    titles = _AGM_TITLES if body == "agm" else {}
    return tuple(
        StandingItem(kind, titles.get(kind, AGENDA_ITEM_KINDS.label(kind)))
        for kind in _STANDING_KINDS[body]
    )


def default_meeting_period(meeting_on: date) -> Period:
    """The month a meeting reports on: the one before the month it meets in."""
    return Period.from_date(meeting_on).previous()


# --- status and the minutes lock ---------------------------------------------------------------

#: where a meeting's status may be moved by hand; the minutes are approved at the next meeting
MEETING_STATUS_MOVES: dict[str, tuple[str, ...]] = {
    "planned": ("papers_sent", "held"),
    "papers_sent": ("planned", "held"),
    "held": ("papers_sent",),
    "minutes_approved": (),
}


def validate_meeting_status_move(from_status: str, to_status: str, *, has_record: bool) -> None:
    """Check a status move by hand; `has_record` is true once minutes or votes are written."""
    if to_status not in MEETING_STATUSES.codes:
        raise ValidationError("status", f"{to_status!r} is not a meeting status")
    if to_status == from_status:
        return
    if to_status == "minutes_approved":
        raise ValidationError(
            "status", "minutes are approved at the next meeting of the same body, not by hand"
        )
    if to_status not in MEETING_STATUS_MOVES.get(from_status, ()):
        raise ValidationError(
            "status",
            f"a meeting whose status is {MEETING_STATUSES.label(from_status).lower()} cannot "
            f"become {MEETING_STATUSES.label(to_status).lower()}",
        )
    if from_status == "held" and has_record:
        raise ValidationError("status", "this meeting has minutes or votes recorded: it stays held")


def check_editable(
    status: str, correction_reason: str | None = None, *, approved_on: date | None = None
) -> str:
    """The correction reason when the meeting is locked ("" when it is not); raise without one."""
    if not is_locked(status):
        return ""
    reason = " ".join((correction_reason or "").split())
    if not reason:
        when = f" on {format_uk_date(approved_on)}" if approved_on else ""
        raise MinutesLockedError(
            f"the minutes of this meeting were approved{when}: a correction needs a reason"
        )
    return reason


def validate_minutes_approval(
    status: str,
    minutes: str,
    approving_status: str,
    *,
    is_next_meeting: bool,
    approving_quorum: QuorumResult | None = None,
) -> None:
    """Minutes are drafted after a meeting is held and approved at the next one, once it sits
    and is quorate (`approving_quorum`, its attendance as recorded); one reason against is a
    ValidationError, several a FormError giving them all."""
    errors = []
    if status != "held":
        words = "already approved" if is_locked(status) else "for a meeting not yet held"
        errors.append(ValidationError("status", f"these minutes are {words}"))
    if not (minutes or "").strip():
        errors.append(ValidationError("minutes", "draft the minutes before they are approved"))
    if not is_next_meeting:
        errors.append(
            ValidationError(
                "approval_meeting", "minutes are approved at the next meeting of the same body"
            )
        )
    elif approving_status not in ("held", "minutes_approved"):
        errors.append(
            ValidationError("approval_meeting", "the meeting that approves them has not sat yet")
        )
    elif approving_quorum is not None and not approving_quorum.is_quorate:
        errors.append(
            ValidationError(
                "approval_meeting",
                f"the meeting that approves them was not quorate: {approving_quorum.present} "
                f"of {approving_quorum.voting_members} voting members present, "
                f"{approving_quorum.needed} needed (record its attendance first)",
            )
        )
    if len(errors) == 1:
        raise errors[0]
    FormError.raise_if_any(errors)


# --- attendance and quorum ---------------------------------------------------------------------


def validate_attendee(kind: str, *, has_contact: bool, name: str) -> None:
    """A person from a member's contacts, or (observers only) a name typed in."""
    if kind not in ATTENDANCE_KINDS.codes:
        raise ValidationError("kind", f"{kind!r} is not a kind of attendance")
    if has_contact and name.strip():
        raise ValidationError("name", "choose a contact or type a name, not both")
    if not has_contact:
        if not name.strip():
            raise ValidationError("contact", "choose who attended")
        if kind != "observer":
            raise ValidationError(
                "contact", "members attend through their contacts: a typed name is an observer"
            )


@dataclass(frozen=True)
class QuorumRule:
    """How many voting members make a meeting quorate: a share of them, and at least a number."""

    fraction: Fraction = Fraction(0)
    minimum: int = 0

    def needed(self, voting_members: int) -> int:
        """At least one member: a meeting nobody with a vote attends decides nothing."""
        share = math.ceil(self.fraction * voting_members)
        return max(1, share, self.minimum)

    @property
    def text(self) -> str:
        parts = []
        if self.fraction:
            parts.append(f"{_fraction_words(self.fraction)} of the voting members")
        if self.minimum:
            parts.append(f"at least {self.minimum}")
        return ", and ".join(parts) or "at least 1 voting member"


def _fraction_words(fraction: Fraction) -> str:
    words = {
        Fraction(1, 2): "half",
        Fraction(1, 3): "a third",
        Fraction(2, 3): "two thirds",
        Fraction(1, 4): "a quarter",
        Fraction(3, 4): "three quarters",
        Fraction(1): "all",
    }
    return words.get(fraction, f"{fraction.numerator}/{fraction.denominator}")


def parse_quorum_rule(value: Any, field: str = "quorum_rule") -> QuorumRule:
    """A rule from Settings: `"1/2"`, `"50%"`, `0.5`, a whole number (a minimum), or
    `{"fraction": "1/2", "minimum": 3}`."""
    if isinstance(value, QuorumRule):
        return value
    if isinstance(value, Mapping):
        unknown = set(value) - {"fraction", "minimum"}
        if unknown:
            raise ValidationError(field, f"a quorum rule has a fraction and a minimum, not "
                                         f"{', '.join(sorted(unknown))}")  # fmt: skip
        fraction = _parse_fraction(value.get("fraction", 0), field)
        minimum = _parse_minimum(value.get("minimum", 0), field)
        return QuorumRule(fraction, minimum)
    if isinstance(value, bool) or value is None:
        raise ValidationError(field, f"{value!r} is not a quorum rule")
    if isinstance(value, int):
        return QuorumRule(Fraction(0), _parse_minimum(value, field))
    text = str(value).strip()
    if text.isdigit():
        return QuorumRule(Fraction(0), _parse_minimum(int(text), field))
    return QuorumRule(_parse_fraction(value, field), 0)


def _parse_fraction(value: Any, field: str) -> Fraction:
    text = str(value).strip()
    try:
        fraction = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValidationError(field, f"{text!r} is not a fraction like 1/2 or 50%") from None
    if not 0 <= fraction <= 1:
        raise ValidationError(field, f"{text} is not a share of the members (0 to 1, or 0-100%)")
    return fraction


def _parse_minimum(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(field, f"{value!r} is not a number of members")
    text = str(value).strip()
    if not text.isdigit():
        raise ValidationError(field, f"{text!r} is not a number of members")
    return int(text)


def quorum_rule_for(body: str, rules: Mapping[str, Any] | None) -> QuorumRule:
    """The body's rule from Settings' `quorum_rule` (one entry per body), else the default."""
    rules = rules if isinstance(rules, Mapping) else {}
    value = rules.get(body, DEFAULT_QUORUM_RULES.get(body, {"fraction": "1/2"}))
    return parse_quorum_rule(value, field="quorum_rule")


@dataclass(frozen=True)
class QuorumResult:
    """Whether enough voting members are present: one vote per member organisation."""

    is_quorate: bool
    needed: int
    present: int
    voting_members: int = 0
    withdrawn: int = 0

    @property
    def text(self) -> str:
        """`Quorate: 6 of 9 voting members present (5 needed)`."""
        word = "Quorate" if self.is_quorate else "Not quorate"
        line = f"{word}: {self.present} of {self.voting_members} voting members present"
        if self.withdrawn:
            line += f" after {self.withdrawn} withdrew"
        return f"{line} ({self.needed} needed)"


def quorum(
    voting_present: int, voting_members: int, rule: QuorumRule | Any, *, withdrawn: int = 0
) -> QuorumResult:
    """Quorum from counts of member organisations (each has one vote, however many attend)."""
    if voting_present < 0 or voting_members < 0:
        raise ValueError("counts of members cannot be negative")
    rule = parse_quorum_rule(rule)
    needed = rule.needed(voting_members)
    return QuorumResult(voting_present >= needed, needed, voting_present, voting_members, withdrawn)


def quorum_for_item(
    present: Collection[str], withdrawn: Collection[str], voting_members: int, rule: Any
) -> QuorumResult:
    """Quorum for one item: the voting members present, less those who withdrew from it."""
    staying = set(present) - set(withdrawn)
    left = len(set(present) & set(withdrawn))
    return quorum(len(staying), voting_members, rule, withdrawn=left)


# --- decisions on an equal vote ------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    votes_for: int = 0
    against: int = 0
    abstained: int = 0
    withdrawn: int = 0

    @property
    def text(self) -> str:
        """`For 5, against 2, abstained 1, withdrawn 1`."""
        line = f"For {self.votes_for}, against {self.against}, abstained {self.abstained}"
        return f"{line}, withdrawn {self.withdrawn}" if self.withdrawn else line


def tally_votes(votes: Iterable[str]) -> Tally:
    counts = dict.fromkeys(VOTE_CHOICES.codes, 0)
    for choice in votes:
        if choice not in counts:
            raise ValidationError("votes", f"{choice!r} is not a vote: for, against or abstain")
        counts[choice] += 1
    return Tally(counts["for"], counts["against"], counts["abstain"], counts["withdrawn"])


@dataclass(frozen=True)
class DecisionResult:
    outcome: str
    tally: Tally
    casting_vote: str = ""

    @property
    def is_carried(self) -> bool:
        return self.outcome == "carried"

    @property
    def is_tied(self) -> bool:
        return self.tally.votes_for == self.tally.against

    @property
    def text(self) -> str:
        """`Carried on the chair's casting vote (for 3, against 3, abstained 0)`."""
        words = DECISION_OUTCOMES.label(self.outcome)
        if self.casting_vote:
            words += " on the chair's casting vote"
        return f"{words} ({self.tally.text[0].lower()}{self.tally.text[1:]})"


def decision_outcome(
    votes: Iterable[str], casting_vote: str | None = None, *, chair_has_casting_vote: bool = True
) -> DecisionResult:
    """Carried when more members vote for than against; on equal votes the chair's casting vote
    decides if the rules give one, else the motion is not carried ("tied")."""
    tally = tally_votes(votes)
    cast = (casting_vote or "").strip()
    if cast:
        if cast not in ("for", "against"):
            raise ValidationError("casting_vote", "a casting vote is for or against")
        if not chair_has_casting_vote:
            raise ValidationError(
                "casting_vote", "the chair has no casting vote under this consortium's rules"
            )
        if tally.votes_for != tally.against:
            raise ValidationError(
                "casting_vote", "the chair casts a vote only when the votes are equal"
            )
        return DecisionResult("carried" if cast == "for" else "not_carried", tally, cast)
    if tally.votes_for > tally.against:
        return DecisionResult("carried", tally)
    if tally.votes_for < tally.against:
        return DecisionResult("not_carried", tally)
    return DecisionResult("tied", tally)


def validate_vote(choice: str, *, is_voting_member: bool, is_present: bool, has_withdrawn: bool,
                  member: str = "this member") -> None:  # fmt: skip
    """One vote per member organisation present; one that withdrew from the item is withdrawn."""
    if choice not in VOTE_CHOICES.codes:
        raise ValidationError("votes", f"{choice!r} is not a vote: for, against or abstain")
    if not is_voting_member:
        raise ValidationError("votes", f"{member} has no vote on this body")
    if not is_present:
        raise ValidationError("votes", f"{member} is not recorded as present")
    if has_withdrawn and choice != "withdrawn":
        raise ValidationError("votes", f"{member} declared an interest and withdrew from the item")
    if choice == "withdrawn" and not has_withdrawn:
        raise ValidationError(
            "votes", f"{member} withdraws by declaring an interest in the item first"
        )


# --- declarations of interest -------------------------------------------------------------------


@dataclass(frozen=True)
class Stake:
    """A member's own part in a record: a partner on a contract, the provider of a ticket."""

    organisation_uuid: str
    organisation_name: str
    link_table: str
    link_uuid: str
    words: str


@dataclass(frozen=True)
class SuggestedDeclaration:
    organisation_uuid: str
    organisation_name: str
    reason: str


def suggested_declarations(
    link_table: str,
    link_uuid: str,
    stakes: Iterable[Stake],
    declared: Collection[str] = (),
) -> list[SuggestedDeclaration]:
    """Members who should think of declaring an interest in an item about their own record
    (one suggestion per organisation, by name), leaving out those who already declared."""
    if not link_table or not link_uuid:
        return []
    reasons: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for stake in stakes:
        if (stake.link_table, stake.link_uuid) != (link_table, link_uuid):
            continue
        if stake.organisation_uuid in declared:
            continue
        names[stake.organisation_uuid] = stake.organisation_name
        words = reasons.setdefault(stake.organisation_uuid, [])
        if stake.words not in words:
            words.append(stake.words)
    found = [
        SuggestedDeclaration(uuid, names[uuid], "; ".join(words)) for uuid, words in reasons.items()
    ]
    return sorted(found, key=lambda s: (s.organisation_name.casefold(), s.organisation_uuid))


# --- actions ------------------------------------------------------------------------------------


def is_on_action_log(
    raised_on: date,
    is_done: bool,
    done_on: date | None,
    meeting_on: date,
    previous_meeting_on: date | None,
) -> bool:
    """An action raised at an earlier meeting comes to this one until it is done, and once more
    after it is done to report it (done since the last meeting)."""
    if raised_on >= meeting_on:
        return False
    if not is_done:
        return True
    if done_on is None or previous_meeting_on is None:
        return False
    return done_on >= previous_meeting_on


# --- risks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskBand:
    code: str
    label: str
    rag: Rag


_RISK_BANDS = (
    (4, RiskBand("low", "Low", Rag.GREEN)),
    (9, RiskBand("medium", "Medium", Rag.AMBER)),
    (16, RiskBand("high", "High", Rag.RED)),
    (25, RiskBand("very_high", "Very high", Rag.RED)),
)


def validate_risk_rating(value: Any, field: str) -> int:
    """Likelihood or impact: a whole number from 1 (rare, minor) to 5 (almost certain, severe)."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise ValidationError(field, "give a whole number from 1 to 5")
    return int(text)


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood x impact: 1 to 25."""
    return validate_risk_rating(likelihood, "likelihood") * validate_risk_rating(impact, "impact")


def risk_band(score: int) -> RiskBand:
    if not 1 <= score <= 25:
        raise ValueError(f"a risk score is from 1 to 25, not {score}")
    for top, band in _RISK_BANDS:
        if score <= top:
            return band
    raise AssertionError("unreachable")

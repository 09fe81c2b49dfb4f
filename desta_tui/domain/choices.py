"""The fixed vocabularies of the product: stored codes and the words a hub officer reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """One stored code with its label, in display order."""

    code: str
    label: str


class Vocabulary(tuple):
    """An ordered set of choices with look-ups by code."""

    def __new__(cls, *pairs: tuple[str, str]) -> Vocabulary:
        return super().__new__(cls, tuple(Choice(code, label) for code, label in pairs))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self)

    def label(self, code: str | None) -> str:
        for choice in self:
            if choice.code == code:
                return choice.label
        return code or ""

    def options(self) -> list[tuple[str, str]]:
        """(label, code) pairs, the shape a Textual Select takes."""
        return [(choice.label, choice.code) for choice in self]

    def code_for(self, text: str) -> str | None:
        """The code whose code or label matches text, ignoring case, spaces and underscores."""
        wanted = "".join(ch for ch in text.casefold() if ch.isalnum())
        for choice in self:
            for name in (choice.code, choice.label):
                if "".join(ch for ch in name.casefold() if ch.isalnum()) == wanted:
                    return choice.code
        return None


MEMBERSHIP_STATUSES = Vocabulary(
    ("applied", "Applied"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("lapsed", "Lapsed"),
    ("left", "Left"),
)

ORGANISATION_KINDS = Vocabulary(
    ("charity", "Registered charity"),
    ("cio", "Charitable incorporated organisation"),
    ("cic", "Community interest company"),
    ("company", "Company limited by guarantee"),
    ("unincorporated", "Unincorporated association"),
    ("nhs", "NHS body"),
    ("council", "Local authority"),
    ("other", "Other"),
)

COMPLIANCE_KINDS = Vocabulary(
    ("insurance", "Insurance"),
    ("safeguarding_policy", "Safeguarding policy"),
    ("dbs_check", "DBS check"),
    ("quality_mark", "Quality mark"),
    ("other", "Other"),
)

# The compliance papers without which a partner may not carry contract risk.
GATE_COMPLIANCE_KINDS = ("insurance", "safeguarding_policy", "dbs_check", "quality_mark")

CONTRACT_STAGES = Vocabulary(
    ("dialogue", "Dialogue with commissioner"),
    ("preparing_tender", "Preparing tender"),
    ("submitted", "Submitted"),
    ("awarded", "Awarded"),
    ("in_delivery", "In delivery"),
    ("ended", "Ended"),
    ("not_won", "Not won"),
)

# Position on the road from dialogue to exit; "not won" leaves the road after "submitted".
STAGE_ORDER = {
    "dialogue": 0,
    "preparing_tender": 1,
    "submitted": 2,
    "awarded": 3,
    "in_delivery": 4,
    "ended": 5,
    "not_won": 3,
}

PERIOD_KINDS = Vocabulary(("month", "Monthly"), ("quarter", "Quarterly"))

PARTNER_ROLES = Vocabulary(
    ("lead", "Lead"),
    ("delivery", "Delivery partner"),
    ("support", "Support provider"),
)

CONTACT_KINDS = Vocabulary(
    ("meeting", "Meeting"),
    ("call", "Phone call"),
    ("email", "Email"),
    ("other", "Other"),
)

METRIC_AGGREGATIONS = Vocabulary(
    ("sum", "Sum over periods and partners"),
    ("latest", "Latest period"),
    ("ratio", "Ratio of two metrics"),
)

METRIC_UNITS = Vocabulary(("count", "Count"), ("rate", "Rate"))

TICKET_CATEGORIES = Vocabulary(
    ("tutor_recruitment", "Tutor recruitment"),
    ("training", "Training"),
    ("clinical_supervision", "Clinical supervision"),
    ("data_returns", "Data returns"),
    ("safeguarding", "Safeguarding"),
    ("other", "Other"),
)

TICKET_PRIORITIES = Vocabulary(
    ("low", "Low"),
    ("normal", "Normal"),
    ("high", "High"),
    ("urgent", "Urgent"),
)

TICKET_STAGES = Vocabulary(
    ("support", "Support"),
    ("improvement_plan", "Improvement plan"),
    ("remedial_action", "Remedial action"),
)

TICKET_STATUSES = Vocabulary(
    ("open", "Open"),
    ("waiting_provider", "Waiting on provider"),
    ("waiting_support", "Waiting on support"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
)

TICKET_EVENT_KINDS = Vocabulary(
    ("created", "Created"),
    ("note", "Note"),
    ("stage", "Stage change"),
    ("status", "Status change"),
    ("change", "Change"),
    ("time", "Time spent"),
    ("action", "Action"),
)

AUDIT_ACTIONS = Vocabulary(
    ("create", "Created"),
    ("update", "Changed"),
    ("archive", "Archived"),
    ("restore", "Restored"),
    ("erase", "Erased"),
)

"""The demo's records, written one part of the story at a time (the figures are in figures.py)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from desta_tui.db.models import (
    Borough,
    CommissionerContact,
    ComplianceItem,
    Consortium,
    Contact,
    Contract,
    ContractBorough,
    ContractPartner,
    ContractPartnerBorough,
    ContractStageChange,
    Membership,
    Metric,
    MonthlyReturn,
    Organisation,
    OrganisationBorough,
    PeriodLock,
    Setting,
    SupportTicket,
    Target,
    TicketAction,
    TicketEvent,
    TicketMetric,
    Ward,
    new_uuid,
)
from desta_tui.domain.validation import normalise_name
from desta_tui.services.demo.figures import (
    BME_RECRUITED_BY_PARTNER,
    BME_RETAINED_TOTAL,
    BME_RETENTION_TARGET_BP,
    BOROUGHS,
    BRENT,
    COMMISSIONERS,
    CONSORTIA,
    DEMO_AS_OF,
    DEMO_USER,
    EALING,
    EPS_DELIVERY_PARTNERS,
    EPS_MONTHS,
    EPS_START,
    FIRST_NAMES,
    HF,
    HUB_NAME,
    KC,
    LAST_NAMES,
    LATE_PARTNER,
    METRICS,
    MONTH_WEIGHTS,
    MONTHLY_TARGETS,
    OTHER_DESTA_MEMBERS,
    RAIN_TRUST,
    RETURNED_MONTHS,
    ROLES,
    STAMP,
    VALENS_ALSO_DESTA,
    VALENS_ONLY_MEMBERS,
    WARDS,
    WM,
    apportion,
    checked_on_for,
)
from desta_tui.services.search_index import search_text_for


class DemoBuilder:
    """Writes the demo records; one method per part of the story."""

    def __init__(self) -> None:
        self.boroughs: dict[str, Borough] = {}
        self.consortia: dict[str, Consortium] = {}
        self.orgs: dict[str, Organisation] = {}
        self.metrics: dict[str, Metric] = {}
        self.person_index = 0

    def build(self) -> None:
        self.settings()
        self.places()
        self.consortia_and_members()
        self.metrics_catalogue()
        self.expert_patient_service()
        self.pipeline()
        self.tickets()
        self.meetings()
        for org in self.orgs.values():
            org.search_text = search_text_for(org)
            org.save()

    def record(self, model, **values):
        values.setdefault("created_at", STAMP)
        values.setdefault("updated_at", STAMP)
        return model.create(**values)

    def settings(self) -> None:
        for key, value in {
            "hub_name": HUB_NAME,
            "is_demo": True,
            "demo_as_of": DEMO_AS_OF.isoformat(),
        }.items():
            Setting.create(key=key, value=json.dumps(value), updated_at=STAMP)

    def places(self) -> None:
        for name in BOROUGHS:
            self.boroughs[name] = self.record(Borough, name=name)
        for borough, ward, decile in WARDS:
            self.record(Ward, borough=self.boroughs[borough], name=ward, deprivation_decile=decile)

    def organisation(self, name: str, borough: str, **values) -> Organisation:
        org = self.record(
            Organisation,
            name=name,
            name_key=normalise_name(name),
            borough=self.boroughs[borough],
            postcode=values.pop("postcode", ""),
            **values,
        )
        OrganisationBorough.create(organisation=org, borough=self.boroughs[borough])
        self.orgs[name] = org
        return org

    def next_person(self) -> str:
        i = self.person_index
        self.person_index += 1
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = LAST_NAMES[(i * 7 + 3) % len(LAST_NAMES)]
        return f"{first} {last}"

    def contacts_for(self, org: Organisation, count: int) -> None:
        for n in range(count):
            name = self.next_person()
            slug = "".join(ch for ch in org.name.lower() if ch.isascii() and ch.isalnum())[:18]
            local = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalpha())[:12]
            self.record(
                Contact,
                organisation=org,
                full_name=name,
                role=ROLES[(self.person_index + n) % len(ROLES)],
                email=f"{local}@{slug}.org.uk",
                phone=f"020 {7100 + self.person_index * 37 % 900:04d} {1000 + n * 311:04d}",
                is_primary=n == 0,
            )

    def compliance_for(self, org: Organisation, index: int) -> None:
        kinds = ["insurance", "safeguarding_policy", "dbs_check", "quality_mark"]
        for k, kind in enumerate(kinds):
            # spread expiries from December 2012 into 2014, deterministically
            expires = DEMO_AS_OF + timedelta(days=75 + (index * 53 + k * 97) % 520)
            self.record(
                ComplianceItem,
                organisation=org,
                kind=kind,
                reference=f"{kind[:3].upper()}-{2012 - k % 2}-{index * 4 + k + 101}",
                checked_on=checked_on_for(expires),
                expires_on=expires,
            )

    def consortia_and_members(self) -> None:
        for name, short, focus, incorporated, charity in CONSORTIA:
            self.consortia[short] = self.record(
                Consortium,
                name=name,
                short_name=short,
                focus=focus,
                incorporated_on=incorporated,
                charity_number=charity,
            )
        self.organisation(
            HUB_NAME, HF, kind="charity", is_member=False, charity_number="1089312",
            postcode="W6 7AP", notes="The hub: a council for voluntary service.",
        )  # fmt: skip
        for name, kind, borough in COMMISSIONERS:
            self.organisation(name, borough, kind=kind, is_member=False, is_commissioner=True)
            self.contacts_for(self.orgs[name], 2)
        desta_members = [(RAIN_TRUST, HF)] + [(n, b) for n, b, _ in EPS_DELIVERY_PARTNERS]
        desta_members += OTHER_DESTA_MEMBERS
        board_seats = {
            RAIN_TRUST,
            "White City Health Circle",
            "Brent Carers Alliance",
            "Ealing Stroke Support Group",
            "Harrow Deaf Access",
            "Hillingdon Diabetes Peer Group",
            "Queen's Park Older Women's Network",
        }
        smg = {RAIN_TRUST} | {n for n, _, _ in EPS_DELIVERY_PARTNERS}
        for index, (name, borough) in enumerate(desta_members):
            org = self.organisation(
                name,
                borough,
                kind="charity" if index % 3 else "company",
                charity_number=f"{1100000 + index * 7919 % 90000}",
                postcode=f"W{(index % 14) + 1} {index % 9 + 1}{'ABDEFGHJLNPQRSTUWXYZ'[index % 20]}"
                f"{'ABDEFGHJLNPQRSTUWXYZ'[(index * 3) % 20]}",
            )
            self.record(
                Membership,
                organisation=org,
                consortium=self.consortia["Desta"],
                status="active" if index < 35 else "suspended",
                joined_on=date(2011, 2, 1) + timedelta(days=(index * 11) % 330),
                has_board_seat=name in board_seats,
                is_smg_member=name in smg,
            )
            self.contacts_for(org, 1 + index % 3)
            self.compliance_for(org, index)
        self.compliance_exceptions()
        for index, (name, borough) in enumerate(VALENS_ONLY_MEMBERS):
            org = self.organisation(name, borough, kind="charity")
            self.contacts_for(org, 1 + index % 2)
            self.compliance_for(org, 40 + index)
        for index, name in enumerate([n for n, _ in VALENS_ONLY_MEMBERS] + VALENS_ALSO_DESTA):
            self.record(
                Membership,
                organisation=self.orgs[name],
                consortium=self.consortia["Valens"],
                status="active",
                joined_on=date(2012, 3, 1) + timedelta(days=index * 9),
                has_board_seat=index < 5,
            )

    def compliance_exceptions(self) -> None:
        """Papers that need the hub's attention: three expiring within 60 days, one expired."""
        changes = [
            ("Golborne Community Health Forum", "insurance", DEMO_AS_OF - timedelta(days=16)),
            ("Westway Wellbeing Project", "dbs_check", DEMO_AS_OF + timedelta(days=12)),
            ("Church Street Neighbourhood Trust", "safeguarding_policy",
             DEMO_AS_OF + timedelta(days=38)),
            ("Harrow Deaf Access", "quality_mark", DEMO_AS_OF + timedelta(days=55)),
        ]  # fmt: skip
        for org_name, kind, expires in changes:
            ComplianceItem.update(expires_on=expires, checked_on=checked_on_for(expires)).where(
                (ComplianceItem.organisation == self.orgs[org_name]) & (ComplianceItem.kind == kind)
            ).execute()
        # a member with no quality mark on file at all
        ComplianceItem.delete().where(
            (ComplianceItem.organisation == self.orgs["Pimlico Healthy Living Club"])
            & (ComplianceItem.kind == "quality_mark")
        ).execute()

    def metrics_catalogue(self) -> None:
        for code, name, unit, aggregation, order in METRICS:
            self.metrics[code] = self.record(
                Metric, code=code, name=name, unit=unit, aggregation=aggregation, sort_order=order
            )
        retention = self.metrics["bme_retention"]
        retention.numerator = self.metrics["bme_retained"]
        retention.denominator = self.metrics["bme_recruited"]
        retention.description = "BME participants retained as a share of those recruited."
        retention.save()

    def contract(self, consortium: str, commissioner: str, title: str, stages: list, **values):
        contract = self.record(
            Contract,
            consortium=self.consortia[consortium],
            commissioner=self.orgs[commissioner],
            title=title,
            stage=stages[-1][0],
            **values,
        )
        previous = None
        for stage, on in stages:
            self.record(
                ContractStageChange,
                contract=contract,
                from_stage=previous,
                to_stage=stage,
                changed_on=on,
                changed_by=DEMO_USER,
            )
            previous = stage
        return contract

    def cover(self, contract: Contract, boroughs: list[str]) -> None:
        for name in boroughs:
            ContractBorough.create(contract=contract, borough=self.boroughs[name])

    def contact_log(self, contract: Contract, first: date, last: date, every_days: int) -> None:
        kinds = ["call", "meeting", "email", "call"]
        on, n = first, 0
        while on <= last:
            self.record(
                CommissionerContact,
                contract=contract,
                contacted_on=on,
                kind=kinds[n % len(kinds)],
                with_whom="Commissioning manager",
                notes="Fortnightly update on delivery and risk." if n % 2 else "Progress call.",
                logged_by=DEMO_USER,
            )
            on, n = on + timedelta(days=every_days), n + 1

    def expert_patient_service(self) -> None:
        eps = self.contract(
            "Desta",
            "NHS Inner North West London PCTs",
            "Expert Patient Service",
            [
                ("dialogue", date(2010, 6, 14)),
                ("preparing_tender", date(2011, 1, 10)),
                ("submitted", date(2011, 3, 25)),
                ("awarded", date(2011, 6, 20)),
                ("in_delivery", date(2011, 10, 3)),
            ],
            reference="INWL-EPS-2011",
            total_value_pence=670_000_00,
            annual_value_pence=337_600_00,
            starts_on=date(2011, 10, 1),
            ends_on=date(2013, 9, 30),
            decision_on=date(2011, 6, 20),
            notes="Self-management courses for people with long-term conditions, tri-borough.",
        )
        self.cover(eps, [HF, KC, WM])
        self.contact_log(eps, date(2012, 6, 5), date(2012, 10, 30), 14)
        rain = self.record(
            ContractPartner,
            contract=eps,
            organisation=self.orgs[RAIN_TRUST],
            role="support",
            allocated_value_pence=150_000_00,
            notes="Tutor recruitment, training and development; clinical supervision of tutors.",
        )
        for borough in (HF, KC, WM):
            ContractPartnerBorough.create(partner=rain, borough=self.boroughs[borough])
        partners = []
        for name, borough, _ in EPS_DELIVERY_PARTNERS:
            partner = self.record(
                ContractPartner,
                contract=eps,
                organisation=self.orgs[name],
                role="delivery",
                allocated_value_pence=55_000_00,
            )
            ContractPartnerBorough.create(partner=partner, borough=self.boroughs[borough])
            partners.append(partner)
        self.eps, self.eps_partners = eps, partners
        self.eps_targets(eps, partners)
        self.eps_returns(eps, partners)

    def eps_targets(self, eps: Contract, partners: list[ContractPartner]) -> None:
        rows = []
        for partner in partners:
            period = EPS_START
            for _ in range(EPS_MONTHS):
                for code, value in MONTHLY_TARGETS.items():
                    rows.append((code, partner, period, value))
                rows.append(("bme_retention", partner, period, BME_RETENTION_TARGET_BP))
                period = period.next()
        Target.insert_many(
            [
                {
                    "uuid": new_uuid(),
                    "created_at": STAMP,
                    "updated_at": STAMP,
                    "contract": eps.id,
                    "partner": partner.id,
                    "metric": self.metrics[code].id,
                    "period": period.key,
                    "value": value,
                }
                for code, partner, period, value in rows
            ]
        ).execute()

    def eps_returns(self, eps: Contract, partners: list[ContractPartner]) -> None:
        months = [EPS_START]
        for _ in range(RETURNED_MONTHS - 1):
            months.append(months[-1].next())
        to_date = MONTHLY_TARGETS["enrolments"] * RETURNED_MONTHS
        retained_split = apportion(BME_RETAINED_TOTAL, BME_RECRUITED_BY_PARTNER,
                                   BME_RECRUITED_BY_PARTNER)  # fmt: skip
        rows = []
        for index, (partner, (_, _, share)) in enumerate(
            zip(partners, EPS_DELIVERY_PARTNERS, strict=True)
        ):
            # one partner has not yet sent its October 2012 return
            returned = RETURNED_MONTHS - 1 if index == LATE_PARTNER else RETURNED_MONTHS
            enrol = apportion(round(to_date * share), MONTH_WEIGHTS[:returned])
            completions = apportion(round(sum(enrol) * 0.78), enrol[:1] + enrol[:-1], enrol)
            bme = apportion(BME_RECRUITED_BY_PARTNER[index], enrol, enrol)
            retained = apportion(retained_split[index], bme, bme)
            deprived = apportion(round(sum(enrol) * 0.36), enrol, enrol)
            figures = {
                "enrolments": enrol,
                "completions": completions,
                "bme_recruited": bme,
                "bme_retained": retained,
                "deprived_wards": deprived,
            }
            for m, period in enumerate(months[:returned]):
                # keyed on the 2nd of the month after: October's in by the demo's 05/11/2012
                entered_at = datetime(period.next().year, period.next().month, 2, 10, 30)
                for code, values in figures.items():
                    rows.append(
                        {
                            "uuid": new_uuid(),
                            "created_at": entered_at,
                            "updated_at": entered_at,
                            "contract": eps.id,
                            "partner": partner.id,
                            "metric": self.metrics[code].id,
                            "period": period.key,
                            "value": values[m],
                            "entered_by": DEMO_USER,
                            "entered_at": entered_at,
                        }
                    )
        MonthlyReturn.insert_many(rows).execute()
        for period in months[:-1]:
            locked = datetime(period.next().year, period.next().month, 20, 16, 0)
            self.record(
                PeriodLock, contract=eps, period=period.key, locked_at=locked, locked_by=DEMO_USER
            )

    def pipeline(self) -> None:
        ltc = self.contract(
            "Desta", "NHS Inner North West London PCTs", "Long-term Conditions Peer Support",
            [("dialogue", date(2012, 5, 21))],
            total_value_pence=450_000_00, annual_value_pence=150_000_00,
            notes="Pre-procurement dialogue with the NHS Inner North West London PCTs.",
        )  # fmt: skip
        self.cover(ltc, [HF, KC, WM, BRENT])
        # last contact over a fortnight ago: the dashboard flags it
        self.contact_log(ltc, date(2012, 6, 1), date(2012, 10, 12), 19)
        asc = self.contract(
            "Desta", "Hammersmith & Fulham Council", "Adult Social Care Prevention Services",
            [("dialogue", date(2012, 3, 12)), ("preparing_tender", date(2012, 9, 24))],
            total_value_pence=280_000_00, annual_value_pence=140_000_00,
            tender_deadline_on=date(2012, 11, 30), decision_on=date(2013, 1, 31),
            starts_on=date(2013, 4, 1), ends_on=date(2015, 3, 31),
        )  # fmt: skip
        self.cover(asc, [HF])
        self.contact_log(asc, date(2012, 9, 3), date(2012, 10, 29), 14)
        carers = self.contract(
            "Desta", "Westminster City Council", "Carers' Support Hub",
            [("dialogue", date(2012, 1, 16)), ("preparing_tender", date(2012, 6, 4)),
             ("submitted", date(2012, 9, 28))],
            total_value_pence=150_000_00, annual_value_pence=75_000_00,
            tender_deadline_on=date(2012, 9, 28), decision_on=date(2012, 12, 14),
        )  # fmt: skip
        self.cover(carers, [WM])
        self.contact_log(carers, date(2012, 9, 10), date(2012, 10, 24), 14)
        champions = self.contract(
            "Desta", "NHS Inner North West London PCTs", "Community Health Champions",
            [("dialogue", date(2011, 9, 5)), ("preparing_tender", date(2011, 11, 14)),
             ("submitted", date(2012, 1, 20)), ("not_won", date(2012, 4, 2))],
            total_value_pence=120_000_00, annual_value_pence=60_000_00,
            notes="Lost on price to a single national provider; feedback meeting held.",
        )  # fmt: skip
        self.cover(champions, [BRENT, EALING])
        family = self.contract(
            "Valens", "Hammersmith & Fulham Council", "Family Support Outreach",
            [("dialogue", date(2012, 7, 9))],
            total_value_pence=210_000_00, annual_value_pence=70_000_00,
            notes="Introductory meetings with the Director of Children's Services Commissioning.",
        )  # fmt: skip
        self.cover(family, [HF])
        self.contact_log(family, date(2012, 7, 9), date(2012, 10, 22), 15)
        breaks = self.contract(
            "Valens", "Hammersmith & Fulham Council", "Young Carers' Short Breaks",
            [("dialogue", date(2012, 4, 2)), ("preparing_tender", date(2012, 10, 1))],
            total_value_pence=96_000_00, annual_value_pence=48_000_00,
            tender_deadline_on=date(2012, 11, 22), decision_on=date(2013, 1, 11),
        )  # fmt: skip
        self.cover(breaks, [HF])
        self.contact_log(breaks, date(2012, 8, 1), date(2012, 10, 31), 13)
        clubs = self.contract(
            "Regeneration", "Hammersmith & Fulham Council", "White City Work Clubs",
            [("dialogue", date(2012, 4, 23))],
            total_value_pence=180_000_00, annual_value_pence=90_000_00,
            notes="Neighbourhood Community Budget area; consultation events in White City.",
        )  # fmt: skip
        self.cover(clubs, [HF])
        self.contact_log(clubs, date(2012, 4, 23), date(2012, 10, 15), 21)

    def ticket_event(self, ticket, on: datetime, kind: str, text: str, minutes: int = 0) -> None:
        self.record(
            TicketEvent, ticket=ticket, occurred_at=on, who=DEMO_USER, kind=kind, text=text,
            minutes=minutes, created_at=on, updated_at=on,
        )  # fmt: skip

    def tickets(self) -> None:
        behind = self.orgs["Westway Wellbeing Project"]
        ticket = self.record(
            SupportTicket,
            reference="T-0001",
            contract=self.eps,
            provider=behind,
            support_provider=self.orgs[RAIN_TRUST],
            subject="Enrolments far below target since the tutor left",
            category="tutor_recruitment",
            priority="high",
            owner="Rain Trust: tutor coordinator",
            due_on=date(2012, 11, 16),
            stage="improvement_plan",
            status="open",
            opened_on=date(2012, 8, 14),
            description="Westway's enrolments are at about 40% of target to date; its only "
            "trained tutor left in July and courses were cancelled.",
        )
        for code in ("enrolments", "completions"):
            TicketMetric.create(ticket=ticket, metric=self.metrics[code])
        log = [
            (datetime(2012, 8, 14, 10, 5), "created", "Ticket opened from the SMG: enrolments "
             "red for three months running.", 20),
            (datetime(2012, 8, 21, 14, 0), "note", "Rain Trust visited; two courses cancelled in "
             "July for want of a tutor.", 90),
            (datetime(2012, 9, 20, 11, 30), "stage", "Support -> Improvement plan: no "
             "replacement tutor after five weeks.", 30),
            (datetime(2012, 10, 15, 16, 45), "note", "Replacement tutor trained; first course "
             "starts 5 November.", 45),
        ]  # fmt: skip
        for on, kind, text, minutes in log:
            self.ticket_event(ticket, on, kind, text, minutes)
        actions = [
            ("Recruit and train a replacement tutor", "Rain Trust", date(2012, 10, 31), True),
            ("Run two taster sessions at the Westway centre", "Westway Wellbeing Project",
             date(2012, 11, 16), False),
            ("Send weekly enrolment figures to the Rain Trust", "Westway Wellbeing Project",
             date(2012, 11, 30), False),
        ]  # fmt: skip
        for description, owner, due, done in actions:
            self.record(
                TicketAction, ticket=ticket, description=description, owner=owner, due_on=due,
                is_done=done, done_on=date(2012, 10, 29) if done else None,
            )  # fmt: skip
        closed = self.record(
            SupportTicket,
            reference="T-0002",
            contract=self.eps,
            provider=self.orgs["Church Street Neighbourhood Trust"],
            support_provider=self.orgs[RAIN_TRUST],
            subject="Monitoring returns arriving late",
            category="data_returns",
            priority="normal",
            owner="Desta hub: contracts officer",
            due_on=date(2012, 5, 31),
            stage="support",
            status="closed",
            opened_on=date(2012, 4, 10),
            closed_on=date(2012, 5, 24),
            outcome="Returns template simplified; the last five returns arrived on time.",
        )
        self.ticket_event(closed, datetime(2012, 4, 10, 9, 15), "created", "Three late returns "
                          "in a row.", 15)  # fmt: skip
        self.ticket_event(closed, datetime(2012, 5, 24, 12, 0), "status", "Open -> Closed: "
                          "returns now on time.", 10)  # fmt: skip

    def meetings(self) -> None:
        """The SMG and board meetings, the register of interests and the risk register."""
        from desta_tui.services.meetings.demo import build_demo_meetings

        build_demo_meetings(self.record)

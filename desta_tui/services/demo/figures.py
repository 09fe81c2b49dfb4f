"""The case study's figures the demo is built from: boroughs, consortia, members, the Expert
Patient Service's partners, targets and returns, and how they are shared out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from desta_tui.domain.periods import Period

DEMO_AS_OF = date(2012, 11, 5)
HUB_NAME = "CaVSA Hammersmith & Fulham"
DEMO_USER = "Shani Lee"
STAMP = datetime(2012, 11, 5, 9, 0, 0)

HF, KC, WM = "Hammersmith & Fulham", "Kensington & Chelsea", "Westminster"
BRENT, EALING, HARROW, HILLINGDON, HOUNSLOW = "Brent", "Ealing", "Harrow", "Hillingdon", "Hounslow"
BOROUGHS = [BRENT, EALING, HF, HARROW, HILLINGDON, HOUNSLOW, KC, WM]

# (borough, ward, deprivation decile: 1 is the most deprived tenth)
WARDS = [
    (HF, "Wormholt & White City", 1), (HF, "College Park & Old Oak", 2),
    (HF, "Shepherd's Bush Green", 3), (HF, "Fulham Reach", 5),
    (KC, "Golborne", 1), (KC, "Notting Barns", 2), (KC, "Colville", 4),
    (KC, "Chelsea Riverside", 6),
    (WM, "Church Street", 1), (WM, "Westbourne", 2), (WM, "Queen's Park", 2),
    (WM, "Harrow Road", 3), (WM, "Warwick", 8),
    (BRENT, "Stonebridge", 1), (BRENT, "Harlesden", 2), (BRENT, "Kilburn", 3),
    (EALING, "Southall Broadway", 2), (EALING, "Northolt West End", 3),
    (HARROW, "Wealdstone", 4), (HARROW, "Roxbourne", 5),
    (HILLINGDON, "Botwell", 3), (HILLINGDON, "Yiewsley", 4),
    (HOUNSLOW, "Hounslow Heath", 3), (HOUNSLOW, "Feltham North", 4),
]  # fmt: skip

CONSORTIA = [
    ("Desta Health and Social Care Consortium", "Desta", "Health and social care",
     date(2011, 2, 1), "1142233"),
    ("Valens Consortium", "Valens", "Children, families and young people", date(2012, 3, 1), ""),
    ("West London Regeneration and Economic Inclusion Consortium", "Regeneration",
     "Regeneration and economic inclusion (in development: incorporation expected December 2012)",
     None, ""),
]  # fmt: skip

# The eight delivery partners of the Expert Patient Service, with the share of their enrolment
# target each reached by October 2012 (the first is the one clearly behind).
EPS_DELIVERY_PARTNERS = [
    ("Westway Wellbeing Project", KC, 0.40),
    ("White City Health Circle", HF, 0.98),
    ("Fulham Carers' Network", HF, 0.96),
    ("Shepherd's Bush Somali Welfare Group", HF, 0.92),
    ("Golborne Community Health Forum", KC, 0.88),
    ("Ethiopian Community Wellbeing Association (የኢትዮጵያ ማህበረሰብ)", WM, 0.84),
    ("Church Street Neighbourhood Trust", WM, 0.82),
    ("Polish Social & Cultural Support (Łączy Nas)", HF, 0.81),
]
RAIN_TRUST = "Rain Trust"

# The other Desta members (with the eight above and the Rain Trust: 37 in all).
OTHER_DESTA_MEMBERS = [
    ("Brent Carers Alliance", BRENT), ("Harlesden Health Link", BRENT),
    ("Kilburn Refugee Wellbeing", BRENT), ("Wembley Sickle Cell Support", BRENT),
    ("Ealing Stroke Support Group", EALING), ("Southall Asian Elders Circle", EALING),
    ("Acton Mental Health Forum", EALING), ("Northolt Bereavement Circle", EALING),
    ("Acton Vietnamese Community (Cộng đồng Việt)", EALING),
    ("Harrow Deaf Access", HARROW), ("Pinner Parkinson's Group", HARROW),
    ("Wealdstone Turkish Community Centre (Türk Toplum Merkezi)", HARROW),
    ("Hillingdon Diabetes Peer Group", HILLINGDON), ("Uxbridge Young Carers", HILLINGDON),
    ("Hayes Tamil Welfare Association", HILLINGDON), ("Ruislip Dementia Friends", HILLINGDON),
    ("Hounslow Arthritis Self-Help", HOUNSLOW), ("Feltham Family Wellbeing", HOUNSLOW),
    ("Brentford Recovery Café", HOUNSLOW), ("Hounslow Somali Mothers' Group", HOUNSLOW),
    ("Hammersmith Irish Elders' Centre", HF), ("Chiswick Hearing Help", HOUNSLOW),
    ("Kensal Green Men's Health Shed", KC), ("Earl's Court HIV Peer Support", KC),
    ("North Kensington Law & Advice Project", KC),
    ("Queen's Park Older Women's Network", WM), ("Paddington Befriending Scheme", WM),
    ("Pimlico Healthy Living Club", WM),
]  # fmt: skip

VALENS_ONLY_MEMBERS = [
    ("Bush Theatre Youth Company", HF), ("Fulham Boys' and Girls' Club", HF),
    ("Hammersmith Parents' Forum", HF), ("Askew Road Under-Fives", HF),
    ("White City Adventure Playground", HF), ("Sands End Family Centre", HF),
    ("Shepherd's Bush Families Project", HF), ("Old Oak Youth Sports", HF),
    ("Ravenscourt Young People's Counselling", HF), ("Brackenbury Homework Club", HF),
    ("Lillie Road Children's Centre Friends", HF), ("Fulham Young Mums", HF),
    ("H&F Young Carers Project", HF), ("Wormholt Park Family Group", HF),
    ("Barons Court Youth Music", HF), ("Parsons Green Dads' Network", HF),
]  # fmt: skip
# Three Desta members are in Valens too: 16 + 3 = 19.
VALENS_ALSO_DESTA = ["White City Health Circle", "Shepherd's Bush Somali Welfare Group",
                     "Polish Social & Cultural Support (Łączy Nas)"]  # fmt: skip

COMMISSIONERS = [
    ("NHS Inner North West London PCTs", "nhs", WM),
    ("Hammersmith & Fulham Council", "council", HF),
    ("Westminster City Council", "council", WM),
]

FIRST_NAMES = ["Amina", "Tomasz", "Grace", "Yusuf", "Mei", "Declan", "Hana", "Kwame", "Priya",
               "Selam", "Oluwaseun", "Agnieszka", "Farhan", "Nadia", "Liam", "Ayşe", "Marcus",
               "Fatima", "Bogdan", "Chloe", "Abdi", "Rosa", "Tariq", "Eilidh", "Dawit"]  # fmt: skip
LAST_NAMES = ["Okafor", "Kowalski", "Hussein", "Nguyen", "Byrne", "Mensah", "Patel", "Tesfaye",
              "Adeyemi", "Nowak", "Rahman", "Ali", "Murphy", "Yılmaz", "Campbell", "Osei",
              "Ionescu", "Williams", "Abebe", "Haile", "Farah", "Santos", "Shah"]  # fmt: skip
ROLES = ["Chief executive", "Service manager", "Finance officer", "Volunteer coordinator",
         "Chair of trustees"]  # fmt: skip

METRICS = [
    ("enrolments", "Enrolments", "count", "sum", 10),
    ("completions", "Completions", "count", "sum", 20),
    ("bme_recruited", "BME participants recruited", "count", "sum", 30),
    ("bme_retained", "BME participants retained", "count", "sum", 40),
    ("deprived_wards", "Participants from the most deprived wards", "count", "sum", 50),
    ("bme_retention", "BME retention", "rate", "ratio", 60),
]

EPS_START = Period(2011, 10)
EPS_MONTHS = 24  # October 2011 to September 2013
RETURNED_MONTHS = 13  # October 2011 to October 2012
LATE_PARTNER = 6  # Church Street Neighbourhood Trust: October 2012 return not yet in
# Monthly targets per delivery partner; BME retention is a rate in basis points (63.00%).
MONTHLY_TARGETS = {
    "enrolments": 10,
    "completions": 8,
    "bme_recruited": 2,
    "bme_retained": 2,
    "deprived_wards": 2,
}
BME_RETENTION_TARGET_BP = 6300
# Overall BME recruitment and retention to October 2012: 249 / 300 is the case study's 83%.
BME_RECRUITED_BY_PARTNER = [18, 44, 40, 52, 38, 48, 30, 30]
BME_RETAINED_TOTAL = 249
# Ramp-up while courses fill in the first months.
MONTH_WEIGHTS = [5, 7, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]


def apportion(total: int, weights: list[int], caps: list[int] | None = None) -> list[int]:
    """Split total into whole parts in proportion to weights (largest remainder), each <= cap."""
    caps = caps if caps is not None else [total] * len(weights)
    parts = [0] * len(weights)
    remaining = total
    active = [i for i, cap in enumerate(caps) if cap > 0]
    while remaining > 0 and active:
        weight_sum = sum(weights[i] for i in active) or len(active)
        shares = {i: remaining * (weights[i] or 1) / weight_sum for i in active}
        floors = {i: min(int(shares[i]), caps[i] - parts[i]) for i in active}
        given = sum(floors.values())
        for i in active:
            parts[i] += floors[i]
        remaining -= given
        by_remainder = sorted(active, key=lambda i: shares[i] - int(shares[i]), reverse=True)
        for i in by_remainder:
            if remaining == 0:
                break
            if parts[i] < caps[i]:
                parts[i] += 1
                remaining -= 1
        active = [i for i in active if parts[i] < caps[i]]
    if remaining:
        raise ValueError("the caps leave no room for the total")
    return parts


def checked_on_for(expires_on: date) -> date:
    """When the hub checked a demo paper: a year before it expires, or two for a paper that
    runs longer; never after the demo's today (the paper form refuses a check in the future)."""
    for years in (1, 2, 3):
        checked = expires_on - timedelta(days=365 * years)
        if checked <= DEMO_AS_OF:
            return checked
    raise ValueError(f"no demo paper runs past {expires_on}")

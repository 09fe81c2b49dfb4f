"""The demo database: the case study's hub, consortia and Expert Patient Service, November 2012.

Figures from the case study: 8 boroughs, 37 Desta members, Valens with 19, the Expert Patient
Service (GBP 670,000 in all, GBP 337,600 a year, three boroughs, eight delivery partners and the
Rain Trust as support provider), enrolment above 70% of target, BME retention at 83%.
Every organisation and person other than those the case study names is invented.
"""

from desta_tui.services.demo.figures import DEMO_AS_OF, apportion, checked_on_for
from desta_tui.services.demo.writing import build_demo_database, write_demo_database

__all__ = [
    "DEMO_AS_OF",
    "apportion",
    "build_demo_database",
    "checked_on_for",
    "write_demo_database",
]

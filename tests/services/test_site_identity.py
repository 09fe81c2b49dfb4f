"""A site's identity stays random where its first digits name it: the default ticket prefix
(S and the first four), the backup before a bundle. Records' ids start with the clock."""

from __future__ import annotations

import uuid

from desta_tui.db.models import SyncSite, random_uuid
from desta_tui.services.sync.identity import continue_as_new_site, default_ticket_prefix, this_site


def test_random_uuids_are_version_4_with_every_digit_random():
    made = [random_uuid() for _ in range(2000)]
    assert len(set(made)) == 2000
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122
    # the first four hex digits (a site's default ticket prefix) take every value in turn
    for place in range(4):
        assert {text[place] for text in made} == set("0123456789abcdef")
    assert {text[19] for text in made} == set("89ab")


def test_each_restore_carries_on_under_a_prefix_of_its_own(db_path):
    prefixes = [this_site().ticket_prefix or default_ticket_prefix(this_site().site_uuid)]
    for _ in range(3):  # restores in a row, within a moment of each other
        site = this_site()
        SyncSite.update(last_seq=5, ticket_prefix=default_ticket_prefix(site.site_uuid)).where(
            SyncSite.id == site.id
        ).execute()
        assert continue_as_new_site()
        prefixes.append(this_site().ticket_prefix)
    assert len(set(prefixes)) == len(prefixes), prefixes

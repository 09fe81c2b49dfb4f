"""Command palette providers: jump to any section from anywhere."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from desta_tui.ui.sections import SECTIONS


class SectionsProvider(Provider):
    """ "Go to Members" and friends."""

    async def discover(self) -> Hits:
        for section in SECTIONS:
            yield DiscoveryHit(
                f"Go to {section.title}",
                partial(self.app.switch_mode, section.mode),
                help=f"Section {section.key}",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for section in SECTIONS:
            text = f"Go to {section.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self.app.switch_mode, section.mode),
                    help=f"Section {section.key}",
                )

"""Desta hub desk: the version, and nothing else, so `desta --version` stays instant."""

__version__ = "0.1.0"

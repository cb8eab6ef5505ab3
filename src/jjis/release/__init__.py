"""Releasing figures: who may, what is checked, and the release made from the current data
(docs/release.md). Storage is in jjis.publish.releases."""

from jjis.release.make import make_release, withdraw_release

__all__ = ["make_release", "withdraw_release"]

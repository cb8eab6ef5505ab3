"""The web application: dashboard, uploads, action lists, role-scoped access, audit log and the
JSON API (docs/web.md). `create_app(store_url, config)` builds it; `jjis serve` runs it."""

from jjis.web.app import create_app

__all__ = ["create_app"]

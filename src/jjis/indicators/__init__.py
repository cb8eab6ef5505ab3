"""The fifteen indicators: the catalogue (catalogue.toml) and the engine that computes them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jjis.indicators.engine import ComputeResult


def compute(*args: Any, **kwargs: Any) -> ComputeResult:
    """See jjis.indicators.engine.compute."""
    from jjis.indicators.engine import compute as _compute

    return _compute(*args, **kwargs)


__all__ = ["compute"]

"""Modules imported on first use: `ibis = lazy("ibis")` binds a module whose code runs when one
of its attributes is first read. A run that finds its compiled plan kept (indicators/plans.py)
builds no Ibis expression, so it need not pay for importing Ibis; every other run imports it at
the first expression it builds, as `import ibis` would have."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy(name: str) -> ModuleType:
    """The module `name`, imported when first used (at once where it is already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module

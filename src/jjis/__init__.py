"""jjis: the fifteen UNODC/UNICEF juvenile justice indicators, from registers to reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jjis")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]

"""PlacePlanner: collaborative planning for health and care places."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("placeplanner")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

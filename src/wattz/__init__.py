"""wattz: a local-first command-line cycling coach."""

__version__ = "0.1.0"

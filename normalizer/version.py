"""The package version (one definition: the package root, records and the models download
read it from here)."""

__version__ = "0.1.0"

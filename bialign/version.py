"""The package version: at the bottom of the house, so any module can name it without importing the package."""

__version__ = "0.1.0"

"""The bundle's entry point (PyInstaller runs this file as __main__)."""

from negodrill.cli import entry_point

entry_point()

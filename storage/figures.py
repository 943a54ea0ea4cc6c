"""Imported statistics files (``dataset``) and their values (``figure``), for everybody or for one workspace."""

from __future__ import annotations

from storage.base import UnitBase


class Figures(UnitBase):
    """Mixed into the unit of work: store a file's figures once, read a region's figures."""

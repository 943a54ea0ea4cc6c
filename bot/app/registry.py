"""The stored directory and statistics as the engine asks for them: the ``Registry`` port on one unit of work."""

from __future__ import annotations

from collections.abc import Sequence

from bot.app import directory, figures
from flows.statistics.model import Country, Figure, Place
from storage.store import Unit


class StoredRegistry:
    """:class:`flows.statistics.model.Registry` on the message's unit of work (bot/app/directory.py, figures.py)."""

    def __init__(self, unit: Unit):
        self.unit = unit
        self._has_places: bool | None = None
        self._places: dict[tuple[str, str], Place | None] = {}
        """Places looked up by key in this message (the places offered for one name share Kreise and Länder)."""

    def find(self, query: str, country: Country | None = None, limit: int = 8) -> list[Place]:
        return directory.find(self.unit, query, country, limit)

    def place(self, key: str, country: Country = "de") -> Place | None:
        if (country, key) not in self._places:
            self._places[(country, key)] = directory.place(self.unit, key, country)
        return self._places[(country, key)]

    def has_places(self) -> bool:
        if self._has_places is None:
            self._has_places = self.unit.has_places()
        return self._has_places

    def figures(self, keys: Sequence[str], country: Country = "de", workspace_id: int | None = None) -> list[Figure]:
        return figures.read(self.unit, country, keys, workspace_id)

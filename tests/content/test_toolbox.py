"""The toolbox: enough items, every stage, Handlungsfeld and type covered, only verified addresses."""

from __future__ import annotations

from collections import Counter

from flows.content.content import Content

VERIFIED_ADDRESSES = {
    "https://www.demografiewerkstatt-kommunen.de/werkzeugkoffer/kick-off",
    "https://www.demografiewerkstatt-kommunen.de/werkzeugkoffer/zukunftswerkstatt",
    "https://www.demografiewerkstatt-kommunen.de/werkzeugkoffer/werkstattplan",
    "https://www.zukunftswerkstatt-kommunen.de/werkzeugkoffer/Demografiestrategie/Kommunalprofil",
    "https://www.zukunftswerkstatt-kommunen.de/werkzeugkoffer/Demografiestrategie/Halbzeitbilanz",
    "https://www.zukunftswerkstatt-kommunen.de/daks/",
    "https://www.zukunftsraum-demografie.de",
    "https://www.wegweiser-kommune.de",
    "https://www.regionalstatistik.de",
    "https://df-zukunftswerk.eu/newsletter",
    "https://df-zukunftswerk.eu",
}


def test_at_least_seventy_items_in_three_languages(content: Content):
    assert len(content.toolbox) >= 70
    for item in content.toolbox.values():
        assert item.title.missing() == [] and item.summary.missing() == [], item.id


def test_every_stage_field_of_action_and_type_has_several_items(content: Content):
    stages = Counter(s for item in content.toolbox.values() for s in item.stages)
    fields = Counter(f for item in content.toolbox.values() for f in item.fields)
    types = Counter(item.type for item in content.toolbox.values())
    assert all(stages[s.id] >= 8 for s in content.daks_stages), stages
    assert all(fields[f] >= 3 for f in content.handlungsfelder), fields
    assert all(types[t] >= 5 for t in ("konzept", "methode", "praxisbeispiel", "vortrag", "checkliste")), types


def test_only_verified_addresses_and_the_verified_items_are_marked(content: Content):
    addresses = {item.url for item in content.toolbox.values() if item.url}
    assert addresses <= VERIFIED_ADDRESSES
    verified = [item for item in content.toolbox.values() if item.verified]
    assert len(verified) >= 13
    assert all(item.source for item in verified)

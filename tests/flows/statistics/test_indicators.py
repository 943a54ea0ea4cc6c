"""The indicators of a Gemeinde, its Kreis and Land from figures written out by hand (tests/…/grabow.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows.statistics.indicators import NO_SINGLE_YEARS, NOT_SPLIT, TOP_75, Profile, compute
from flows.statistics.model import Place
from tests.flows.statistics.grabow import GRABOW, KREIS, LAND, OTHER, figure, grabow, kreis, land, single_years

TENTH = 0.05
"""Values match the hand-computed ones to 0.1 (as shown, rounded to one decimal)."""


def value(profile: Profile, indicator: str, year: int) -> float | None:
    found = profile.indicator(indicator)  # type: ignore[arg-type]
    assert found is not None
    return found.at(year)


def test_population_change_and_balances_of_a_gemeinde():
    profile = compute(GRABOW, grabow())
    assert profile is not None and profile.source == "official"
    population = profile.indicator("population")
    # 2023 has no total: the sum of the 17 groups of men and women, 2522 + 2600 = 5122
    assert population is not None and population.values == (
        (2019, 5300.0),
        (2020, 5251.0),
        (2021, 5200.0),
        (2022, 5160.0),
        (2023, 5122.0),
    )
    # change 2019–2023: (5122 / 5300 − 1) × 100 = −3.358 %; 2019 itself is 0
    change = profile.indicator("change")
    assert change is not None and change.values[0] == (2019, 0.0)
    assert change.latest == (2023, pytest.approx(-3.358, abs=TENTH))
    # 2020: (5251 / 5300 − 1) × 100 = −0.925 %
    assert value(profile, "change", 2020) == pytest.approx(-0.925, abs=TENTH)
    # natural balance 2023: (30 − 80) / 5122 × 1000 = −9.762; 2022: (35 − 75) / 5160 × 1000 = −7.752
    assert value(profile, "natural_balance", 2023) == pytest.approx(-9.762, abs=TENTH)
    assert value(profile, "natural_balance", 2022) == pytest.approx(-7.752, abs=TENTH)
    # migration balance 2023: (260 − 228) / 5122 × 1000 = 6.248
    assert value(profile, "migration_balance", 2023) == pytest.approx(6.248, abs=TENTH)
    assert profile.latest is not None and profile.latest.year == 2023
    assert profile.stichtage[-1].isoformat() == "2023-12-31"
    assert set(profile.tables) >= {"12411-02-03-5", "12612-01-01-5", "12613-01-01-5", "12711-01-01-5"}


def test_a_year_without_data_has_no_value_never_zero():
    profile = compute(GRABOW, grabow())
    assert profile is not None
    # births 2021 are "-": no natural balance for 2021 (as 0 it would be (0 − 70) / 5200 × 1000 = −13.5)
    assert value(profile, "natural_balance", 2021) is None
    balance = profile.indicator("natural_balance")
    assert balance is not None and [y for y, _ in balance.values] == [2022, 2023]
    # a population of None in 2020: that year drops out of the population, the change and the balance
    gap = [f for f in grabow() if not (f.measure == "population" and f.stichtag.year == 2020)]
    gap += [figure(GRABOW.key, "population", 2020, None), figure(GRABOW.key, "births", 2020, 40)]
    gap += [figure(GRABOW.key, "deaths", 2020, 60)]
    holed = compute(GRABOW, gap)
    assert holed is not None
    assert value(holed, "population", 2020) is None and value(holed, "change", 2020) is None
    assert value(holed, "natural_balance", 2020) is None
    assert value(holed, "change", 2023) == pytest.approx(-3.358, abs=TENTH)


def test_age_ratios_and_shares_from_the_17_groups_and_80_plus_not_available():
    profile = compute(GRABOW, grabow())
    assert profile is not None
    # youth ratio: 872 / 2980 × 100 = 29.262; old-age ratio: 1270 / 2980 × 100 = 42.617
    assert value(profile, "youth_ratio", 2023) == pytest.approx(29.262, abs=TENTH)
    assert value(profile, "old_age_ratio", 2023) == pytest.approx(42.617, abs=TENTH)
    # share 75+: 520 / 5122 × 100 = 10.152
    assert value(profile, "share_75", 2023) == pytest.approx(10.152, abs=TENTH)
    share_80 = profile.indicator("share_80")
    assert share_80 is not None and share_80.values == () and share_80.missing == TOP_75
    median = profile.indicator("median_age")
    assert median is not None and median.values == () and median.missing == NO_SINGLE_YEARS
    # the years with totals only have no ratios: they are left out, not 0
    ratio = profile.indicator("old_age_ratio")
    assert ratio is not None and [y for y, _ in ratio.values] == [2023]


def test_80_plus_and_the_median_age_from_single_years():
    place = Place("de", "13076999", "gemeinde", "Einzeljahr")
    profile = compute(place, single_years(place.key, 2023))
    assert profile is not None
    # 8 people of each age 0–39 (320), 12 of each age 40–89 (600), 86 aged 90+: 1006 people, half 503.
    # Younger than 55: 320 + 15 × 12 = 500; aged 55: 12 → median 55 + (503 − 500) / 12 = 55.25
    assert value(profile, "median_age", 2023) == pytest.approx(55.25, abs=TENTH)
    # 80+: 10 × 12 + 86 = 206 → 206 / 1006 × 100 = 20.477; 75+: 15 × 12 + 86 = 266 → 26.441
    assert value(profile, "share_80", 2023) == pytest.approx(20.477, abs=TENTH)
    assert value(profile, "share_75", 2023) == pytest.approx(26.441, abs=TENTH)
    # under 20: 160; 20–64: 20 × 8 + 25 × 12 = 460; 65+: 25 × 12 + 86 = 386
    assert value(profile, "youth_ratio", 2023) == pytest.approx(34.783, abs=TENTH)
    assert value(profile, "old_age_ratio", 2023) == pytest.approx(83.913, abs=TENTH)


def test_bands_that_do_not_split_at_20_and_65_give_no_ratio():
    place = Place("de", "13076998", "gemeinde", "Grob")
    coarse = {(0, 18): 800, (18, 65): 3000, (65, None): 1200}
    profile = compute(place, [figure(place.key, "population", 2023, n, ages=a) for a, n in coarse.items()])
    assert profile is not None
    assert value(profile, "population", 2023) == 5000
    youth = profile.indicator("youth_ratio")
    assert youth is not None and youth.values == () and youth.missing == NOT_SPLIT


def test_incomplete_bands_give_no_population():
    place = Place("de", "13076997", "gemeinde", "Lücke")
    gap = {(0, 20): 800, (25, None): 3000}  # 20–25 is missing
    profile = compute(place, [figure(place.key, "population", 2023, n, ages=a) for a, n in gap.items()])
    assert profile is not None
    population = profile.indicator("population")
    assert population is not None and population.values == () and population.missing


def test_the_pyramid_is_the_latest_year_with_complete_bands_of_men_and_women():
    profile = compute(GRABOW, grabow())
    assert profile is not None and profile.pyramid is not None
    assert profile.pyramid.year == 2023 and len(profile.pyramid.bands) == 17
    assert profile.pyramid.bands[-1] == (75, None)
    assert profile.pyramid.male[-1] == 200 and profile.pyramid.female[0] == 57
    # a 2024 with one group of women missing ("."): the pyramid stays at 2023
    later = [
        replace(f, stichtag=f.stichtag.replace(year=2024), value=None if (f.sex, f.age_from) == ("f", 30) else f.value)
        for f in grabow()
        if f.stichtag.year == 2023 and f.measure == "population"
    ]
    profile = compute(GRABOW, grabow() + later)
    assert profile is not None and profile.pyramid is not None and profile.pyramid.year == 2023


def test_a_pyramid_from_single_years_is_drawn_in_five_year_bands():
    place = Place("de", "13076996", "gemeinde", "Einzeljahr")
    profile = compute(place, single_years(place.key, 2023, "m") + single_years(place.key, 2023, "f"))
    assert profile is not None and profile.pyramid is not None
    bands = profile.pyramid.bands
    assert bands[0] == (0, 5) and bands[-2] == (85, 90) and bands[-1] == (90, None) and len(bands) == 19
    # 40–44: 5 × 12 men
    assert profile.pyramid.male[bands.index((40, 45))] == 60


def test_a_census_break_is_flagged_for_2010_to_2012():
    figures = [figure(GRABOW.key, "population", y, n) for y, n in {2010: 5900, 2011: 5700, 2012: 5650}.items()]
    profile = compute(GRABOW, figures)
    assert profile is not None and profile.breaks == (2011,)
    # 2019–2023 crosses the 2022 census (31.12.2022 is the first Stichtag counted on from it)
    profile = compute(GRABOW, grabow())
    assert profile is not None and profile.breaks == (2022,)
    within = compute(GRABOW, [figure(GRABOW.key, "population", y, 5000) for y in (2012, 2013, 2021)])
    assert within is not None and within.breaks == ()
    both = compute(GRABOW, [figure(GRABOW.key, "population", y, 5000) for y in (2010, 2023)])
    assert both is not None and both.breaks == (2011, 2022)


def test_register_figures_are_not_in_the_official_profile_and_the_other_way_round():
    register = [
        figure(GRABOW.key, "population", 2023, 5230, source="register", table="register"),
        figure(GRABOW.key, "population", 2022, 5260, source="register", table="register"),
    ]
    official = compute(GRABOW, grabow() + register)
    assert official is not None and official.other_source
    assert value(official, "population", 2023) == 5122 and value(official, "population", 2022) == 5160
    assert "register" not in official.tables
    own = compute(GRABOW, grabow() + register, source="register")
    assert own is not None and own.source == "register" and own.tables == ("register",)
    population = own.indicator("population")
    assert population is not None and population.values == ((2022, 5260.0), (2023, 5230.0))
    # (5230 / 5260 − 1) × 100 = −0.570
    assert value(own, "change", 2023) == pytest.approx(-0.570, abs=TENTH)
    assert compute(GRABOW, register) is None


def test_a_register_extract_by_ortsteil_sums_to_the_municipality():
    rows = [
        figure(GRABOW.key, "population", 2023, n, source="register", table="register", ortsteil=o)
        for o, n in {"Grabow": 4100, "Kremmin": 600, "Fresenbrügge": 530}.items()
    ]
    own = compute(GRABOW, rows, source="register")
    assert own is not None and value(own, "population", 2023) == 4100 + 600 + 530


def test_comparisons_with_the_kreis_and_the_land_where_they_have_data():
    everything = grabow() + kreis() + land() + [figure(OTHER.key, "population", 2023, 999999)]
    profile = compute(GRABOW, everything, kreis=KREIS, land=LAND)
    assert profile is not None
    assert [c.place.key for c in profile.comparisons] == ["13076", "13"] and profile.uncompared == ()
    district, state = profile.comparisons
    # Kreis: 2023 from its bands, 211500; change since Grabow's first year 2019: (211500 / 212000 − 1) × 100 = −0.236
    assert district.indicator("population").at(2023) == 211500  # type: ignore[union-attr]
    assert district.indicator("change").latest == (2023, pytest.approx(-0.236, abs=TENTH))  # type: ignore[union-attr]
    # natural balance (1500 − 2600) / 211500 × 1000 = −5.201; old-age ratio 59500 / 118000 × 100 = 50.424
    assert district.indicator("natural_balance").at(2023) == pytest.approx(-5.201, abs=TENTH)  # type: ignore[union-attr]
    assert district.indicator("old_age_ratio").at(2023) == pytest.approx(50.424, abs=TENTH)  # type: ignore[union-attr]
    assert district.indicator("youth_ratio").at(2023) == pytest.approx(28.814, abs=TENTH)  # type: ignore[union-attr]
    # Land: (1577000 / 1608138 − 1) × 100 = −1.936
    assert state.indicator("change").latest == (2023, pytest.approx(-1.936, abs=TENTH))  # type: ignore[union-attr]
    assert "12411-03-03-4" in profile.tables
    # another Gemeinde's figures change nothing
    assert profile.indicator("population").at(2023) == 5122  # type: ignore[union-attr]


def test_a_comparison_only_where_the_kreis_has_data():
    profile = compute(GRABOW, grabow() + land(), kreis=KREIS, land=LAND)
    assert profile is not None
    assert [c.place.key for c in profile.comparisons] == ["13"] and profile.uncompared == (KREIS,)
    alone = compute(GRABOW, grabow(), kreis=KREIS, land=LAND)
    assert alone is not None and alone.comparisons == () and alone.uncompared == (KREIS, LAND)


def test_a_french_commune_compares_with_departement_and_region_and_has_no_census_break():
    commune = Place("fr", "01004", "commune", "Ambérieu-en-Bugey", kreis="01", land="84")
    departement = Place("fr", "01", "departement", "Ain", land="84")
    region = Place("fr", "84", "region", "Auvergne-Rhône-Alpes")
    figures = [
        figure(p.key, "population", y, n, country="fr", table="")
        for p, series in ((commune, (14000, 14200)), (departement, (650000, 660000)), (region, (8000000, 8100000)))
        for y, n in zip((2010, 2015), series, strict=True)
    ]
    profile = compute(commune, figures, kreis=departement, land=region)
    assert profile is not None and profile.breaks == ()
    # (14200 / 14000 − 1) × 100 = 1.429; Ain: (660000 / 650000 − 1) × 100 = 1.538
    assert value(profile, "change", 2015) == pytest.approx(1.429, abs=TENTH)
    assert [c.place.name for c in profile.comparisons] == ["Ain", "Auvergne-Rhône-Alpes"]
    assert profile.comparisons[0].indicator("change").at(2015) == pytest.approx(1.538, abs=TENTH)  # type: ignore[union-attr]
    # a German figure with the same key is another place
    assert compute(commune, [figure("01004", "population", 2015, 1)]) is None

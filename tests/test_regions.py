"""Emergency and crisis numbers: every region names a number to call, and where it comes from."""

import re

import pytest

from tracker.regions import DEFAULT_REGION, REGIONS, region_for


@pytest.mark.parametrize("region", REGIONS, ids=lambda region: region.code)
def test_every_region_gives_a_crisis_number_to_call_and_its_source(region):
    assert re.search(r"\d{3}", region.crisis.replace(" ", "").replace("-", "")), region.crisis
    assert "your national" not in region.crisis
    assert region.source.startswith("https://")


def test_the_default_region_s_crisis_line_is_116_123():
    assert region_for(None).code == DEFAULT_REGION
    assert "116 123" in region_for(None).crisis


def test_an_unknown_code_falls_back_to_112():
    assert region_for("ZZ").emergency == "112"

"""Emergency and crisis numbers by region: shown on every recommendation."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str
    crisis: str  # where to turn with thoughts of self-harm
    urgent_line: str  # non-emergency medical advice line


REGIONS: tuple[Region, ...] = (
    Region("GB", "United Kingdom", "999", "Samaritans on 116 123 (free, 24 hours)", "NHS 111"),
    Region(
        "US",
        "United States",
        "911",
        "the 988 Suicide & Crisis Lifeline (call or text 988)",
        "your doctor's line",
    ),
    Region(
        "CA", "Canada", "911", "9-8-8 Suicide Crisis Helpline (call or text 988)", "811 (in most provinces)"
    ),
    Region("EU", "European Union", "112", "your national crisis line, or 112", "your doctor's line"),
    Region("IE", "Ireland", "112 or 999", "Samaritans on 116 123", "your GP or out-of-hours service"),
    Region("AU", "Australia", "000", "Lifeline on 13 11 14", "healthdirect on 1800 022 222"),
    Region("NZ", "New Zealand", "111", "1737 (call or text)", "Healthline on 0800 611 116"),
    Region("IN", "India", "112", "Tele-MANAS on 14416", "your doctor's line"),
)
DEFAULT_REGION = "EU"


def region_for(code: str | None) -> Region:
    """Return the region with `code`, or the default (112 works across the EU and on most mobiles)."""
    by_code = {region.code: region for region in REGIONS}
    return by_code.get((code or "").upper(), by_code[DEFAULT_REGION])

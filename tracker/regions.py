"""Emergency and crisis numbers by region: shown on every recommendation."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str
    crisis: str  # where to turn with thoughts of self-harm: always a number to call
    urgent_line: str  # non-emergency medical advice line
    source: str  # where the crisis number comes from, to check it again


REGIONS: tuple[Region, ...] = (
    Region(
        "GB", "United Kingdom", "999", "Samaritans on 116 123 (free, 24 hours)", "NHS 111",
        "https://www.samaritans.org/how-we-can-help/contact-samaritan/",
    ),
    Region(
        "US", "United States", "911", "the 988 Suicide & Crisis Lifeline (call or text 988)",
        "your doctor's line", "https://988lifeline.org/",
    ),
    Region(
        "CA", "Canada", "911", "9-8-8 Suicide Crisis Helpline (call or text 988)", "811 (in most provinces)",
        "https://988.ca/",
    ),
    Region(
        "EU", "European Union", "112",
        "the emotional support line 116 123 (in the countries that run it), or 112",
        "your doctor's line",
        "https://digital-strategy.ec.europa.eu/en/policies/116-helplines (EU-wide 116 numbers, "
        "Commission Decision 2007/116/EC)",
    ),
    Region(
        "IE", "Ireland", "112 or 999", "Samaritans on 116 123", "your GP or out-of-hours service",
        "https://www.samaritans.ie/",
    ),
    Region(
        "AU", "Australia", "000", "Lifeline on 13 11 14", "healthdirect on 1800 022 222",
        "https://www.lifeline.org.au/",
    ),
    Region(
        "NZ", "New Zealand", "111", "1737 (call or text)", "Healthline on 0800 611 116", "https://1737.org.nz/"
    ),
    Region(
        "IN", "India", "112", "Tele-MANAS on 14416", "your doctor's line", "https://telemanas.mohfw.gov.in/"
    ),
)  # fmt: skip
DEFAULT_REGION = "EU"


def region_for(code: str | None) -> Region:
    """Return the region with `code`, or the default (112 works across the EU and on most mobiles)."""
    by_code = {region.code: region for region in REGIONS}
    return by_code.get((code or "").upper(), by_code[DEFAULT_REGION])

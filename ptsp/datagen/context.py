"""What every generator shares: the seed's random source, the time range and the
catalogue's services weighted by their published volumes."""

import bisect
import json
import random
import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from agencies.catalogue_loader import CATALOGUE_PATH
from agencies.models import Service

# Working days a year (Mon-Fri less about 16 national holidays and cuti bersama):
# turns the catalogue's "per hari" volumes into yearly ones.
WORKING_DAYS_PER_YEAR = 245
_YEAR = re.compile(r"^(19|20)\d\d$")
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")
_RANGE = re.compile(r"(\d+)\s*[\u2013-]\s*(\d+)")


def annual_volume(note: str) -> float | None:
    """Applications a year implied by a catalogue ``volume_note``, or ``None``.

    The notes are Indonesian prose (catalogue ``services[].volume_note``):
    ``"2025: 1.641 pemohon PBG"`` gives 1,641; a daily figure (``"per hari"``,
    ``"/hari"``) is multiplied by ``WORKING_DAYS_PER_YEAR``; a range
    (``"70-110"``, hyphen or en dash) counts as its middle; ``">100"`` as 100.
    Years (``2025``) are not volumes; ``"1.641"`` is Indonesian for 1641.
    """
    text = note.lower()
    daily = "per hari" in text or "/hari" in text
    span = _RANGE.search(text)
    if span is not None and not _YEAR.match(span.group(1)):
        value = (int(span.group(1)) + int(span.group(2))) / 2
    else:
        numbers = [
            int(token.replace(".", ""))
            for token in _NUMBER.findall(text)
            if not _YEAR.match(token)
        ]
        if not numbers:
            return None
        value = numbers[0]
    return value * WORKING_DAYS_PER_YEAR if daily else float(value)


@dataclass(frozen=True)
class WeightedServices:
    """Services with weights proportional to their yearly volume.

    A service without a volume note weighs the median of those with one: the
    catalogue publishes figures for a few services only (see its README).
    ``pick(rng)`` draws one in O(log n).
    """

    services: list[Service]
    weights: list[float]
    cumulative: list[float] = field(repr=False)

    @classmethod
    def from_catalogue(cls) -> "WeightedServices":
        services = list(
            Service.objects.filter(current_version__isnull=False)
            .select_related("agency", "current_version")
            .order_by("code")
        )
        if not services:
            raise LookupError(
                "The catalogue is empty: run `manage.py load_catalogue` first."
            )
        volumes = [annual_volume(s.current_version.volume_note) for s in services]
        known = [v for v in volumes if v]
        default = statistics.median(known) if known else 1.0
        weights = [v or default for v in volumes]
        return cls(services, weights, list(accumulate(weights)))

    def pick(self, rng: random.Random) -> Service:
        point = rng.random() * self.cumulative[-1]
        return self.services[bisect.bisect_right(self.cumulative, point)]

    def share(self, service: Service) -> float:
        """``service``'s fraction of all applications."""
        return self.weights[self.services.index(service)] / self.cumulative[-1]


def city_population() -> int:
    """Residents of Kota Tangerang (catalogue ``volumes``, Kepmendagri 2025)."""
    data = json.loads(CATALOGUE_PATH.read_text())
    for item in data.get("volumes", []):
        if item.get("metric", "").startswith("Jumlah penduduk"):
            return int(item["value"])
    return 2_000_000


@dataclass
class GenerationContext:
    """Shared by the generators of one ``generate_data`` run.

    ``since``/``until`` bound generated times (aware UTC; two years by
    default); ``rng`` is seeded from ``seed`` and each generator should derive
    its own (``context.rng_for("audit")``) so that adding a generator does not
    change the others' output. ``progress`` shows a progress bar when true.
    """

    seed: int
    since: datetime
    until: datetime
    using: str = "default"
    progress: bool = True
    _weights: WeightedServices | None = field(default=None, repr=False)

    @property
    def weights(self) -> WeightedServices:
        if self._weights is None:
            self._weights = WeightedServices.from_catalogue()
        return self._weights

    @property
    def span(self) -> timedelta:
        return self.until - self.since

    def rng_for(self, name: str) -> random.Random:
        """A random source of its own for generator ``name``, fixed by the seed."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311 (data, not secrets)

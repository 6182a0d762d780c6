"""What a once-per-form create service did (elections.services.terms and .nominations)."""

from dataclasses import dataclass


@dataclass
class Submitted:
    """What a create service did; `replayed` when its form had been sent before."""

    made: object | None
    replayed: bool = False

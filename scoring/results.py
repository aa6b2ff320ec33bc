"""Results of scoring one set of answers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScaleScore:
    """One scale's result. `complete` is False when too many items were skipped to score it."""

    name: str
    raw: float | None
    band: str | None
    answered: int
    complete: bool
    meaning: str | None


@dataclass(frozen=True)
class ScoreResult:
    instrument_id: str
    scales: dict[str, ScaleScore] = field(hash=False)

    @property
    def complete(self) -> bool:
        return all(scale.complete for scale in self.scales.values())

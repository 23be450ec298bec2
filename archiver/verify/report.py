"""What a check found: the one `Report` and `Problem` type of objects, references and bundles."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PROBLEMS = 1000  # a hostile bundle could name millions: the rest are counted


@dataclass
class Problem:
    digest: str | None
    problem: str
    affects: list[str] = field(default_factory=list)
    serious: bool = True  # an orphan is reported but is not damage

    def to_dict(self) -> dict[str, object]:
        return {"digest": self.digest, "problem": self.problem, "affects": self.affects}


@dataclass
class Report:
    checked: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    queued: int = 0  # posts a run has queued and not captured yet: not a problem
    warnings: list[str] = field(default_factory=list)  # e.g. verification times not recorded
    stamps: list[str] = field(default_factory=list)  # each trusted timestamp that holds
    dropped: int = 0  # problems beyond MAX_PROBLEMS, counted by `finish`
    unchecked: list[str] = field(default_factory=list)  # a bundle's files no manifest lists
    unit: str = "blobs"  # what `checked` counts: blobs, or a bundle's files

    @property
    def ok(self) -> bool:
        return not any(p.serious for p in self.problems)

    def add(
        self, problem: str, digest: str | None = None, affects: list[str] | None = None
    ) -> None:
        """One more serious problem (counted only, beyond MAX_PROBLEMS)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(digest, problem, affects or []))
        else:
            self.dropped += 1

    def finish(self, seconds: float) -> None:
        if self.dropped:
            self.problems.append(Problem(None, f"… and {self.dropped:,} more problems"))
            self.dropped = 0
        self.seconds = seconds

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "problems": [p.to_dict() for p in self.problems],
            "repaired": self.repaired,
            "queued": self.queued,
            "warnings": self.warnings,
            "unchecked": self.unchecked,
            "timestamps": self.stamps,
        }

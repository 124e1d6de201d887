"""Statuses and bands: the thresholds and the words of docs/definitions.md, each rule one function.

A status judges progress against the time of year (``status``, ``status_of_gap``); a band judges
an agency's actual against its own target (``band``, ``Bands``). No data is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- statuses and their thresholds ------------------------------------------------------------

DONE, ON_TRACK, AT_RISK, BEHIND, NO_DATA = "done", "on-track", "at-risk", "behind", "no-data"
#: Every status, best first; the order of the header counts.
STATUSES = (DONE, ON_TRACK, AT_RISK, BEHIND, NO_DATA)
#: A key result at most this many percentage points behind the time of year is on track ...
ON_TRACK_GAP = 10.0
#: ... at most this many points behind is at risk; further behind, it is behind.
AT_RISK_GAP = 25.0
#: The rules in words, for help texts and the README.
STATUS_RULES = (
    ("done", "the actual has reached the target"),
    ("on track", f"at most {ON_TRACK_GAP:g} percentage points below the expected progress"),
    ("at risk", f"{ON_TRACK_GAP:g} to {AT_RISK_GAP:g} points below the expected progress"),
    ("behind", f"more than {AT_RISK_GAP:g} points below it, or the fiscal year is over"),
    ("no data", "no allocated agency has reported a value yet"),
)

# District bands: how BMA's meetings count districts against their own targets.
AT_TARGET, HALF_OR_MORE, BELOW_HALF = "at-target", "half-or-more", "below-half"
NOT_REPORTED = "not-reported"
BANDS = (AT_TARGET, HALF_OR_MORE, BELOW_HALF, NOT_REPORTED)
HALF = 0.5

# Whether an agency has reported for the period (report_state).
REPORTED, STALE, NO_REPORT = "reported", "stale", "none"

#: Numbers this close count as equal (floating-point sums of decimal report values).
EPSILON = 1e-9


# --- rows out ------------------------------------------------------------------------------------


@dataclass
class Bands:
    """How many districts are at their own target, at 50 % of it or more, below, not reported."""

    at_target: int = 0
    half_or_more: int = 0
    below_half: int = 0
    not_reported: int = 0

    def add(self, band: str) -> None:
        """Count one district in ``band``."""
        name = band.replace("-", "_")
        setattr(self, name, getattr(self, name) + 1)

    def to_dict(self) -> dict[str, int]:
        """The four counts by name."""
        return {
            AT_TARGET: self.at_target,
            HALF_OR_MORE: self.half_or_more,
            BELOW_HALF: self.below_half,
            NOT_REPORTED: self.not_reported,
        }


def meets(value: float, target: float, direction: str) -> bool:
    """True if ``value`` is at or past ``target`` in the better direction."""
    if direction == "lower":
        return value <= target + EPSILON
    return value >= target - EPSILON


def agency_progress(actual: float, target: float, direction: str) -> float:
    """An agency's progress toward its own target, 1.0 = reached (agencies have no baseline)."""
    if meets(actual, target, direction):
        return max(1.0, actual / target) if direction == "higher" and target > 0 else 1.0
    if direction == "lower":
        return target / actual if actual > 0 else 0.0
    return actual / target if target > 0 else 0.0


def band(progress: float | None) -> str:
    """The district band of a progress: at target, 50 % or more, below 50 %, not reported."""
    if progress is None:
        return NOT_REPORTED
    if progress >= 1.0 - EPSILON:
        return AT_TARGET
    return HALF_OR_MORE if progress >= HALF - EPSILON else BELOW_HALF


def expected_value(target: float, baseline: float, direction: str, elapsed: float) -> float | None:
    """Expected by now: the value whose progress equals the share of the year gone, i.e. a
    straight line from the baseline on the first day of the fiscal year to the target on its
    last. Lower-is-better with no baseline above the target (progress = target / actual):
    target / elapsed, None on the first day (any value is on track then)."""
    span = target - baseline
    if (direction == "higher" and span > 0) or (direction == "lower" and span < 0):
        return baseline + span * elapsed
    if direction == "lower":
        return target / elapsed if elapsed > 0 else None
    return target * elapsed  # higher with a baseline above the target: progress = actual/target


def status(done_fraction: float | None, elapsed: float) -> str:
    """The status of a progress at a time of year (see STATUS_RULES)."""
    if done_fraction is None:
        return NO_DATA
    if done_fraction >= 1.0 - EPSILON:
        return DONE
    if elapsed >= 1.0:
        return BEHIND
    return status_of_gap((elapsed - done_fraction) * 100)


def status_of_gap(gap: float) -> str:
    """On track, at risk or behind for a gap in percentage points (see STATUS_RULES)."""
    if gap <= ON_TRACK_GAP + EPSILON:
        return ON_TRACK
    return AT_RISK if gap <= AT_RISK_GAP + EPSILON else BEHIND

"""What the invoicing run reads from bookings and attendance.

Contract between services (which owns bookings and attendance) and billing (which owns
the monthly run):

    month_facts(year, month, *, activity_ids=None) -> iterable of BillableFact

one fact per child, activity and occurrence of that month that may be charged or
credited, with its status after attendance. ``key`` is stable across re-runs, so the
run can refuse to invoice the same occurrence twice. ``booked_by_id`` is the user who
made (or last changed) the booking, so that separated parents who are both payers are
each invoiced for their own bookings (None: an agent's booking, or an unbooked presence).
"""

from dataclasses import dataclass
from datetime import date

BOOKED_PRESENT = "booked_present"
BOOKED_ABSENT = "booked_absent"  # charged unless justified
BOOKED_ABSENT_JUSTIFIED = "booked_absent_justified"  # medical certificate accepted: not charged
BOOKED_NOT_RECORDED = "booked_not_recorded"  # no attendance taken: charged as booked
PRESENT_UNBOOKED = "present_unbooked"  # surcharge
CANCELLED_IN_TIME = "cancelled_in_time"  # not charged
CANCELLED_LATE = "cancelled_late"  # charged
STATUSES = (
    BOOKED_PRESENT,
    BOOKED_ABSENT,
    BOOKED_ABSENT_JUSTIFIED,
    BOOKED_NOT_RECORDED,
    PRESENT_UNBOOKED,
    CANCELLED_IN_TIME,
    CANCELLED_LATE,
)


@dataclass(frozen=True)
class BillableFact:
    key: str  # e.g. "booking:1234" or "attendance:987": unique and stable
    household_id: int
    child_id: int
    activity_id: int
    day: date
    status: str
    booked_late: bool = False
    booked_by_id: int | None = None


def month_facts(year, month, *, activity_ids=None):
    """The month's billable facts (issue 5 fills this in from bookings and attendance)."""
    return []

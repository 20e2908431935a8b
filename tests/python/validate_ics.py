"""Parse a calendar written by `vetted calendar` with the `icalendar`
package (an independent RFC 5545 reader) and check what a subscribing mail
client relies on: one VCALENDAR, the expected number of VEVENTs, each with a
unique UID, a DTSTAMP, an all-day DTSTART lasting one day (no DTEND: icalendar's `Event.end`
applies RFC 5545's rule, the day after), and a SUMMARY.

    python validate_ics.py FILE.ics EXPECTED_EVENTS
"""

import datetime
import sys

import icalendar


def main() -> int:
    path, expected = sys.argv[1], int(sys.argv[2])
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    assert cal.name == "VCALENDAR", cal.name
    assert str(cal["VERSION"]) == "2.0"
    events = list(cal.walk("VEVENT"))
    assert len(events) == expected, (len(events), expected)
    uids = set()
    for e in events:
        uid = str(e["UID"])
        assert uid not in uids, f"duplicate UID {uid}"
        uids.add(uid)
        assert "DTSTAMP" in e
        assert "DTEND" not in e and "DURATION" not in e
        start, end = e.start, e.end
        assert type(start) is datetime.date and type(end) is datetime.date, (start, end)
        assert end - start == datetime.timedelta(days=1), (start, end)
        assert str(e["SUMMARY"]).strip(), "empty summary"
    print(f"{path}: {len(events)} events, all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())

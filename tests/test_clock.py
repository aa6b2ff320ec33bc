"""The code reads the time from one clock, so tests can control it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_CLOCK = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|\btime\.time\(|\butcnow\(")
THE_CLOCK = {Path("db/models.py"), Path("console/core/clock.py")}


def test_only_the_clock_reads_the_time():
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("console", "db", "scoring", "app_pages")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.relative_to(ROOT) not in THE_CLOCK
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if REAL_CLOCK.search(line)
    ]
    assert readers == [], "take the time from console.core.clock: " + ", ".join(readers)

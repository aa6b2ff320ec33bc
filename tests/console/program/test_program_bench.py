"""The statewide benchmark runs end to end at a tiny scale and prints its table."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_command_prints_the_table_for_every_landing_page(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "console", "bench", "--teams", "10", "--peers", "30", "--years", "1", "--runs", "1",
         "--no-postgres"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("| sqlite")]
    pages = {line.split("|")[3].strip() for line in table}
    assert {"lead/overview.py", "lead/workload.py", "lead/coverage.py", "lead/reports.py"} <= pages
    assert {line.split("|")[2].strip() for line in table} == {"peer", "supervisor", "lead", "admin"}
    assert "Peak RSS:" in result.stdout


def test_bench_refuses_a_scale_without_a_whole_tenth():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_statewide.py"), "--teams", "15"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "multiples of 10" in result.stderr

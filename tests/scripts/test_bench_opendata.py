"""The open-data benchmark still runs (on a small corpus), so its published figure can be reproduced."""

from __future__ import annotations

import subprocess
import sys

from helpers.records import ROOT


def test_benchmark_runs_on_a_small_corpus():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_opendata.py"), "--records", "24", "--runs", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "write_open_data, 24 records:" in completed.stdout
    assert "into an empty folder:   median" in completed.stdout

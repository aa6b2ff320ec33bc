"""Scoring throughput: how many stored proqol-style-30 assessments `scoring.score` handles per second.

Answers are generated deterministically in batches, with 1% of answers left
blank by default (about a quarter of assessments then have a skipped item, so
some scales are prorated and a few incomplete); only the calls to `score` are
timed. Run from the project root:

    python benchmarks/bench_scoring.py                  # 1,000,000 assessments
    python benchmarks/bench_scoring.py --count 100000 --skip-rate 0.03
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scoring  # noqa: E402

BATCH = 50_000
TARGET_PER_SECOND = 100_000


def stored_answers(rng: random.Random, count: int, *, items: int, skip_rate: float) -> list[dict[int, int | None]]:
    return [
        {number: (None if rng.random() < skip_rate else rng.randint(1, 5)) for number in range(1, items + 1)}
        for _ in range(count)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="assessments to score (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=2010, help="seed for the generated answers")
    parser.add_argument("--skip-rate", type=float, default=0.01, help="share of answers left blank (default 0.01)")
    args = parser.parse_args()

    instrument = scoring.load_instrument("proqol-style-30")
    rng = random.Random(args.seed)
    score = scoring.score
    elapsed = 0.0
    scored = incomplete = 0
    while scored < args.count:
        batch = stored_answers(
            rng, min(BATCH, args.count - scored), items=len(instrument.items), skip_rate=args.skip_rate
        )
        started = time.perf_counter()
        results = [score(instrument, answers) for answers in batch]
        elapsed += time.perf_counter() - started
        scored += len(batch)
        incomplete += sum(not result.complete for result in results)

    rate = scored / elapsed
    met = rate >= TARGET_PER_SECOND
    print(f"scored {scored:,} assessments in {elapsed:.2f} s on one core: {rate:,.0f} assessments/s")
    print(f"{incomplete:,} had an incomplete scale; target {TARGET_PER_SECOND:,}/s {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

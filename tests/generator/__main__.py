"""python -m tests.generator OUT [--count N] [--seed S] [--clean] [--family tuned|holdout]: write an evaluation set."""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.generator.packets import write_eval_set, write_sample_set


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.generator")
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2000)
    parser.add_argument("--clean", action="store_true", help="no injected defects")
    parser.add_argument("--family", choices=["tuned", "holdout"], default="tuned",
                        help="layout family: the random layouts extraction is tuned on, or the held-out grid forms")
    args = parser.parse_args()
    if args.clean:
        paths = write_sample_set(args.out, count=args.count, seed=args.seed)
    else:
        paths = write_eval_set(args.out, count=args.count, seed=args.seed, family=args.family)
    print(f"{len(paths)} packets in {args.out}")


if __name__ == "__main__":
    main()

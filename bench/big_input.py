"""A big JSONL input for the batch memory check: a dataset's records repeated, with unique ids, up to a size.

    python bench/big_input.py ../shared/data/cnndm/validation.jsonl.gz /tmp/big.jsonl --gib 10

Written to a path you name (outside the repository); the records keep their order within each pass, so
an output can be checked line by line against the input's ids.
"""

from __future__ import annotations

import argparse
import gzip
import json


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--gib", type=float, default=10.0)
    args = ap.parse_args()
    with (gzip.open if args.data.endswith(".gz") else open)(args.data, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    target, size, n, rep = int(args.gib * 2**30), 0, 0, 0
    with open(args.out, "w", encoding="utf-8") as out:
        while size < target:
            for record in records:
                line = json.dumps({**record, "id": f"{record['id']}-{rep}"}) + "\n"
                out.write(line)
                size += len(line.encode())
                n += 1
                if size >= target:
                    break
            rep += 1
    print(f"{n:,} records, {size:,} bytes -> {args.out}")


if __name__ == "__main__":
    main()

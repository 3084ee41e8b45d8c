"""Writes a benchmark input of COUNT samples by repeating a JSONL file with unique ids.

usage: python3 bench/repeat_workload.py SOURCE.jsonl DESTINATION.jsonl COUNT

Record i of the output is record i % n of the source (n records), its unique_id
given the suffix "#k" (k = i // n, the pass over the source), so every id is distinct.
Only the unique_id value is rewritten; every other byte of the record is kept, so
the output parses exactly like the source.
"""

import json
import sys

ID_KEY = '"unique_id": '


def with_suffix(line, record, suffix):
    """`line` with its unique_id value followed by `suffix` (re-serialised if the spacing is unusual)."""
    old = json.dumps(record["unique_id"], ensure_ascii=False)
    pos = line.find(ID_KEY + old)
    new_id = f"{record['unique_id']}{suffix}"
    if pos < 0:
        record["unique_id"] = new_id
        return json.dumps(record, ensure_ascii=False)
    new = json.dumps(new_id, ensure_ascii=False)
    return line[:pos] + ID_KEY + new + line[pos + len(ID_KEY) + len(old):]


def main(source, destination, count):
    with open(source, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    if not lines:
        sys.exit(f"repeat_workload.py: {source} has no records")
    with open(destination, "w", encoding="utf-8") as out:
        for i in range(count):
            line = lines[i % len(lines)]
            out.write(with_suffix(line, json.loads(line), f"#{i // len(lines)}") + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))

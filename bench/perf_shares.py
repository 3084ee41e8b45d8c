#!/usr/bin/env python3
"""Shares of CPU samples per function in a `perf script` dump with call graphs.

usage: perf record -e cpu-clock -F 1999 --call-graph dwarf,32768 -o perf.data -- COMMAND
       perf script -i perf.data > perf.txt
       bench/perf_shares.py perf.txt ROOT_REGEX [N] [--callers TARGET_REGEX]

Only the samples whose stack has a frame matching ROOT_REGEX count (the outermost
such frame is the root), e.g. 'PointwiseReward::Apply' to look at the scoring alone
inside BM_Apply/<reward>. ROOT_REGEX 'ALL' takes every sample whole.

Prints, as a share of the samples under the root:
  inclusive  samples with the function anywhere between the leaf and the root
  self       samples with the function as the leaf
With --callers TARGET_REGEX it prints instead who calls the innermost frame that
matches TARGET_REGEX (three callers deep), e.g. to split memcpy by caller.
Inlined functions have no frame of their own: their time is their caller's.
"""
import collections
import re
import sys


def stacks(path):
    """Yields each sample's frames, leaf first, as function names."""
    stack = []
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if stack:
                    yield stack
                stack = []
                continue
            if not line.startswith(("\t", " ")):  # sample header
                stack = []
                continue
            parts = line.strip().split(" ", 1)
            if len(parts) < 2:
                continue
            symbol = parts[1]
            dso = symbol.rfind(" (")
            if dso >= 0:
                symbol = symbol[:dso]
            stack.append(re.sub(r"\+0x[0-9a-f]+$", "", symbol))
    if stack:
        yield stack


def main():
    args = sys.argv[1:]
    callers = None
    if "--callers" in args:
        i = args.index("--callers")
        callers = re.compile(args[i + 1])
        del args[i:i + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    path, root_text = args[0], args[1]
    top = int(args[2]) if len(args) > 2 else 30
    root = re.compile(root_text)

    total = under_root = 0
    inclusive, self_time, called_by = collections.Counter(), collections.Counter(), collections.Counter()
    for stack in stacks(path):
        total += 1
        if root_text == "ALL":
            end = len(stack) - 1
        else:
            matches = [i for i, frame in enumerate(stack) if root.search(frame)]
            if not matches:
                continue
            end = matches[-1]
        under_root += 1
        frames = stack[:end + 1]
        self_time[frames[0]] += 1
        for frame in set(frames):
            inclusive[frame] += 1
        if callers:
            for i, frame in enumerate(frames):
                if callers.search(frame):
                    called_by[" <- ".join(f[:70] for f in frames[i + 1:i + 4]) or "(root)"] += 1
                    break

    if under_root == 0:
        sys.exit(f"no sample under {root_text!r} (of {total})")
    print(f"{total} samples, {under_root} under the root ({100 * under_root / total:.1f}%)")

    def show(counter):
        for name, count in counter.most_common(top):
            print(f"{100 * count / under_root:6.1f}%  {name if len(name) <= 160 else name[:157] + '...'}")

    if callers:
        print(f"-- callers of {callers.pattern}")
        show(called_by)
        return
    print("-- inclusive")
    show(inclusive)
    print("-- self")
    show(self_time)


if __name__ == "__main__":
    main()

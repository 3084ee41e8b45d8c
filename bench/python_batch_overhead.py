"""One Python-side run of the batch-overhead benchmark (driven by python_batch_overhead.sh).

usage: python3 bench/python_batch_overhead.py [--json-text] INPUT.jsonl REWARD WORKERS [KEY=VALUE ...]

Reads INPUT (one DataSample per line) into DataSample objects, builds the reward with
RewardRegistry.get(REWARD)(**params), then times exactly one call:

    reward.evaluate_batch(samples, max_workers=WORKERS)

--json-text times the route evaluate_batch took before python/src/model_json.cc, for
comparison: model_dump_json() per sample, _rmg's text batch call, model_validate_json()
per result.

Prints one line "<load s> <batch wall s> <batch CPU s> <samples>": the time to read
and build the DataSamples (not part of the comparison), and the wall and process CPU
time of the batch call (all threads), from time.perf_counter and time.process_time.
Exits non-zero unless the call returns one scored DataSample per input, in order.
"""

import sys
import time

from rm_gallery.core.data.schema import DataSample
from rm_gallery.core.reward.registry import RewardRegistry


def parse_params(pairs):
    """KEY=VALUE strings as keyword arguments; values stay strings, as `rmg eval -p` passes them."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            sys.exit(f"python_batch_overhead.py: parameter {pair!r} is not KEY=VALUE")
        params[key] = value
    return params


def batch_via_json_text(reward, samples, workers):
    """The former evaluate_batch: JSON text made and read in Python."""
    texts = [s.model_dump_json() for s in samples]
    return [DataSample.model_validate_json(t) for t in reward._native.evaluate_batch(texts, workers)]


def main(path, reward_name, workers, params, json_text=False):
    start = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        samples = [DataSample.model_validate_json(line) for line in f if line.strip()]
    load_seconds = time.perf_counter() - start
    reward = RewardRegistry.get(reward_name)(**params)

    wall_start, cpu_start = time.perf_counter(), time.process_time()
    if json_text:
        results = batch_via_json_text(reward, samples, workers)
    else:
        results = reward.evaluate_batch(samples, max_workers=workers)
    wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start

    if len(results) != len(samples) or not all(isinstance(r, DataSample) for r in results):
        sys.exit("python_batch_overhead.py: evaluate_batch did not return one DataSample per sample")
    if any(r.unique_id != s.unique_id for r, s in zip(results, samples)):
        sys.exit("python_batch_overhead.py: evaluate_batch changed the order of the samples")
    if any(out.answer.reward.details == [] for r in results for out in r.output):
        sys.exit("python_batch_overhead.py: an output came back without reward details")
    print(f"{load_seconds:.3f} {wall:.3f} {cpu:.3f} {len(samples)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    json_text = bool(args) and args[0] == "--json-text"
    args = args[1:] if json_text else args
    if len(args) < 3:
        sys.exit(__doc__)
    main(args[0], args[1], int(args[2]), parse_params(args[3:]), json_text)

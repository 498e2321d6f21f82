# Allocation-heavy python3, run with PYTHONMALLOC=malloc so that every
# object is a malloc() of the allocator under test: dicts of lists of
# tuples, strings built and split, JSON round trips, sorts, a big set.
# usage: python3 py_churn.py [SCALE]; prints a checksum line.
import json
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
n = max(1000, int(70000 * scale))
check = 0

# A table of records, as parsed data is held.
recs = {f"key{i:07d}": [(i, str(i * 7), i % 13) for _ in range(3)] for i in range(n)}
check += sum(len(v) for v in recs.values())

# Strings built and taken apart.
words = " ".join(f"w{i % 997}x{i % 31}" for i in range(n * 2)).split()
check += len(set(words)) + sum(map(len, words[::7]))

# JSON round trips in chunks: many short-lived dicts and lists.
for start in range(0, n, 20000):
    chunk = {k: recs[k] for k in list(recs)[start:start + 20000]}
    back = json.loads(json.dumps(chunk))
    check += len(back) + sum(v[0][0] for v in back.values())
    del chunk, back

# Sorting and dropping half the records, then building new ones.
keys = sorted(recs, key=lambda k: (recs[k][0][2], k))
for k in keys[::2]:
    del recs[k]
for i in range(n // 2):
    recs[f"new{i}"] = {"a": [i] * 4, "b": str(i)}
check += len(recs) + len(keys)

# A set of tuples: many small allocations, hashed.
s = {(i % 1000, i // 1000, str(i % 5000)) for i in range(n * 2)}
check += len(s)
print("python3 checksum", check, "records", len(recs))

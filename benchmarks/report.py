#!/usr/bin/env python3
"""Renders benchmarks/RESULTS.md from the JMH JSON results in benchmarks/results/.

Usage: report.py [results-dir] [output.md]   (run.sh calls it; standard library only)

Every class found in the JSON is rendered, whatever its package. Files are named
<class>.r<round>.json (class relative to io.tracefold.benchmarks, e.g. axon.RehydrationBenchmark);
the rounds of one class are merged: samples of all forks are pooled and the score and its 99.9%
confidence error recomputed as JMH does (mean, Student t, per-iteration samples).
"""

import glob
import json
import math
import os
import re
import statistics
import sys
from datetime import datetime, timezone
from functools import lru_cache

PACKAGE = "io.tracefold.benchmarks."
ALLOC = "gc.alloc.rate.norm"

# The one place that says what each class is compared against, keyed by class simple name: every
# other method of the class gets the ratio subject/comparator (same params). A class not listed is
# rendered without ratios. A/A pairs need no declaration: method "xAA" is paired with method "x".
COMPARATORS = {
    "TraceparentParseBenchmark": "otelPropagator",
    "LinkCollectionBenchmark": "baseline",
    "LinkEmissionBenchmark": "naive",
}

# Targets, checked on the point estimate. metric: "score" (in the benchmark's unit), "ratio" (to
# the class's comparator) or "alloc" (B/op). limit None: reported, not judged. "close" says what
# would close the gap when the target is missed.
TARGETS = [
    {
        "class": "TraceparentParseBenchmark", "method": "tracefoldParse", "metric": "ratio",
        "limit": 0.2, "what": "at least 5x faster than otelPropagator (ratio <= 0.2)",
        "close": "The parser reads the 55 chars twice (isLowerHex, then hexLong) through "
                 "CharSequence.charAt with a table lookup per char: decode and validate in one "
                 "pass (OR the nibble values, test the sign once per field), and for a String "
                 "read the chars once (String.getChars into a reused char[55], or a Latin-1 "
                 "byte path) so the per-char bounds checks go.",
    },
    {
        "class": "TraceparentParseBenchmark", "method": "tracefoldParse", "metric": "alloc",
        "limit": 0.5, "what": "0 B/op",
        "close": "Find the allocation with -prof gc plus a JFR allocation profile.",
    },
    {
        "class": "LinkCollectionBenchmark", "method": "collectRepeated", "metric": "score",
        "limit": 25.0, "what": "<= 25 ns/event",
        "close": "Parsing dominates (see TraceparentParseBenchmark). For repeats, remember the "
                 "last offered traceparent value in LinkCollector.offer and skip parse and "
                 "lookup when the next one is the same instance or equal (String.equals is "
                 "vectorised); plus the one-pass parser above.",
    },
    {
        "class": "LinkCollectionBenchmark", "method": "collectDistinctReused", "metric": "score",
        "limit": 25.0, "what": "<= 25 ns/event",
        "close": "Parsing dominates (see TraceparentParseBenchmark): a one-pass parser; the "
                 "probe loop and the nine column writes per new context come second.",
    },
    {
        "class": "LinkCollectionBenchmark", "method": "collectRepeated", "metric": "alloc",
        "limit": 0.5, "what": "0 B/op for repeated contexts",
        "close": "Find the allocation with a JFR allocation profile.",
    },
    {
        "class": "LinkCollectionBenchmark", "method": "collectDistinctReused", "metric": "alloc",
        "limit": 0.5, "what": "0 B/op with a reused collector",
        "close": "Find the allocation with a JFR allocation profile.",
    },
    {
        "class": "LinkCollectionBenchmark", "method": "collectDistinctFresh", "metric": "alloc",
        "limit": None, "what": "bounded B per distinct context (fresh collector, growth included)",
        "close": "",
    },
]

# Run-time notes shown under a class's table (why a number is what it is), keyed by simple name.
NOTES = {
    "LinkCollectionBenchmark": "Scores and B/op are per event (`@OperationsPerInvocation(1024)`): "
        "B/op of `collectDistinctFresh` is the amortised footprint of one distinct context, array "
        "growth from 16 to 1024 included.",
    "LinkEmissionBenchmark": "Per reconstruction of n contributors. `naive` adds bare links and, "
        "above 128, has the SDK drop the rest; `tracefold` adds three attributes per link and "
        "lineage spans above 128, so every contributor stays reachable. `baseline` does not depend "
        "on n, so it has no ratio.",
}


@lru_cache(maxsize=None)
def t_quantile(p, df):
    """Returns the p-quantile of Student's t with df degrees of freedom (bisection on the CDF)."""
    if df < 1:
        return float("nan")
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)

    def pdf(x):
        return math.exp(log_norm - (df + 1) / 2 * math.log1p(x * x / df))

    def cdf(x):  # x >= 0, composite Simpson
        steps = 4000
        h = x / steps
        total = pdf(0) + pdf(x)
        for i in range(1, steps):
            total += (4 if i % 2 else 2) * pdf(i * h)
        return 0.5 + total * h / 3

    lo, hi = 0.0, 1.0
    while cdf(hi) < p:
        lo, hi = hi, hi * 2
    for _ in range(50):
        mid = (lo + hi) / 2
        if cdf(mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


class Stat:
    """Mean and 99.9% confidence error of pooled per-iteration samples."""

    def __init__(self, samples):
        self.samples = samples
        self.n = len(samples)
        self.mean = statistics.fmean(samples) if samples else float("nan")
        if self.n > 1:
            sd = statistics.stdev(samples)
            self.error = t_quantile(1 - 0.001 / 2, self.n - 1) * sd / math.sqrt(self.n)
        else:
            self.error = float("nan")


class Row:
    def __init__(self, cls, method, params, mode, unit):
        self.cls, self.method, self.params, self.mode, self.unit = cls, method, params, mode, unit
        self.score_forks = []
        self.alloc_forks = []
        self.jvm = {}

    def score(self):
        return Stat([x for fork in self.score_forks for x in fork])

    def alloc(self):
        samples = [x for fork in self.alloc_forks for x in fork]
        return Stat(samples) if samples else None


def load(results_dir):
    """Returns {class stem: {(method, params): Row}} and {class stem: [file paths]}."""
    classes, files = {}, {}
    for path in sorted(glob.glob(os.path.join(results_dir, "*.json"))):
        match = re.match(r"(.+)\.r(\d+)\.json$", os.path.basename(path))
        if not match:
            continue
        with open(path, encoding="utf-8") as f:
            try:
                entries = json.load(f)
            except json.JSONDecodeError:
                print(f"skipping unreadable {path}", file=sys.stderr)
                continue
        for entry in entries:
            name = entry["benchmark"]
            cls, method = name.rsplit(".", 1)
            stem = cls[len(PACKAGE):] if cls.startswith(PACKAGE) else cls
            params = tuple(sorted((entry.get("params") or {}).items()))
            rows = classes.setdefault(stem, {})
            files.setdefault(stem, set()).add(path)
            key = (method, params)
            primary = entry["primaryMetric"]
            row = rows.get(key)
            if row is None:
                row = rows[key] = Row(stem, method, dict(params), entry["mode"], primary["scoreUnit"])
            row.score_forks.extend(primary.get("rawData") or [])
            alloc = (entry.get("secondaryMetrics") or {}).get(ALLOC)
            if alloc:
                row.alloc_forks.extend(alloc.get("rawData") or [])
            row.jvm = {k: entry.get(k) for k in ("jdkVersion", "vmName", "vmVersion", "jvmArgs", "jmhVersion")}
    return classes, {k: sorted(v) for k, v in files.items()}


def simple_name(stem):
    return stem.rsplit(".", 1)[-1]


def fmt(x, digits=3):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - magnitude)
    return f"{x:,.{decimals}f}"


def fmt_alloc(stat):
    if stat is None:
        return "—"
    if abs(stat.mean) < 0.5:
        return "0"
    return fmt(stat.mean, 4) if stat.mean < 1000 else f"{stat.mean:,.0f}"


def fmt_params(params):
    return ", ".join(f"{k}={v}" for k, v in params.items()) or ""


def param_sort_key(params):
    return tuple((k, (0, float(v), "") if re.fullmatch(r"-?\d+(\.\d+)?", v) else (1, 0.0, v))
                 for k, v in sorted(params.items()))


def matching(rows, method, params):
    """Returns the row of method whose params are a subset of params, or None."""
    for (m, p), row in rows.items():
        if m == method and all(params.get(k) == v for k, v in p):
            return row
    return None


def ratio(subject, comparator):
    """Returns (ratio, error) of subject/comparator means, errors propagated in quadrature."""
    a, b = subject.score(), comparator.score()
    if not b.mean:
        return float("nan"), float("nan")
    r = a.mean / b.mean
    relative = [s.error / s.mean for s in (a, b) if s.mean and not math.isnan(s.error)]
    err = r * math.sqrt(sum(x * x for x in relative)) if len(relative) == 2 else float("nan")
    return r, err


def read_environment(results_dir):
    env = {}
    path = os.path.join(results_dir, "environment.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if ":" in line:
                    key, value = line.split(":", 1)
                    env[key.strip()] = value.strip()
    return env


def mtime(path):
    return datetime.fromtimestamp(os.path.getmtime(path), timezone.utc)


def render_class(stem, rows, paths, out, targets_out):
    simple = simple_name(stem)
    comparator = COMPARATORS.get(simple)
    rounds = len(paths)
    first, last = min(map(mtime, paths)), max(map(mtime, paths))
    out.append(f"## {stem}\n")
    out.append(f"Measured {first:%Y-%m-%d %H:%M}–{last:%H:%M} UTC, {rounds} round(s) merged.\n")

    def order(row):
        return (row.method != "baseline", row.method != comparator, row.method.endswith("AA"),
                row.method, param_sort_key(row.params))

    ordered = sorted(rows.values(), key=order)
    has_params = any(r.params for r in ordered)
    head = ["Benchmark"] + (["Params"] if has_params else []) + ["Score", "± Error (99.9%)", "Unit", "B/op"]
    if comparator:
        head.append(f"Ratio to `{comparator}`")
    head.append("Samples")
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join("---" if i < 1 + has_params else "---:" for i in range(len(head))) + "|")
    for row in ordered:
        s = row.score()
        cells = [f"`{row.method}`"] + ([fmt_params(row.params)] if has_params else [])
        cells += [fmt(s.mean), fmt(s.error, 2), row.unit, fmt_alloc(row.alloc())]
        if comparator:
            comp = matching(rows, comparator, row.params)
            if row.method == comparator:
                cells.append("1 (comparator)")
            elif comp is None or (comp.params and not row.params):
                cells.append("—")
            else:
                r, e = ratio(row, comp)
                cells.append(f"{fmt(r)} ± {fmt(e, 2)}")
        cells.append(f"{s.n} ({len(row.score_forks)} forks)")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")

    floors = []
    for row in ordered:
        if row.method.endswith("AA") and len(row.method) > 2:
            twin = rows.get((row.method[:-2], tuple(sorted(row.params.items()))))
            if twin is not None:
                r, e = ratio(row, twin)
                label = f" ({fmt_params(row.params)})" if row.params else ""
                floors.append(f"`{row.method}`/`{twin.method}`{label} = {fmt(r)} ± {fmt(e, 2)} "
                              f"(deviation {abs(r - 1) * 100:.1f}%)")
    if floors:
        out.append("A/A noise floor (identical code; ratios closer to 1 than this are noise): "
                   + "; ".join(floors) + ".\n")
    else:
        out.append("No A/A pair in this class: no noise floor measured.\n")
    if simple in NOTES:
        out.append(NOTES[simple] + "\n")

    for target in TARGETS:
        if target["class"] != simple:
            continue
        subjects = sorted((r for r in rows.values() if r.method == target["method"]),
                          key=lambda r: param_sort_key(r.params))
        if not subjects:
            continue
        for row in subjects:
            label = f"`{simple}.{row.method}`" + (f" ({fmt_params(row.params)})" if row.params else "")
            if target["metric"] == "ratio":
                comp = matching(rows, comparator, row.params) if comparator else None
                if comp is None:
                    continue
                value, err = ratio(row, comp)
                shown = f"{fmt(value)} ± {fmt(err, 2)} (= {fmt(1 / value)}x faster)" if value else "—"
            elif target["metric"] == "alloc":
                stat = row.alloc()
                if stat is None:
                    continue
                value, err = stat.mean, stat.error
                shown = f"{fmt_alloc(stat)} B/op"
            else:
                stat = row.score()
                value, err = stat.mean, stat.error
                shown = f"{fmt(value)} ± {fmt(err, 2)} {row.unit}"
            if target["limit"] is None:
                status = "reported"
            elif value <= target["limit"]:
                status = "met" if math.isnan(err) or value + err <= target["limit"] else "met (within error)"
            else:
                status = "**missed**" if math.isnan(err) or value - err > target["limit"] else "**missed** (within error)"
            targets_out.append((label, target, shown, status))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    results_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "results")
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "RESULTS.md")
    classes, files = load(results_dir)
    if not classes:
        sys.exit(f"no results (<class>.r<round>.json) in {results_dir}; run benchmarks/run.sh")
    env = read_environment(results_dir)
    jvm = next(iter(next(iter(classes.values())).values())).jvm
    cpu = env.get("cpu") or "unknown"

    out = ["# Benchmark results", "",
           "Generated by `benchmarks/run.sh` (`benchmarks/report.py`); do not edit by hand. "
           "How to read it: `benchmarks/README.md`.", "",
           f"Run conditions: {env.get('run conditions', 'not recorded')}", "",
           "| | |", "|---|---|",
           f"| Date | {env.get('date', 'unknown')} (took {env.get('duration', '?')}) |",
           f"| JDK | {jvm.get('jdkVersion')}, {jvm.get('vmName')} {jvm.get('vmVersion')} |",
           f"| JVM args | `{' '.join(jvm.get('jvmArgs') or []) or '(none)'}` |",
           f"| JMH | {jvm.get('jmhVersion')}, {env.get('profile', 'profile not recorded')} |",
           f"| nproc | {env.get('nproc', 'unknown')} |",
           f"| CPU | {cpu} |",
           f"| Kernel | {env.get('kernel', 'unknown')} |",
           f"| Load average | {env.get('load average (1/5/15 min)', 'unknown')} |",
           f"| Selection | `{env.get('selection', '?')}` |", ""]
    targets = []
    for stem in sorted(classes):
        render_class(stem, classes[stem], files[stem], out, targets)

    if targets:
        out += ["## Targets", "",
                "Checked on the point estimate; \"within error\" means the 99.9% interval crosses "
                "the limit. Targets are not tuned for: a miss says what would close it.", "",
                "| Benchmark | Target | Measured | Status |", "|---|---|---|---|"]
        for label, target, shown, status in targets:
            out.append(f"| {label} | {target['what']} | {shown} | {status} |")
        out.append("")
        missed = {}
        for label, target, shown, status in targets:
            if "missed" in status and target["close"]:
                missed.setdefault(target["close"], []).append(label)
        if missed:
            out += ["What would close the missed targets:", ""]
            for close, labels in missed.items():
                out.append(f"- {', '.join(dict.fromkeys(labels))}: {close}")
            out.append("")

    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip() + "\n")


if __name__ == "__main__":
    main()

"""Draws bench/peers/run.sh's results: throughput per system and scenario, and latency at the fixed offered load.

    python bench/peers/chart.py RESULTS_TSV OUT_PNG "TITLE"

Needs matplotlib (pip install matplotlib, e.g. in ~/.cache/eventhost/venv).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def main(results, out, title):
    with open(results) as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    throughput = [r for r in rows if "@" not in r["scenario"] and number(r["events_per_s"])]
    latency = [r for r in rows if "@" in r["scenario"] and number(r["p99_ms"])]

    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 6.5), gridspec_kw={"width_ratios": [1, 1]})
    labels = [f'{r["scenario"]}: {r["system"]}' for r in throughput]
    values = [number(r["events_per_s"]) for r in throughput]
    colors = [color(r["system"]) for r in throughput]
    left.barh(range(len(values)), values, color=colors)
    left.set_yticks(range(len(values)), labels, fontsize=8)
    left.invert_yaxis()
    left.set_xscale("log")
    left.set_xlabel("events/s, as fast as it goes (log scale)")
    for i, v in enumerate(values):
        left.text(v, i, f" {v:,.0f}", va="center", fontsize=7)

    labels = [f'{r["scenario"]}: {r["system"]}' for r in latency]
    p50 = [number(r["p50_ms"]) for r in latency]
    p99 = [number(r["p99_ms"]) for r in latency]
    right.barh(range(len(p99)), p99, color=[color(r["system"]) for r in latency], alpha=0.35, label="p99")
    right.barh(range(len(p50)), p50, color=[color(r["system"]) for r in latency], label="p50")
    right.set_yticks(range(len(p99)), labels, fontsize=8)
    right.invert_yaxis()
    right.set_xscale("log")
    right.set_xlabel("latency at the fixed offered load, ms (log scale; solid p50, light p99)")
    for i, (a, b) in enumerate(zip(p50, p99)):
        right.text(b, i, f" {a:.1f} / {b:.1f}", va="center", fontsize=7)

    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    figure.savefig(out, dpi=80)


def color(system):
    for prefix, value in (("raw", "#999999"), ("eventhost", "#1f77b4"), ("redpanda", "#d62728"),
                          ("kafka-connect", "#2ca02c")):
        if system.startswith(prefix):
            return value
    return "#444444"


if __name__ == "__main__":
    main(*sys.argv[1:4])

#!/usr/bin/env python3
"""Markdown tables of medians from the raw figures of bench/peers (python3 standard library only).

usage: summarize.py peers RESULTS.tsv [SET=LABEL]...
Each figure is followed by its ratio to the best *peer* (aws, rclone, s3cmd) of the same run, as the median of the
per-run ratios: for wall time, CPU and RSS lower is better (ratio > 1 is worse), for MiB/s higher is better.
"""
import csv
import statistics
import sys

GIB = 1024**3
MIB = 1024**2
PEERS = ("aws", "rclone", "s3cmd")
# figure name -> (function of a row, True when lower is better)
FIGURES = {
    "wall s": (lambda r: r["wall"], True),
    "MiB/s": (lambda r: r["bytes"] / MIB / r["wall"], False),
    "CPU s": (lambda r: r["cpu"], True),
    "CPU s/GiB": (lambda r: r["cpu"] / (r["bytes"] / GIB), True),
    "peak RSS MiB": (lambda r: r["rss"], True),
}


def load(path):
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["wall_s"] == "FAILED":
                rows.append({"set": r["set"], "tool": r["tool"], "run": int(r["run"]), "failed": True})
                continue
            rows.append({"set": r["set"], "tool": r["tool"], "run": int(r["run"]), "bytes": int(r["bytes"]),
                         "wall": float(r["wall_s"]), "cpu": float(r["cpu_s"]), "rss": float(r["rss_mib"]),
                         "load": float(r["load1"]), "failed": False})
    return rows


def fmt(value):
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def peers_tables(rows, labels):
    out = []
    sets = list(dict.fromkeys(r["set"] for r in rows))
    for s in sets:
        srows = [r for r in rows if r["set"] == s and not r["failed"]]
        tools = list(dict.fromkeys(r["tool"] for r in rows if r["set"] == s))
        runs = sorted({r["run"] for r in srows})
        loads = [r["load"] for r in srows]
        out.append(f"### {labels.get(s, s)}\n")
        out.append(f"{len(runs)} runs; load average (1 min) at the start of each upload: median "
                   f"{statistics.median(loads):.1f}, range {min(loads):.1f}–{max(loads):.1f}.\n"
                   if loads else "no successful run\n")
        out.append("| tool | " + " | ".join(FIGURES) + " | failed runs |")
        out.append("|---|" + "---|" * (len(FIGURES) + 1))
        for tool in tools:
            trows = [r for r in srows if r["tool"] == tool]
            failed = sum(1 for r in rows if r["set"] == s and r["tool"] == tool and r["failed"])
            cells = []
            for name, (get, lower_better) in FIGURES.items():
                if not trows:
                    cells.append("–")
                    continue
                median = statistics.median(get(r) for r in trows)
                ratios = []
                for run in runs:
                    mine = [get(r) for r in trows if r["run"] == run]
                    peers = [get(r) for r in srows if r["run"] == run and r["tool"] in PEERS]
                    if mine and peers:
                        best = min(peers) if lower_better else max(peers)
                        ratios.append(mine[0] / best if best else float("nan"))
                cell = fmt(median)
                if ratios:
                    cell += f" ({statistics.median(ratios):.2f}×)"
                cells.append(cell)
            out.append(f"| {tool} | " + " | ".join(cells) + f" | {failed} |")
        out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "peers":
        sys.exit(__doc__)
    labels = dict(a.split("=", 1) for a in sys.argv[3:])
    print("Medians; in parentheses the ratio to the best peer of the same run (wall, CPU, RSS: lower is better, "
          "> 1.00× is worse; MiB/s: higher is better, < 1.00× is worse).\n")
    print(peers_tables(load(sys.argv[2]), labels))


if __name__ == "__main__":
    main()

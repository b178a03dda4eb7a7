#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""report.py - turn the benchmark guest's lines into tables and a plot.

    report.py BENCH.TXT RESULTS.MD PLOT.PNG

BENCH.TXT holds what scripts/bench.d/guest.sh printed (plus the host's
"info" lines). Prints the tables, writes PLOT.PNG (time against N, log-log,
one line per tool) and rewrites the part of RESULTS.MD between the
"<!-- bench:begin -->" and "<!-- bench:end -->" markers, keeping the rest
(the profile notes written by hand).
"""

import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# The tools, in table order, with the command the guest timed.
TOOLS = [
    ("sockmap", "cat /proc/sockmap"),
    ("procnet", "cat /proc/net/{tcp,tcp6,udp,udp6,unix} (floor)"),
    ("copy", "cat of a saved copy on tmpfs"),
    ("ss", "ss -tuxanp"),
    ("lsof", "lsof -nP -i -U"),
]
LABEL = dict(TOOLS)
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def parse(path):
    info, rows, times, mem, checks = {}, {}, defaultdict(dict), {}, {}
    info["ablate"] = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) >= 2 and w[0] == "info":
                info[w[1]] = " ".join(w[2:])
            elif len(w) == 5 and w[0] == "rows":
                rows[int(w[1]), w[2]] = (int(w[3]), int(w[4]))
            elif len(w) >= 5 and w[0] == "time" and w[3] == "us":
                times[int(w[1])].setdefault(w[2], []).extend(int(t) for t in w[4:])
            elif len(w) >= 3 and w[0] == "mem":
                mem[int(w[1])] = dict(kv.split("=") for kv in w[3:])
            elif len(w) >= 2 and w[0] == "ablate":
                info["ablate"][w[1]] = " ".join(w[2:])
            elif len(w) >= 2 and w[0] == "check":
                checks[int(w[1])] = " ".join(w[2:])
    return info, rows, times, mem, checks


def ms(us):
    return f"{us / 1000:.1f}" if us < 100000 else f"{us / 1000:.0f}"


def report(info, rows, times, mem, checks):
    sizes = sorted(n for n in times if n > 0)
    if not sizes:
        sys.exit("report.py: no timings in the input")
    med = {(n, t): statistics.median(v) for n in sizes for t, v in times[n].items()}
    execs = [t for n in sizes for t in times[n].get("exec", [])]
    exec_us = statistics.median(execs) if execs else 0
    out = []

    out.append(f"Measured {info.get('date', '?')} on Debian's {info.get('kernel', '?')} "
               f"under {info.get('qemu', 'QEMU')} with software emulation (TCG, no KVM), "
               f"{info.get('cpus', '?')} vCPUs, {int(info.get('memory_kB', 0)) // 1024} MiB; "
               f"host: {info.get('host_cpu', '?')} ({info.get('host_cpus', '?')} cores). "
               f"Tools: {info.get('ss', 'ss')}, lsof {info.get('lsof', '?')}, busybox cat. "
               f"Guest clocksource {info.get('clocksource', '?')}; kernel.kptr_restrict=1, "
               f"read as root. Whole run: {info.get('runtime_s', '?')} s.")
    out.append("")
    out.append("Median wall time in ms (repetitions in parentheses; the tools take turns, "
               "one run each per round); each N is "
               "N sockets in N/100 processes: per process 2 TCP listeners, 20 "
               "loopback TCP connections with both ends open (half IPv4, half IPv6), "
               "20 bound UDP sockets (half and half) and 19 UNIX socketpairs.")
    out.append("")
    out.append("| N | sockmap rows | " + " | ".join(f"`{LABEL[t]}`" for t, _ in TOOLS) + " |")
    out.append("|---:|---:|" + "---:|" * len(TOOLS))
    for n in sizes:
        cells = [f"{n:,}", f"{rows.get((n, 'sockmap'), (1, 0))[0] - 1:,}"]
        for t, _ in TOOLS:
            v = times[n].get(t)
            cells.append(f"{ms(med[n, t])} ({len(v)})" if v else "-")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")

    out.append("Ratios of medians, and the cost per row: (median − the median of timing "
               f"`true` in the same rounds, i.e. fork+exec, about {exec_us / 1000:.1f} ms) / rows.")
    out.append("")
    out.append("| N | sockmap / floor | floor / sockmap | copy / sockmap | ss / sockmap "
               "| lsof / sockmap | sockmap µs/row | floor µs/row |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_row = {}
    for n in sizes:
        s = med.get((n, "sockmap"))
        r = rows.get((n, "sockmap"), (1, 0))[0] - 1
        # Data lines of the floor: every line but the five headers.
        fr = rows.get((n, "procnet"), (5, 0))[0] - 5
        e = med.get((n, "exec"), exec_us)
        per_row[n] = (s - e) / r if s and r > 0 else None

        def ratio(a, b):
            return f"{med[n, a] / med[n, b]:.2f}×" if (n, a) in med and (n, b) in med else "-"

        floor_row = (med[n, "procnet"] - e) / fr if (n, "procnet") in med and fr > 0 else None
        out.append(f"| {n:,} | {ratio('sockmap', 'procnet')} | {ratio('procnet', 'sockmap')} | "
                   f"{ratio('copy', 'sockmap')} | {ratio('ss', 'sockmap')} | "
                   f"{ratio('lsof', 'sockmap')} | "
                   f"{per_row[n]:.2f} | " + (f"{floor_row:.2f} |" if floor_row else "- |"))
    out.append("")
    if len(sizes) >= 2 and per_row[sizes[-2]] and per_row[sizes[-1]]:
        a, b = sizes[-2], sizes[-1]
        out.append(f"Per-row cost at {b:,} / at {a:,}: "
                   f"{per_row[b] / per_row[a]:.2f}× (1.00× would be perfectly linear).")
        out.append("")

    out.append("Output sizes (lines / bytes of one run): "
               + "; ".join(f"N={n:,}: " + ", ".join(
                   f"{t} {rows[n, t][0]:,}/{rows[n, t][1]:,}" for t, _ in TOOLS
                   if (n, t) in rows) for n in sizes) + ".")
    out.append("")
    if checks:
        out.append("Row check before timing (the farm's socket fds in /proc/PID/fd against its "
                   "rows in /proc/sockmap): " + "; ".join(
                       f"N={n:,}: {c}" for n, c in sorted(checks.items())) + ".")
        out.append("")

    out.extend(ablation_table(info["ablate"], sizes, med))

    if mem:
        out.append("Memory while reading /proc/sockmap once in 4 KiB read()s "
                   "(`memprobe`: /proc/meminfo sampled before open, every 1 MiB read, "
                   "after close). Nothing here may grow with N:")
        out.append("")
        out.append("| N | bytes read | Slab before (kB) | max Slab growth during read (kB) "
                   "| Slab after − before (kB) | max MemAvailable drop (kB) |")
        out.append("|---:|---:|---:|---:|---:|---:|")
        for n in sorted(mem):
            m = mem[n]
            out.append(f"| {n:,} | {int(m['bytes']):,} | {int(m['slab_kB']):,} | "
                       f"{m['slab_max_growth_kB']} | "
                       f"{int(m['slab_after_kB']) - int(m['slab_kB'])} | "
                       f"{m['avail_max_drop_kB']} |")
        out.append("")
    return sizes, med, "\n".join(out)


def ablation_table(ablate, sizes, med):
    """What each part of a row costs: the real module against the ablations."""
    n = sizes[-1]
    names = [a for a in ablate if (n, f"ablate-{a}") in med]
    if not names or (n, "sockmap") not in med:
        return []
    full = med[n, "sockmap"]
    floor = med.get((n, "procnet"))

    def of_floor(v):
        return f"{v / floor:.2f}×" if floor else "-"

    out = [f"What each part of a row costs at N = {n:,}: modules built from this tree with "
           "one part taken out (`scripts/bench.d/ablate/NAME.patch`, not correct modules, "
           "timed only), in the same rounds as the tools above.",
           "",
           "| module | what it leaves out | median ms | sockmap − it (ms) | it / floor |",
           "|---|---|---:|---:|---:|",
           f"| sockmap | nothing | {ms(full)} | - | {of_floor(full)} |"]
    for a in names:
        v = med[n, f"ablate-{a}"]
        out.append(f"| {a} | {ablate[a]} | {ms(v)} | {(full - v) / 1000:.0f} | {of_floor(v)} |")
    out.append("")
    return out


def plot(sizes, med, info, path):
    fig, ax = plt.subplots(figsize=(7.5, 5), dpi=110)
    for t, label in TOOLS:
        xs = [n for n in sizes if (n, t) in med]
        if xs:
            ax.plot(xs, [med[n, t] / 1e6 for n in xs], marker="o", label=label,
                    linewidth=2.5 if t == "sockmap" else 1.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("open sockets (N, in N/100 processes)")
    ax.set_ylabel("wall time of one read, s (median)")
    ax.set_title(f"Reading every socket: Linux {info.get('kernel', '?')}, QEMU TCG, "
                 f"{info.get('cpus', '?')} vCPUs")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def write_results(path, body):
    try:
        with open(path) as f:
            old = f.read()
    except FileNotFoundError:
        old = ("# sockmap benchmark\n\nWritten by `scripts/bench` (`make bench`) between the "
               "markers below; the rest of this file is written by hand.\n\n"
               f"{BEGIN}\n{END}\n\n![time against N](plot.png)\n")
    if BEGIN not in old or END not in old:
        old += f"\n{BEGIN}\n{END}\n"
    head, rest = old.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w") as f:
        f.write(f"{head}{BEGIN}\n{body}\n{END}{tail}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    info, rows, times, mem, checks = parse(sys.argv[1])
    sizes, med, body = report(info, rows, times, mem, checks)
    print(body)
    plot(sizes, med, info, sys.argv[3])
    write_results(sys.argv[2], body)


if __name__ == "__main__":
    main()

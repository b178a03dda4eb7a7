#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""report.py - turn the benchmark guest's lines into tables and a plot.

    report.py RESULTS.MD PLOT.PNG BENCH.TXT [OTHER.TXT ...]

BENCH.TXT holds what tests/guest/bench.sh printed (plus the host's
"info" lines, among them "info run NAME": main, or scale for
`scripts/bench --scale`). Prints the tables and rewrites the part of
RESULTS.MD between the "<!-- bench:begin -->" and "<!-- bench:end -->"
markers (for a run other than main, "<!-- bench-NAME:begin -->" ...),
keeping the rest (the notes written by hand). Writes PLOT.PNG (time against
N, log-log, one line per tool) from BENCH.TXT and the other runs' OTHER.TXT
(bench/raw/*.txt): a size that BENCH.TXT has is taken from it.

A size is N (N sockets in N/100 processes), N@P (in P processes) or NTW (N
TCP sockets in TIME_WAIT that no process holds, and nothing else). A tool
that a run stopped at its time limit is shown as "> LIMIT s".
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
    ("bpf", "cat /sys/fs/bpf/sockiter (BPF iter/task_file)"),
    ("bpf-fast", "cat /sys/fs/bpf/sockiter_fast (BPF, formatted by hand)"),
    ("ss", "ss -tuxanp"),
    ("lsof", "lsof -nP -i -U"),
    ("lsfd", "lsfd -Q TYPE=~\"^(TCP|UDP|UNIX)\""),
    ("exporter", "sockmap-exporter --output /tmp/x.prom (read + metrics)"),
]
LABEL = dict(TOOLS)
# The peers whose time is compared with sockmap's, in table order.
PEERS = ["bpf", "bpf-fast", "ss", "lsof", "lsfd"]


class Size(str):
    """A size as the guest names it: "100000", "500000@1" or "100000tw"."""

    @property
    def n(self):
        return int(self.split("@")[0].removesuffix("tw"))

    @property
    def procs(self):
        return int(self.split("@")[1]) if "@" in self else None

    @property
    def time_wait(self):
        return self.endswith("tw")

    def key(self):
        return (self.procs is not None, self.time_wait, self.n)

    def label(self):
        if self.time_wait:
            return f"{self.n:,} in TIME_WAIT"
        if self.procs is None:
            return f"{self.n:,}"
        return f"{self.n:,} in {self.procs:,} process{'es' if self.procs > 1 else ''}"


def markers(run):
    name = "bench" if run == "main" else f"bench-{run}"
    return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"


def parse(path):
    info, rows, times, mem, checks = {}, {}, defaultdict(dict), {}, defaultdict(list)
    stopped, cpu = {}, defaultdict(dict)
    info["ablate"] = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) >= 2 and w[0] == "info":
                info[w[1]] = " ".join(w[2:])
            elif len(w) == 5 and w[0] == "rows":
                rows[Size(w[1]), w[2]] = (int(w[3]), int(w[4]))
            elif len(w) >= 5 and w[0] == "time" and w[3] == "us":
                times[Size(w[1])].setdefault(w[2], []).extend(int(t) for t in w[4:])
            elif len(w) >= 5 and w[0] == "cpu" and w[3] == "us":
                cpu[Size(w[1])].setdefault(w[2], []).extend(int(t) for t in w[4:])
            elif len(w) == 4 and w[0] == "stopped":
                stopped[Size(w[1]), w[2]] = int(w[3])
            elif len(w) >= 3 and w[0] == "mem":
                mem[Size(w[1])] = dict(kv.split("=") for kv in w[3:])
            elif len(w) >= 2 and w[0] == "ablate":
                info["ablate"][w[1]] = " ".join(w[2:])
            elif len(w) >= 2 and w[0] == "check":
                checks[Size(w[1])].append(" ".join(w[2:]))
    for n, _ in stopped:
        times.setdefault(n, {})
    info["cpu"] = cpu
    return info, rows, times, mem, checks, stopped


def ms(us):
    return f"{us / 1000:.1f}" if us < 100000 else f"{us / 1000:.0f}"


def report(info, rows, times, mem, checks, stopped):
    sizes = sorted((n for n in times if n.n > 0), key=Size.key)
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
               f"Tools: {info.get('ss', 'ss')}, lsof {info.get('lsof', '?')}, "
               + "".join(f"{info[k]}, " for k in ("lsfd", "bpftool") if k in info)
               + "busybox cat. "
               f"Guest clocksource {info.get('clocksource', '?')}; kernel.kptr_restrict=1, "
               f"read as root"
               + (f"; TCP's established hash: {int(info['tcp_ehash']):,} buckets"
                  if info.get("tcp_ehash", "").isdigit() else "")
               + (f"; kernel command line + `{info['cmdline']}`" if info.get("cmdline") else "")
               + f". Whole run: {info.get('runtime_s', '?')} s."
               + (f" A tool's run longer than {info['limit_s']} s was stopped: "
                  f"\"> {info['limit_s']} s\"." if info.get("limit_s", "0") != "0" else ""))
    out.append("")
    out.append("Median wall time in ms (repetitions in parentheses; the tools take turns, "
               "one run each per round)"
               + ("; each N is "
                  "N sockets in N/100 processes (\"in P processes\": N/P each): per 100 "
                  "sockets 2 TCP listeners, 20 "
                  "loopback TCP connections with both ends open (half IPv4, half IPv6), "
                  "20 bound UDP sockets (half and half) and 19 UNIX socketpairs"
                  if any(not n.time_wait for n in sizes) else "")
               + ("; \"N in TIME_WAIT\" is N TCP sockets in TIME_WAIT over loopback "
                  "that no process holds (`tests/workload/twfarm.c`), and no other "
                  "socket but the guest's own: their rows come from the walk of "
                  "TCP's established hash alone"
                  if any(n.time_wait for n in sizes) else "") + ".")
    out.append("")
    out.append("| N | sockmap rows | " + " | ".join(f"`{LABEL[t]}`" for t, _ in TOOLS) + " |")
    out.append("|---:|---:|" + "---:|" * len(TOOLS))
    for n in sizes:
        cells = [n.label(), f"{rows.get((n, 'sockmap'), (1, 0))[0] - 1:,}"]
        for t, _ in TOOLS:
            v = times[n].get(t)
            if (n, t) in stopped:
                cells.append(f"> {stopped[n, t] * 1000:,} ({len(v or [])} + 1 stopped)"
                             if v else f"> {stopped[n, t] * 1000:,} (stopped)")
            else:
                cells.append(f"{ms(med[n, t])} ({len(v)})" if v else "-")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")

    out.append("Ratios of medians, and the cost per row: (median − the median of timing "
               f"`true` in the same rounds, i.e. fork+exec, about {exec_us / 1000:.1f} ms) / rows.")
    out.append("")
    out.append("| N | sockmap / floor | floor / sockmap | copy / sockmap | "
               + " | ".join(f"{p} / sockmap" for p in PEERS)
               + " | sockmap µs/row | bpf µs/row | floor µs/row |")
    out.append("|---:|---:|---:|---:|" + "---:|" * len(PEERS) + "---:|---:|---:|")
    per_row = {}
    for n in sizes:
        s = med.get((n, "sockmap"))
        r = rows.get((n, "sockmap"), (1, 0))[0] - 1
        # Data lines of the floor: every line but the five headers.
        fr = rows.get((n, "procnet"), (5, 0))[0] - 5
        e = med.get((n, "exec"), exec_us)
        per_row[n] = (s - e) / r if s and r > 0 else None

        def ratio(a, b):
            if (n, a) in stopped and (n, b) in med:
                # A lower bound: rounded down, never up.
                return f"> {int(stopped[n, a] * 1e7 / med[n, b]) / 10:.1f}×"
            return f"{med[n, a] / med[n, b]:.2f}×" if (n, a) in med and (n, b) in med else "-"

        def row_cost(t, r):
            return f"{(med[n, t] - e) / r:.2f}" if (n, t) in med and r > 0 else "-"

        out.append(f"| {n.label()} | {ratio('sockmap', 'procnet')} | "
                   f"{ratio('procnet', 'sockmap')} | {ratio('copy', 'sockmap')} | "
                   + " | ".join(ratio(p, "sockmap") for p in PEERS)
                   + f" | {row_cost('sockmap', r)} | {row_cost('bpf', r)} | "
                   f"{row_cost('procnet', fr)} |")
    out.append("")
    # Per-row cost against the 100,000 of this run (or the size before);
    # TIME_WAIT sizes against the smallest of them.
    plain = [n for n in sizes if n.procs is None and not n.time_wait]
    ref = next((n for n in sizes if n == "100000"), plain[-2] if len(plain) >= 2 else None)
    time_wait = [n for n in sizes if n.time_wait]
    for b in sizes:
        r = time_wait[0] if b.time_wait else ref
        if r is None or b == r or b.key() < r.key() or not per_row.get(r) \
                or not per_row.get(b):
            continue
        out.append(f"sockmap's per-row cost at {b.label()} / at {r.label()}: "
                   f"{per_row[b] / per_row[r]:.2f}× (1.00× would be perfectly linear).")
        out.append("")

    out.append("Output sizes (lines / bytes of one run): "
               + "; ".join(f"N={n.label()}: " + ", ".join(
                   f"{t} {rows[n, t][0]:,}/{rows[n, t][1]:,}" for t, _ in TOOLS
                   if (n, t) in rows) for n in sizes) + ".")
    out.append("")
    if checks:
        what = []
        if any(not n.time_wait for n in checks):
            what.append("the farm's socket fds in /proc/PID/fd against its "
                        "rows in /proc/sockmap; the exporter's sockmap_up, sockmap_rows and the "
                        "sum of its sockmap_sockets against the rows and the distinct inodes of "
                        "the table")
        if any(n.time_wait for n in checks):
            what.append("in TIME_WAIT, the sockets /proc/net/tcp and tcp6 list in "
                        "state 06 against /proc/sockmap's TIME_WAIT rows, all without a "
                        "holder, before and after the timing")
        out.append(f"Checks before timing ({'; '.join(what)}): " + "; ".join(
                       f"N={n.label()}: {' '.join(c)}" for n, c in sorted(
                           checks.items(), key=lambda c: c[0].key())) + ".")
        out.append("")

    out.extend(exporter_table(info["cpu"], sizes, times, rows, stopped))
    out.extend(ablation_table(info["ablate"], sizes, med))
    out.extend(revision_table(info["ablate"], sizes, med))

    if mem:
        out.append("Memory while reading /proc/sockmap once in 4 KiB read()s "
                   "(`memprobe`: /proc/meminfo sampled before open, every 1 MiB read, "
                   "after close). Nothing here may grow with N:")
        out.append("")
        out.append("| N | bytes read | Slab before (kB) | max Slab growth during read (kB) "
                   "| Slab after − before (kB) | max MemAvailable drop (kB) |")
        out.append("|---:|---:|---:|---:|---:|---:|")
        for n in sorted(mem, key=Size.key):
            m = mem[n]
            out.append(f"| {n.label()} | {int(m['bytes']):,} | {int(m['slab_kB']):,} | "
                       f"{m['slab_max_growth_kB']} | "
                       f"{int(m['slab_after_kB']) - int(m['slab_kB'])} | "
                       f"{m['avail_max_drop_kB']} |")
        out.append("")
    return sizes, med, "\n".join(out)


def exporter_table(cpu, sizes, times, rows, stopped):
    """The exporter's own cost: its run against sockmap's read, same rounds.

    Round k's run of each tool is its k-th line at that N: both are timed in
    every round, so the exporter's CPU beyond the read is taken round by
    round (its CPU minus cat's in the same round), then the median.
    """
    ns = [n for n in sizes if "exporter" in times[n] and "sockmap" in times[n]
          and (n, "exporter") not in stopped]
    if not ns:
        return []
    med = statistics.median
    out = ["The exporter's cost (`sockmap-exporter --input /proc/sockmap --output "
           "/tmp/x.prom`, static, in the same rounds as `cat /proc/sockmap`): wall "
           "time, and CPU time (user + system of its own process, from `wait4()`). "
           "Both read the same table through the same kernel code, so the exporter's "
           "CPU minus cat's in the same round is what parsing, counting and writing "
           "the metrics cost (median of the rounds' differences).",
           "",
           "| N | exporter wall ms | exporter CPU ms | `cat /proc/sockmap` wall ms | "
           "its CPU ms | exporter / cat (wall) | exporter CPU − cat CPU (ms) | "
           "µs per row beyond the read |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in ns:
        ew, sw = med(times[n]["exporter"]), med(times[n]["sockmap"])
        ec, sc = cpu.get(n, {}).get("exporter"), cpu.get(n, {}).get("sockmap")
        r = rows.get((n, "sockmap"), (1, 0))[0] - 1
        if ec and sc and len(ec) == len(sc):
            d = med([a - b for a, b in zip(ec, sc)])
            cells = [ms(ew), ms(med(ec)), ms(sw), ms(med(sc)), f"{ew / sw:.2f}×",
                     f"{d / 1000:.1f}", f"{d / r:.2f}" if r > 0 else "-"]
        else:
            cells = [ms(ew), "-", ms(sw), "-", f"{ew / sw:.2f}×", "-", "-"]
        out.append(f"| {n.label()} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def ablation_table(ablate, sizes, med):
    """What each part of a row costs: the real module against the ablations."""
    n = sizes[-1]
    names = [a for a in ablate if (n, f"ablate-{a}") in med and not a.startswith("rev-")]
    if not names or (n, "sockmap") not in med:
        return []
    full = med[n, "sockmap"]
    floor = med.get((n, "procnet"))

    def of_floor(v):
        return f"{v / floor:.2f}×" if floor else "-"

    out = [f"What each part of a row costs at N = {n.label()}: modules built from this tree with "
           "one part taken out (`tests/bench/ablate/NAME.patch`, not correct modules, "
           "timed only), in the same rounds as the tools above.",
           "",
           "| module | what it leaves out | median ms | sockmap − it (ms) | sockmap / it "
           "| it / floor |",
           "|---|---|---:|---:|---:|---:|",
           f"| sockmap | nothing | {ms(full)} | - | - | {of_floor(full)} |"]
    for a in names:
        v = med[n, f"ablate-{a}"]
        out.append(f"| {a} | {ablate[a]} | {ms(v)} | {(full - v) / 1000:.0f} | "
                   f"{full / v:.3f}× | {of_floor(v)} |")
    out.append("")
    return out


def revision_table(ablate, sizes, med):
    """This module against an earlier revision's (--against), same rounds."""
    n = sizes[-1]
    names = [a for a in ablate if a.startswith("rev-") and (n, f"ablate-{a}") in med]
    if not names or (n, "sockmap") not in med:
        return []
    full = med[n, "sockmap"]
    out = [f"Against an earlier revision at N = {n.label()} (`scripts/bench --against REV`): "
           "its module timed in the same rounds as this one; above 1 this tree is slower.",
           "",
           "| module | what it is | median ms | sockmap / it |",
           "|---|---|---:|---:|",
           f"| sockmap | this tree | {ms(full)} | - |"]
    for a in names:
        v = med[n, f"ablate-{a}"]
        out.append(f"| {a} | {ablate[a]} | {ms(v)} | {full / v:.3f}× |")
    out.append("")
    return out


def plot(runs, path):
    """Time against N for every tool, from every run; N@P sizes as markers."""
    info = runs[0][0]
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=110)
    # A size is taken from the first run (this one) that has it.
    med, stops, seen = {}, {}, set()
    for _, times, stopped in runs:
        here = set(times)
        for n in here - seen:
            for t, v in times[n].items():
                med[n, t] = statistics.median(v)
        for (n, t), lim in stopped.items():
            if n not in seen:
                stops[n, t] = lim
        seen |= here
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    # Sockets that processes hold; the TIME_WAIT run is a table of its own.
    seen = {n for n in seen if not n.time_wait}
    plain = sorted((n for n in seen if n.procs is None), key=Size.key)
    other = sorted((n for n in seen if n.procs is not None), key=Size.key)
    for i, (t, label) in enumerate(TOOLS):
        c = colors[i % len(colors)]
        xs = [n for n in plain if (n, t) in med]
        if not xs and not any((n, t) in stops for n in seen):
            continue
        ax.plot([n.n for n in xs], [med[n, t] / 1e6 for n in xs], marker="o",
                color=c, label=label, linewidth=2.5 if t == "sockmap" else 1.5)
        for n in other:
            if (n, t) in med:
                ax.plot([n.n], [med[n, t] / 1e6], marker="s", color=c,
                        markersize=7, linestyle="none")
        for n in seen:
            if (n, t) in stops:
                # Side by side, not on top of each other: all stop at the limit.
                ax.plot([n.n * 1.06 ** (i - 3)], [stops[n, t]],
                        marker="^" if n.procs is None else "s",
                        color=c, markersize=9, markerfacecolor="none",
                        linestyle="none")
    if other:
        ax.plot([], [], marker="s", color="gray", linestyle="none",
                label=", ".join(n.label() for n in other))
    if stops:
        ax.plot([], [], marker="^", color="gray", markerfacecolor="none",
                linestyle="none", label="stopped at the time limit (> limit)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("open sockets (N, in N/100 processes)")
    ax.set_ylabel("wall time of one read, s (median)")
    ax.set_title(f"Reading every socket: Linux {info.get('kernel', '?')}, QEMU TCG, "
                 f"{info.get('cpus', '?')} vCPUs", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)


def write_results(path, body, run):
    try:
        with open(path) as f:
            old = f.read()
    except FileNotFoundError:
        old = ("# sockmap benchmark\n\nWritten by `scripts/bench` (`make bench`) between the "
               "markers below; the rest of this file is written by hand.\n\n"
               "\n\n![time against N](plot.png)\n")
    BEGIN, END = markers(run)
    if BEGIN not in old or END not in old:
        old += f"\n{BEGIN}\n{END}\n"
    head, rest = old.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w") as f:
        f.write(f"{head}{BEGIN}\n{body}\n{END}{tail}")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    runs = [parse(p) for p in sys.argv[3:]]
    info, rows, times, mem, checks, stopped = runs[0]
    sizes, med, body = report(info, rows, times, mem, checks, stopped)
    print(body)
    plot([(i, t, s) for i, _, t, _, _, s in runs], sys.argv[2])
    write_results(sys.argv[1], body, info.get("run", "main"))


if __name__ == "__main__":
    main()

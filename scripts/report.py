#!/usr/bin/env python3
"""Turns simdact_bench's Google Benchmark JSON into the benchmark report.

    report.py BENCH.json [--out DIR] [--gallery GALLERY.csv] [--no-charts]

Prints the tables (simdact against its scalar baseline; against the peers and
the copy roofline; threads; input distribution; row-wise functions) and writes
into DIR (default: the JSON's folder): report.md (the same tables),
results.csv (every cell: median, min, max, spread), and with matplotlib
throughput_<activation>.png and, given the gallery CSV, gallery/<activation>.png.

Cell names are op/type/dir/impl/size/t:THREADS/dist (bench/bench_common.hpp).
Every number is the median over the repetitions of nanoseconds per element
(1e9 / items_per_second); "spread" is (max - min) / median.
"""
import argparse
import csv
import json
import os
import statistics
import sys
from collections import defaultdict

SIZE_LABELS = {4096: "4K", 262144: "256K", 16777216: "16M"}
PEERS = [("onednn", "oneDNN"), ("xnnpack", "XNNPACK"), ("eigen", "Eigen")]
DIR_LABELS = {"fwd": "forward", "bwd": "backward (from x)", "bwd_y": "backward from the output y"}


class Cell:
    """All repetitions of one benchmark cell."""

    def __init__(self, key):
        self.op, self.type, self.dir, self.impl, self.size, self.threads, self.dist = key
        self.ns = []  # ns per element, one per repetition
        self.gbps = []  # bytes per second / 1e9
        self.cpu_share = []  # the timing thread's CPU time / wall time

    @property
    def elements(self):
        if self.size.startswith("n:"):
            return int(self.size[2:])
        rows, cols = self.size[6:].split("x")
        return int(rows) * int(cols)

    @property
    def median(self):
        return statistics.median(self.ns)

    @property
    def spread(self):
        return (max(self.ns) - min(self.ns)) / self.median if self.ns else 0.0

    @property
    def gbytes(self):
        return statistics.median(self.gbps)


def parse_key(name):
    parts = name.split("/")
    if len(parts) < 7:
        return None
    op, typ, direction, impl, size, threads, dist = parts[:7]
    if not threads.startswith("t:"):
        return None
    return (op, typ, direction, impl, size, int(threads[2:]), dist)


def load(path):
    with open(path) as f:
        data = json.load(f)
    cells = {}
    errors = []
    for b in data.get("benchmarks", []):
        if b.get("run_type") != "iteration":
            continue
        key = parse_key(b.get("run_name", b["name"]))
        if key is None:
            continue
        if b.get("error_occurred"):
            errors.append(f"{b['name']}: {b.get('error_message', 'error')}")
            continue
        ips = b.get("items_per_second")
        if not ips:
            continue
        cell = cells.setdefault(key, Cell(key))
        cell.ns.append(1e9 / ips)
        cell.gbps.append(b.get("bytes_per_second", 0.0) / 1e9)
        if b.get("real_time"):
            cell.cpu_share.append(b.get("cpu_time", 0.0) / b["real_time"])
    return data.get("context", {}), cells, errors


class Results:
    def __init__(self, context, cells):
        self.context = context
        self.cells = cells
        self.all_threads = int(context.get("all_threads", "1"))
        self.isas = context.get("simdact_isas", "").split()
        self.by = defaultdict(dict)  # (op, type, dir, size, threads, dist) -> impl -> Cell
        for (op, typ, d, impl, size, t, dist), cell in cells.items():
            self.by[(op, typ, d, size, t, dist)][impl] = cell
        # Registry order for activations: the order simdact_bench ran them in.
        self.ops = []
        for key in cells:
            if key[3].startswith("simdact.") and key[0] not in self.ops and key[4].startswith("n:"):
                self.ops.append(key[0])
        self.peers = [(p, label) for p, label in PEERS if any(k[3] == p for k in cells)]

    def get(self, op, typ, d, size, t=1, dist="uniform"):
        return self.by.get((op, typ, d, size, t, dist), {})

    def best_simdact(self, impls, include_scalar=True):
        best = None
        for impl, cell in impls.items():
            if not impl.startswith("simdact."):
                continue
            if not include_scalar and impl == "simdact.scalar":
                continue
            if best is None or cell.median < best[1].median:
                best = (impl[len("simdact."):], cell)
        return best

    def roofline(self, typ, size, t):
        """The faster copy of the same bytes (ordinary or non-temporal stores)."""
        if not size.startswith("n:"):
            size = "n:16777216"  # row-wise shapes are about 10^7 elements: DRAM-sized
        copies = [c for impl, c in self.get("copy", typ, "fwd", size, t).items() if impl.startswith("copy.")]
        return max(copies, key=lambda c: c.gbytes) if copies else None

    def sizes(self, typ, t=1, shaped=False):
        """Element counts in increasing order; shapes in the order they ran."""
        found = list(dict.fromkeys(k[3] for k in self.by if k[1] == typ and k[4] == t and
                                   k[3].startswith("shape:") == shaped))
        return found if shaped else sorted(found, key=lambda s: int(s[2:]))

    def shaped_ops(self):
        return list(dict.fromkeys(k[0] for k in self.by if k[3].startswith("shape:")))


def fmt_ns(v):
    if v is None:
        return "—"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def fmt_x(v):
    if v is None:
        return "—"
    return f"{v:.0f}x" if v >= 100 else f"{v:.1f}x" if v >= 10 else f"{v:.2f}x"


def size_label(size):
    if size.startswith("n:"):
        n = int(size[2:])
        return SIZE_LABELS.get(n, str(n))
    return size[6:]


class Table:
    """A fixed-width text table that also renders as Markdown. `groups`, if
    given, is a line of (label, number of columns) spans above the header."""

    def __init__(self, title, header, note=None, left=1, groups=None):
        self.title, self.header, self.note, self.left, self.groups = title, header, note, left, groups
        self.rows = []

    def add(self, row):
        self.rows.append([str(c) for c in row])

    def text(self):
        widths = [max(len(r[i]) for r in [self.header] + self.rows) for i in range(len(self.header))]
        lines = [self.title]
        if self.note:
            lines.append(self.note)
        if self.groups:
            spans, col = [], 0
            for label, span in self.groups:
                width = sum(widths[col:col + span]) + 2 * (span - 1)
                spans.append(label.center(width) if label else " " * width)
                col += span
            lines.append("  ".join(spans).rstrip())
        for i, r in enumerate([self.header] + self.rows):
            cells = [c.ljust(w) if j < self.left else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))]
            lines.append("  ".join(cells).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def markdown(self):
        header = list(self.header)
        if self.groups:
            col = 0
            for label, span in self.groups:
                for j in range(col, col + span):
                    if label:
                        header[j] = f"{label} {header[j]}"
                col += span
        lines = [f"### {self.title}", ""]
        if self.note:
            lines += [self.note, ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        for r in self.rows:
            lines.append("| " + " | ".join(r) + " |")
        return "\n".join(lines)


def table_vs_scalar(res):
    """Table A: every activation x type x direction, best ISA vs scalar, per size."""
    sizes = [s for s in res.sizes("f32") if s in {f"n:{n}" for n in SIZE_LABELS}]
    labels = [size_label(s) for s in sizes]
    header = ["activation", "type", "dir", "best ISA"] + labels * 3
    groups = [("", 4), ("simdact, ns/elem", len(sizes)), ("scalar, ns/elem", len(sizes)),
              ("speedup", len(sizes))]
    note = ("1 thread, x uniform in [-10, 10], median of the repetitions. best ISA: the fastest of simdact's "
            "ISAs at each size, shown once when it is the same at every size. — : not measured in this run.")
    t = Table("simdact against its scalar baseline", header, note, left=4, groups=groups)
    for op in res.ops:
        for typ in ("f32", "f64"):
            for d in ("fwd", "bwd", "bwd_y"):
                best, scalar = [], []
                for s in sizes:
                    impls = res.get(op, typ, d, s)
                    best.append(res.best_simdact(impls))
                    scalar.append(impls.get("simdact.scalar"))
                if not any(best):
                    continue
                isas = [b[0] for b in best if b]
                isa = isas[0] if len(set(isas)) == 1 else "/".join(b[0] if b else "—" for b in best)
                t.add([op, typ, d, isa] + [fmt_ns(b[1].median) if b else "—" for b in best] +
                      [fmt_ns(c.median) if c else "—" for c in scalar] +
                      [fmt_x(c.median / b[1].median) if b and c else "—" for b, c in zip(best, scalar)])
    return t if t.rows else None


def table_peers(res, typ, d, t, shaped=False, title=None):
    """Table B: simdact (best ISA), scalar, each peer, ratio to the best peer, roofline."""
    rows = []
    names = res.shaped_ops() if shaped else res.ops
    for op in names:
        for s in res.sizes(typ, t, shaped):
            impls = res.get(op, typ, d, s, t)
            best = res.best_simdact(impls)
            if not best:
                continue
            scalar = impls.get("simdact.scalar")
            peer_cells = [impls.get(p) for p, _ in res.peers]
            measured = [c for c in peer_cells if c]
            best_peer = min(measured, key=lambda c: c.median) if measured else None
            roof = res.roofline(typ, s, t)
            rows.append([op, size_label(s), best[0], f"{fmt_ns(best[1].median)} ±{best[1].spread * 100:.0f}%",
                         fmt_ns(scalar.median) if scalar else "—"] +
                        [fmt_ns(c.median) if c else "—" for c in peer_cells] +
                        [fmt_x(best_peer.median / best[1].median) if best_peer else "—",
                         f"{100 * best[1].gbytes / roof.gbytes:.0f}%" if roof and roof.gbytes else "—"])
    if not rows:
        return None
    header = ["activation" if not shaped else "function", "size" if not shaped else "rows x cols", "ISA",
              "simdact", "scalar"] + [label for _, label in res.peers] + ["peer/simdact", "of copy"]
    threads = "1 thread" if t == 1 else f"{t} threads"
    note = ("ns per element, median of the repetitions (± spread: (max - min) / median). peer/simdact: the best "
            "peer's time over simdact's (above 1: simdact is faster). of copy: simdact's bytes/s as a fraction of "
            "the faster copy (ordinary or non-temporal stores) of the same bytes" +
            (" (row-wise: of 16M elements)" if shaped else "") + "; — : the peer has no such function or was not "
            "measured in this run.")
    tbl = Table(title or f"{'float' if typ == 'f32' else 'double'}, {DIR_LABELS[d]}, {threads}", header, note, left=3)
    for r in rows:
        tbl.add(r)
    return tbl


def table_threads(res):
    t_all = res.all_threads
    if t_all <= 1:
        return None
    tbl = Table(f"Threads: 1 against {t_all} (float, uniform, ns per element, median)",
                ["activation", "dir", "size", "impl", "1 thread", f"{t_all} threads", "scaling"], left=4)
    for op in res.ops:
        for d in ("fwd", "bwd"):
            for s in res.sizes("f32", t_all):
                many = res.get(op, "f32", d, s, t_all)
                one = res.get(op, "f32", d, s, 1)
                for impl, cell in sorted(many.items()):
                    single = one.get(impl)
                    tbl.add([op, d, size_label(s), impl.replace("simdact.", "simdact "), fmt_ns(single.median) if single
                             else "—", fmt_ns(cell.median), fmt_x(single.median / cell.median) if single else "—"])
    return tbl if tbl.rows else None


def table_distributions(res):
    tbl = Table("Input distribution: uniform in [-10, 10] against normal(0, 1) (float, forward, 1 thread, ns/elem)",
                ["activation", "size", "impl", "uniform", "normal", "normal/uniform"], left=3)
    for op in res.ops:
        for s in res.sizes("f32"):
            normal = res.get(op, "f32", "fwd", s, 1, "normal")
            uniform = res.get(op, "f32", "fwd", s, 1, "uniform")
            for impl, cell in sorted(normal.items()):
                u = uniform.get(impl)
                tbl.add([op, size_label(s), impl, fmt_ns(u.median) if u else "—", fmt_ns(cell.median),
                         fmt_x(cell.median / u.median) if u else "—"])
    return tbl if tbl.rows else None


def table_copies(res):
    tbl = Table("Copy roofline: the same bytes copied with ordinary and with non-temporal stores (GB/s, median)",
                ["type", "size", "threads", "ordinary", "non-temporal"], left=2)
    for typ in ("f32", "f64"):
        for t in sorted({k[4] for k in res.by}):
            for s in res.sizes(typ, t):
                impls = res.get("copy", typ, "fwd", s, t)
                if not impls:
                    continue
                store, nt = impls.get("copy.store"), impls.get("copy.nt")
                tbl.add([typ, size_label(s), t, f"{store.gbytes:.1f}" if store else "—",
                         f"{nt.gbytes:.1f}" if nt else "—"])
    return tbl if tbl.rows else None


def header_lines(res, args):
    ctx = res.context
    caches = ", ".join(f"L{c['level']}{'d' if c['type'] == 'Data' else 'i' if c['type'] == 'Instruction' else ''} "
                       f"{c['size'] // 1024} KiB" for c in ctx.get("caches", []))
    lines = [
        f"simdact {ctx.get('simdact_version', '?')} benchmark report, {ctx.get('date', '?')}",
        f"CPU: {ctx.get('cpu_model', '?')}, {ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz; "
        f"{caches}",
        f"simdact ISAs: {ctx.get('simdact_isas', '?')} (best: {ctx.get('simdact_best_isa', '?')}); "
        f"threads: 1 and {ctx.get('all_threads', '?')} (all cores)",
    ]
    peers = [f"{label} {ctx[key]}" for key, label in
             (("peer_onednn", "oneDNN"), ("peer_xnnpack", "XNNPACK"), ("peer_eigen", "Eigen")) if key in ctx]
    lines.append("peers: " + (", ".join(peers) if peers else "none found"))
    if "isa_cap" in ctx:
        lines.append(f"ISA capped at {ctx['isa_cap']} (--simdact_isa): simdact's ISAs up to it, oneDNN through "
                     "ONEDNN_MAX_CPU_ISA; XNNPACK and Eigen, which cannot be capped at run time, left out")
    settings = f"coverage: {ctx.get('coverage', '?')}; seed {ctx.get('seed', '?')}"
    if args.settings:
        settings += f"; {args.settings}"
    lines.append(settings)
    if ctx.get("library_build_type") == "debug":
        lines.append("(Google Benchmark says its own library was built as debug: that affects its bookkeeping "
                     "between iterations, not the timed code.)")
    load = ctx.get("load_avg")
    if load:
        lines.append(f"load average at the start: {load[0]:.2f}")
    # A one-thread cell whose thread got less than 90% of the wall time was
    # sharing its core with other processes.
    single = [c for c in res.cells.values() if c.threads == 1 and c.cpu_share]
    disturbed = [c for c in single if statistics.median(c.cpu_share) < 0.9]
    if single and disturbed:
        lines.append(f"WARNING: {len(disturbed)} of {len(single)} one-thread cells ran less than 90% of their wall time "
                     "on the CPU: other processes shared the cores, the numbers (and most of all the "
                     f"{res.all_threads}-thread ones) are unreliable; rerun on an idle machine")
    return lines


def write_csv(res, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["op", "type", "dir", "impl", "size", "threads", "dist", "elements", "ns_per_elem_median",
                    "ns_per_elem_min", "ns_per_elem_max", "spread", "gbytes_per_s", "repetitions"])
        for key in sorted(res.cells):
            c = res.cells[key]
            w.writerow([c.op, c.type, c.dir, c.impl, c.size, c.threads, c.dist, c.elements, f"{c.median:.6g}",
                        f"{min(c.ns):.6g}", f"{max(c.ns):.6g}", f"{c.spread:.4f}", f"{c.gbytes:.4g}", len(c.ns)])


def charts(res, out_dir, gallery_csv):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (Debian: python3-matplotlib): no charts", file=sys.stderr)
        return []
    written = []
    styles = {"simdact": ("tab:blue", "o-"), "scalar": ("tab:gray", "s--"), "onednn": ("tab:orange", "^-"),
              "xnnpack": ("tab:green", "v-"), "eigen": ("tab:red", "D-"), "copy": ("black", ":")}
    for op in res.ops:
        dirs = [d for d in ("fwd", "bwd", "bwd_y") if any(k[0] == op and k[2] == d and k[1] == "f32" for k in res.by)]
        fig, axes = plt.subplots(1, len(dirs), figsize=(5 * len(dirs), 4), squeeze=False)
        for ax, d in zip(axes[0], dirs):
            series = defaultdict(list)
            for s in res.sizes("f32"):
                impls = res.get(op, "f32", d, s)
                n = int(s[2:])
                best = res.best_simdact(impls)
                if best:
                    series["simdact"].append((n, 1 / best[1].median))
                if "simdact.scalar" in impls:
                    series["scalar"].append((n, 1 / impls["simdact.scalar"].median))
                for p, _ in res.peers:
                    if p in impls:
                        series[p].append((n, 1 / impls[p].median))
                roof = res.roofline("f32", s, 1)
                if roof:  # the copy's bytes/s in elements/s of this direction's streams
                    streams = 2 if d == "fwd" else 3
                    series["copy"].append((n, roof.gbytes / (4 * streams)))
            for name, pts in series.items():
                color, style = styles.get(name, ("tab:purple", "o-"))
                label = dict(PEERS).get(name, name)
                if name == "copy":
                    label = "copy roofline"
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style, color=color, label=label)
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ticks = sorted({p[0] for pts in series.values() for p in pts})
            ax.set_xticks(ticks)
            ax.set_xticklabels([SIZE_LABELS.get(n, str(n)) for n in ticks])
            ax.set_xlabel("elements (float; x4 bytes per stream)")
            ax.set_ylabel("G elements / s (1 thread)")
            ax.set_title(f"{op}, float, {DIR_LABELS[d]}")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=8)
        fig.tight_layout()
        path = os.path.join(out_dir, f"throughput_{op}.png")
        fig.savefig(path, dpi=90)
        plt.close(fig)
        written.append(path)

    # Row-wise functions: one group of bars per function and shape.
    shaped = [(op, size) for op in res.shaped_ops() for size in res.sizes("f32", 1, shaped=True)
              if res.get(op, "f32", "fwd", size)]
    if shaped:
        impls = ["simdact", "scalar"] + [p for p, _ in res.peers]
        fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(shaped)), 4))
        width = 0.8 / len(impls)
        for j, impl in enumerate(impls):
            xs, ys = [], []
            for i, (op, size) in enumerate(shaped):
                cells = res.get(op, "f32", "fwd", size)
                cell = res.best_simdact(cells)[1] if impl == "simdact" and res.best_simdact(cells) else \
                    cells.get("simdact.scalar" if impl == "scalar" else impl)
                if cell:
                    xs.append(i + (j - (len(impls) - 1) / 2) * width)
                    ys.append(1 / cell.median)
            if xs:
                color = styles.get(impl, ("tab:purple", ""))[0]
                ax.bar(xs, ys, width, label=dict(PEERS).get(impl, impl), color=color)
        ax.set_xticks(range(len(shaped)))
        ax.set_xticklabels([f"{op}\n{size[6:]}" for op, size in shaped], fontsize=7, rotation=45, ha="right")
        ax.set_yscale("log")
        ax.set_ylabel("G elements / s (1 thread)")
        ax.set_title("Row-wise functions, float, forward")
        ax.grid(True, axis="y", which="both", alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = os.path.join(out_dir, "throughput_rowwise.png")
        fig.savefig(path, dpi=90)
        plt.close(fig)
        written.append(path)

    if gallery_csv and os.path.exists(gallery_csv):
        with open(gallery_csv) as f:
            rows = list(csv.reader(f))
        header, data = rows[0], [[float(v) for v in r] for r in rows[1:]]
        x = [r[0] for r in data]
        gdir = os.path.join(out_dir, "gallery")
        os.makedirs(gdir, exist_ok=True)
        for i in range(1, len(header), 2):
            name = header[i]
            fig, ax = plt.subplots(figsize=(5, 3.5))
            ax.plot(x, [r[i] for r in data], label=f"{name}(x)", color="tab:blue")
            ax.plot(x, [r[i + 1] for r in data], label=f"{name}'(x)", color="tab:orange", linestyle="--")
            ax.axhline(0, color="black", linewidth=0.5)
            ax.axvline(0, color="black", linewidth=0.5)
            ax.set_title(f"{name} (default parameters), computed by simdact")
            ax.set_xlabel("x")
            ax.grid(True, alpha=0.3)
            ax.legend()
            fig.tight_layout()
            path = os.path.join(gdir, f"{name}.png")
            fig.savefig(path, dpi=90)
            plt.close(fig)
            written.append(path)
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json")
    ap.add_argument("--out", help="output folder (default: the JSON's folder)")
    ap.add_argument("--gallery", help="CSV from simdact_gallery")
    ap.add_argument("--settings", help="a line describing the run settings, printed in the header")
    ap.add_argument("--no-charts", action="store_true")
    args = ap.parse_args()
    out_dir = args.out or os.path.dirname(os.path.abspath(args.json))
    os.makedirs(out_dir, exist_ok=True)

    ctx, cells, errors = load(args.json)
    if not cells:
        sys.exit(f"report.py: no benchmark results in {args.json}")
    res = Results(ctx, cells)

    tables = [table_vs_scalar(res)]
    for d in ("fwd", "bwd", "bwd_y"):
        tables.append(table_peers(res, "f32", d, 1))
    tables.append(table_peers(res, "f64", "fwd", 1))
    if res.all_threads > 1:
        tables.append(table_peers(res, "f32", "fwd", res.all_threads))
    tables.append(table_peers(res, "f32", "fwd", 1, shaped=True,
                              title="Row-wise (softmax family; maxout as groups x k), float, forward, 1 thread"))
    tables.append(table_peers(res, "f32", "bwd", 1, shaped=True,
                              title="Row-wise, float, backward (softmax family: from the output), 1 thread"))
    if res.all_threads > 1:
        tables.append(table_peers(res, "f32", "fwd", res.all_threads, shaped=True,
                                  title=f"Row-wise, float, forward, {res.all_threads} threads"))
    tables += [table_threads(res), table_distributions(res), table_copies(res)]
    tables = [t for t in tables if t is not None]

    head = header_lines(res, args)
    print("\n".join(head))
    for t in tables:
        print()
        print(t.text())
    if errors:
        print("\nCells that failed:\n  " + "\n  ".join(errors))

    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("# simdact benchmark report\n\n" + "\n".join(f"- {line}" for line in head) + "\n")
        for t in tables:
            f.write("\n" + t.markdown() + "\n")
        if errors:
            f.write("\n## Cells that failed\n\n" + "\n".join(f"- {e}" for e in errors) + "\n")
    write_csv(res, os.path.join(out_dir, "results.csv"))
    written = [] if args.no_charts else charts(res, out_dir, args.gallery)
    print(f"\nreport: {out_dir}/report.md, results.csv, {len(written)} charts")


if __name__ == "__main__":
    main()

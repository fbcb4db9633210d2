"""Time what readers wait for, and rnn_core against its references and its bound.

Run with ``make bench``, which first installs the CPU build of torch==2.13.0 into the
virtualenv (torch is the reference for the RNN cases; the book never needs it).
Nothing here is part of ``make test``. How each case is measured, and the derivation
of the large RNN case's bound: benchmarks/README.md.

Every timed value is the median of repeated runs. Where a case has a reference, both
sides run on the same inputs in the same process, in turns (ours, theirs, ours, ...),
so that both see the same machine load. BLAS threads are the machine's defaults except
where a case says otherwise; torch is set to the number of threads numpy's OpenBLAS uses.

Output: ``_build/bench.json`` (a list of records {case, value, unit, reference,
reference_value}; value is null for a skipped case), ``_build/bench_env.json`` (machine,
threads, the bound's details, per-page numbers, skip reasons), the table on stdout, and
with ``--readme README.md`` the same table written between the ``<!-- bench:start -->``
and ``<!-- bench:end -->`` markers of the README.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import blas
import bound
import chapters
import numpy as np
import pages
import rnn_sides
import seed_ensemble
import yaml

import rnn_core

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
RNN_SIZES = [
    (1, 50, 1, 1),
    (1, 1000, 1, 1),
    (32, 100, 64, 64),
    (32, 200, 128, 128),
    (8, 500, 16, 32),
]
LARGE = bound.LARGE
BOOK_FLAGS = ["--all", "-W", "-n", "--keep-going"]  # as `make book`

# case (prefix) -> (target as text, check(value, reference_value) -> bool)
TARGETS = {
    "rnn_fwd_bwd_": ("ratio <= 0.7", lambda v, r: v / r <= 0.7),
    "rnn_large_bound_ratio": ("<= 1.3", lambda v, r: v <= 1.3),
    "linear_grads_1e5": (">= 20x faster", lambda v, r: r / v >= 20),
    "sympy_verify_1_to_12_s": ("<= 5 s", lambda v, r: v <= 5),
    "book_build_s": ("<= 120 s", lambda v, r: v <= 120),
    "book_rebuild_s": ("<= 10 s", lambda v, r: v <= 10),
    "slider_update_s": ("<= 0.05 s", lambda v, r: v <= 0.05),
    "seed_ensemble_10": ("ratio <= 0.35", lambda v, r: v / r <= 0.35),
    "chapter_run_": ("<= 30 s", lambda v, r: v <= 30),
    "page_bytes_max_mb": ("<= 1.5 MB", lambda v, r: v <= 1.5),
    "page_longest_task_ms": ("<= 300 ms", lambda v, r: v <= 300),
}


def median_times(fns, repeats=7, min_seconds=0.5):
    """Median wall time of each ``fn`` in ``fns``, called in turns after one warm-up call each."""
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    start = time.perf_counter()
    while len(times[0]) < repeats or time.perf_counter() - start < min_seconds:
        for fn, ts in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
    return [statistics.median(ts) for ts in times]


def record(case, value, unit, reference=None, reference_value=None):
    return {
        "case": case,
        "value": value,
        "unit": unit,
        "reference": reference,
        "reference_value": reference_value,
    }


# --- threads and machine -------------------------------------------------------------------


def machine():
    info = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")),
        platform.processor(),
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem = next(int(ln.split()[1]) for ln in meminfo if ln.startswith("MemTotal"))
    config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem / 2**20, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{config['name']} {config['version']}",
        "env": {
            k: os.environ.get(k, "unset")
            for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
        },
        "openblas_threads": blas.threads(),
        "load_average_at_start": os.getloadavg(),
    }


# --- cases -----------------------------------------------------------------------------------


def rnn_case(N, T, D, H, torch_threads, also=()):
    """Ours against torch (if installed); ``also`` are more calls timed in the same turns.

    Returns the record and the median times of ``also``.
    """
    inputs = rnn_sides.make_inputs(N, T, D, H)
    ours = rnn_sides.ours(*inputs)
    case = f"rnn_fwd_bwd_{N}x{T}x{D}x{H}"
    if torch_threads is None:
        value, *rest = median_times([ours, *also], min_seconds=2.0)
        return record(case, value, "s"), rest
    theirs = rnn_sides.theirs(*inputs, threads=torch_threads)
    rnn_sides.check_agree(ours(), theirs())
    value, ref, *rest = median_times([ours, theirs, *also], min_seconds=2.0)
    return record(case, value, "s", "torch", ref), rest


def large_records(ours_s, times, gemm_flops):
    """The large case's rate, the GEMM peak, the bound's parts and rnn_large_bound_ratio.

    ``times`` holds the median seconds of the calls timed in the same turns as the
    case: "gemm" and the parts of ``bound.parts`` (see bound.py for what the bound counts).
    """
    peak = gemm_flops / times.pop("gemm") / 1e9
    total, pieces = bound.bound_seconds(times, peak)
    rates = [
        record("gemm_peak_gflops", peak, "GFLOP/s"),
        record(
            "rnn_large_gflops",
            sum(bound.flops(*LARGE)) / ours_s / 1e9,
            "GFLOP/s",
            "gemm_peak_gflops",
            peak,
        ),
        record("rnn_large_bound_tanh_ms", pieces["tanh_s"] * 1e3, "ms"),
    ]
    rates += [
        record(f"rnn_large_bound_{name}_ms", seconds * 1e3, "ms")
        for name, seconds in pieces["recurrent_all"].items()
    ]
    rates += [
        record("rnn_large_bound_other_products_ms", pieces["other_products_s"] * 1e3, "ms"),
        record("rnn_large_bound_ms", total * 1e3, "ms"),
        record("rnn_large_bound_ratio", ours_s / total, "x"),
    ]
    return rates, {**pieces, "bound_s": total, "rnn_core_s": ours_s}


def linear_grads_case(n=100_000):
    x = np.random.default_rng(0).standard_normal(n)
    xs = x.tolist()
    w_x, w_h = 0.5, 0.999

    def python_loop():  # forward-mode recurrence: s_t = dh_t/dw_h, r_t = dh_t/dw_x
        h, s_h, s_x = 0.0, 0.0, 0.0
        for x_t in xs:
            s_h, s_x = h + w_h * s_h, x_t + w_h * s_x
            h = w_x * x_t + w_h * h
        return s_h, s_x

    ours = rnn_core.linear_rnn_grads(x, w_x, w_h, 0.0, 1.0)
    assert np.allclose(ours, python_loop(), rtol=1e-9), (ours, python_loop())
    value, ref = median_times(
        [lambda: rnn_core.linear_rnn_grads(x, w_x, w_h, 0.0, 1.0), python_loop], repeats=5
    )
    return record("linear_grads_1e5", value, "s", "python-loop", ref)


SYMPY = """\
import time
from rnn_core import symbolic
t0 = time.perf_counter()
assert all(symbolic.verify_closed_forms(n) for n in range(1, 13))
print(time.perf_counter() - t0)
"""


def sympy_case(repeats=3):
    """Each run in a fresh interpreter: sympy's caches are cold, as in a fresh kernel."""
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", SYMPY], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return record("sympy_verify_1_to_12_s", statistics.median(times), "s")


def peak_memory(N, T, D, H, sides):
    """Peak RSS one run adds, each side in a fresh process (see peak_memory.py)."""
    out = {}
    for side in sides:
        res = subprocess.run(
            [sys.executable, str(HERE / "peak_memory.py"), side, *map(str, (N, T, D, H))],
            capture_output=True,
            text=True,
            check=True,
        )
        out[side] = json.loads(res.stdout)
    return out


# --- the book --------------------------------------------------------------------------------


def _jupyter_book(out, log, config=None):
    cmd = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(ROOT),
        "--path-output",
        str(out),
        *BOOK_FLAGS,
    ]
    if config:
        cmd += ["--config", str(config)]
    t0 = time.perf_counter()
    with open(log, "w") as f:
        res = subprocess.run(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - t0
    if res.returncode:
        raise RuntimeError(f"book build failed ({' '.join(cmd)}); see {log}")
    return seconds


def _both_editions(out, logs, name):
    """Seconds for both editions built at once into ``out``, as `make book` builds them:
    the Korean (tools/ko_build.py's command) in the background, the English meanwhile."""
    if str(ROOT / "tools") not in sys.path:
        sys.path.insert(0, str(ROOT / "tools"))
    import ko_build  # tools/ is not a package

    t0 = time.perf_counter()
    with open(logs / f"{name}_ko.log", "w") as f:
        ko = subprocess.Popen(
            ko_build.command(out / "ko", BOOK_FLAGS), cwd=ROOT, stdout=f, stderr=subprocess.STDOUT
        )
        try:
            _jupyter_book(out, logs / f"{name}.log")
        finally:
            status = ko.wait()
    if status:
        raise RuntimeError(f"the Korean build failed; see {logs / f'{name}_ko.log'}")
    seconds = time.perf_counter() - t0
    shutil.copytree(out / "ko" / "_build" / "html", out / "_build" / "html" / "ko")  # as make book
    return seconds


def cache_config(path):
    """_config.yml with ``execute_notebooks: cache``, written to ``path`` (outside the repo).

    jupyter-book resolves ``local_extensions`` against the config file's folder, so
    those paths are made absolute; everything else is read relative to the book root.
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "cache"
    ext = config["sphinx"]["local_extensions"]
    config["sphinx"]["local_extensions"] = {k: str(ROOT / v) for k, v in ext.items()}
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def book_cases(tmp, logs, repeats=3):
    """Clean builds as `make book` does them, then no-change rebuilds from the execution cache.

    Each time is the median of ``repeats`` builds.

    1. book_build_s: both editions at once, as `make book` builds them:
       `jupyter-book build . --path-output <empty dir> --all -W -n --keep-going` with the
       repository's _config.yml (execute_notebooks: force), every chapter run, and
       meanwhile the Korean edition (tools/ko_build.py's command) into <empty dir>/ko;
       each build goes into a new empty folder. The rebuild is the English edition's.
    2. A build into the same output with a copy of the config that says
       execute_notebooks: cache: it runs every chapter once more and fills the
       jupyter-cache in <out>/_build/.jupyter_cache (not timed: force mode keeps no cache).
    3. book_rebuild_s: the same cache-mode command again, nothing changed: every page is
       re-read (--all) but no chapter is executed.
    """
    builds = [_both_editions(tmp / f"book{i}", logs, f"book_build{i}") for i in range(repeats)]
    out = tmp / f"book{repeats - 1}"
    config = cache_config(tmp / "_config_cache.yml")
    prime = _jupyter_book(out, logs / "book_cache_prime.log", config)
    rebuilds = []
    for i in range(repeats):
        log = logs / f"book_rebuild{i}.log"
        rebuilds.append(_jupyter_book(out, log, config))
        if "Executing notebook" in log.read_text():
            raise RuntimeError(f"the rebuild executed a notebook (cache miss); see {log}")
    return [
        record("book_build_s", statistics.median(builds), "s"),
        record("book_rebuild_s", statistics.median(rebuilds), "s"),
    ], prime


# --- the live slider -------------------------------------------------------------------------

SLIDER_CELLS = [
    """\
from rnnbook.figures.ch05 import decay_slider
fig = decay_slider()  # chapter 5's w_H decay slider, as the chapter displays it
fig""",
    """\
import json, time
slider = fig.sliders[0]
walk = list(slider.values[slider.index:0:-1]) + list(slider.values)  # down, then all the way up
steps, redraws = [], []
for v in walk[1:]:
    start = time.perf_counter()
    fig.controls["w_h"].value = v  # what one slider step in the browser does
    steps.append(time.perf_counter() - start)
    redraws.append(fig.redraw_seconds)
print(json.dumps({"steps": steps, "redraws": redraws,
                  "continuous": fig.controls["w_h"].continuous_update,
                  "image": "image/png" in fig.output.outputs[0]["data"]}))""",
]


def slider_case():
    """One live step of chapter 5's w_H decay slider, in a real kernel with live widgets."""
    import nbformat
    from nbclient import NotebookClient

    env = os.environ.pop("SLIDERS_STATIC", None)  # the kernel must create the widgets
    try:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in SLIDER_CELLS])
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}
        ).execute()
    finally:
        if env is not None:
            os.environ["SLIDERS_STATIC"] = env
    result = json.loads(nb.cells[1].outputs[0]["text"])
    assert result["image"], "the slider step did not leave a figure in the Output widget"
    info = {
        "steps": len(result["steps"]),
        "continuous_update": result["continuous"],
        "median_redraw_seconds": statistics.median(result["redraws"]),
    }
    return record("slider_update_s", statistics.median(result["steps"]), "s"), info


# --- output ----------------------------------------------------------------------------------


def target_of(case):
    return next((t for prefix, t in TARGETS.items() if case.startswith(prefix)), None)


def rows(records, skipped=None):
    """(case, value, unit, reference, ref. value, ratio, target, met) as strings.

    A case whose value is None was skipped; its reason, from ``skipped``, fills "met".
    """
    out = []
    for r in records:
        ref, target = r["reference_value"], target_of(r["case"])
        if r["value"] is None:
            reason = (skipped or {}).get(r["case"], "not measured")
            met, value, ratio = f"skipped: {reason}", "", ""
        else:
            value = f"{r['value']:.4g}"
            ratio = f"{r['value'] / ref:.3f}" if ref else ""
            met = "" if target is None or (r["reference"] and ref is None) else _met(target, r)
        out.append(
            (
                r["case"],
                value,
                r["unit"],
                r["reference"] or "",
                f"{ref:.4g}" if ref else "",
                ratio,
                target[0] if target else "",
                met,
            )
        )
    return out


def _met(target, record):
    """The target met: "yes" or "NO"; "" for a ratio target without its reference (no torch)."""
    try:
        return "yes" if target[1](record["value"], record["reference_value"]) else "NO"
    except TypeError:  # value / None
        return ""


HEAD = ("case", "value", "unit", "reference", "ref. value", "ratio", "target", "met")


def text_table(records, skipped=None):
    table = [HEAD, *rows(records, skipped)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEAD))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i in (0, 2, 3, 6) else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths))
        )
        for row in table
    )


def markdown(records, env):
    """The README's block: the table and one paragraph on the machine and its load."""
    m = env["machine"]
    lines = ["| " + " | ".join(HEAD) + " |", "|" + " --- |" * len(HEAD)]
    lines += [
        "| " + " | ".join(c.replace("<=", "≤").replace(">=", "≥") for c in row) + " |"
        for row in rows(records, env.get("skipped"))
    ]
    threads = ", ".join(f"{k}={v}" for k, v in m["env"].items())
    lines += [
        "",
        f"Measured by `make bench` on {env['date']}: {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gib']} GiB, {m['os']}; Python {m['python']}, numpy {m['numpy']} "
        f"({m['blas']}, {m['openblas_threads']} threads), torch {env.get('torch') or 'absent'} "
        f"({env.get('torch_threads')} threads). Thread settings: {threads}. "
        f"Load average (1 min) at the start and end of the run: "
        f"{m['load_average_at_start'][0]:.1f}, {m.get('load_average_at_end', [0])[0]:.1f} "
        "(other jobs on the machine slow the multi-threaded cases most).",
    ]
    return "\n".join(lines)


def write_readme(path, records, env):
    text = path.read_text()
    pattern = re.compile(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)", re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{path}: no <!-- bench:start --> ... <!-- bench:end --> markers")
    path.write_text(
        pattern.sub(lambda mt: mt.group(1) + markdown(records, env) + "\n" + mt.group(2), text)
    )


def rnn_records(env, torch_threads):
    """The rnn_fwd_bwd cases; the large one with the GEMM peak and its bound in its turns."""
    records = []
    for size in RNN_SIZES:
        if size != LARGE:
            records.append(rnn_case(*size, torch_threads)[0])
            continue
        # The GEMM peak and the bound's parts are timed in the same turns as the
        # largest case, so that the bound and rnn_core's time saw the same machine load.
        gemm_call, gemm_flops = bound.gemm()
        also = {"gemm": gemm_call, **bound.parts(*size)}
        large, rest = rnn_case(*size, torch_threads, also=list(also.values()))
        records.append(large)
        more, env["rnn_large_bound"] = large_records(
            large["value"], dict(zip(also, rest)), gemm_flops
        )
    return records + more


def memory_record(torch):
    """peak_memory_large_mb: ours, and torch as the reference (see peak_memory.py)."""
    sides = peak_memory(*LARGE, ["ours", "torch"] if torch else ["ours"])
    mb = {side: res["peak_rss_added_mib"] * 2**20 / 1e6 for side, res in sides.items()}
    return record(
        "peak_memory_large_mb", mb["ours"], "MB", "torch" if torch else None, mb.get("torch")
    )


def ensemble_record(env):
    """seed_ensemble_10, or the record of a skipped case while rnn_core.ensemble is missing."""
    result = seed_ensemble.times()
    if result is None:
        env.setdefault("skipped", {})[seed_ensemble.CASE] = seed_ensemble.SKIP
        print(f"{seed_ensemble.CASE}: skipped, {seed_ensemble.SKIP}", file=sys.stderr)
        return record(seed_ensemble.CASE, None, "s", "sequential", None)
    seconds, env["seed_ensemble_accuracy"] = result
    return record(seed_ensemble.CASE, seconds["ensemble"], "s", "sequential", seconds["sequential"])


def chapter_records(repeats=3):
    """chapter_run_<stem>_s for every notebook page of _toc.yml (chapters.py)."""
    return [
        record(f"chapter_run_{stem}_s", seconds, "s")
        for stem, seconds in chapters.chapter_times(repeats).items()
    ]


def page_records(html_dir, env):
    """page_bytes_max_mb and page_longest_task_ms over every page of ``html_dir`` (pages.py)."""
    res = pages.measure_pages(html_dir)
    env["pages"] = res["per_page"]
    return [
        record("page_bytes_max_mb", res["page_bytes_max_mb"], "MB"),
        record("page_longest_task_ms", res["page_longest_task_ms"], "ms"),
    ]


def book_records(args, env):
    """The clean builds and rebuilds, then the pages of the last clean build."""
    records = []
    logs = ROOT / "_build" / "bench_logs"
    logs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        if not args.skip_book:
            book, env["book_cache_prime_s"] = book_cases(Path(tmp), logs)
            records += book
            html = Path(tmp) / "book2" / "_build" / "html"
        else:  # measure the pages of the last `make book`, if there is one
            html = ROOT / "_build" / "html"
        if not args.skip_pages and html.is_dir():
            env["pages_html"] = str(html)
            records += page_records(html, env)
    return records


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readme", type=Path, help="rewrite this README's bench table")
    for name, what in [
        ("book", "no book builds (the pages are read from _build/html if it exists)"),
        ("slider", "no live-kernel slider case"),
        ("chapters", "no chapter_run cases"),
        ("ensemble", "no seed_ensemble_10 case"),
        ("pages", "no page_bytes_max_mb and page_longest_task_ms"),
    ]:
        parser.add_argument(f"--skip-{name}", action="store_true", help=what)
    parser.add_argument(
        "--only-rnn",
        action="store_true",
        help="only the rnn_fwd_bwd cases and the large case's bound; the table is printed, "
        "nothing is written",
    )
    args = parser.parse_args(argv)

    env = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
    try:
        import torch
    except ImportError:  # the book does not depend on torch; the comparison is optional
        torch = None
    threads = env["machine"]["openblas_threads"] or os.cpu_count()
    env["torch"] = torch.__version__ if torch else None
    env["torch_threads"] = threads if torch else None

    if args.only_rnn:
        records = rnn_records(env, env["torch_threads"])
        print(text_table(records))
        print(json.dumps({"machine": env["machine"], **env["rnn_large_bound"]}, indent=2))
        return
    records = [sympy_case(), *rnn_records(env, env["torch_threads"]), linear_grads_case()]
    records.append(memory_record(torch))
    if not args.skip_slider:
        rec, env["slider"] = slider_case()
        records.append(rec)
    if not args.skip_ensemble:
        records.append(ensemble_record(env))
    if not args.skip_chapters:
        records += chapter_records()
    records += book_records(args, env)
    write_outputs(records, env, args.readme)


def write_outputs(records, env, readme=None):
    """_build/bench.json, _build/bench_env.json, the table on stdout and the README's block."""
    env["machine"]["load_average_at_end"] = os.getloadavg()
    out = ROOT / "_build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(records, indent=2) + "\n")
    (ROOT / "_build" / "bench_env.json").write_text(json.dumps(env, indent=2) + "\n")
    print(text_table(records, env.get("skipped")))
    print("\n" + markdown(records, env).split("\n\n", 1)[1])
    if readme:
        write_readme(readme, records, env)
    print(f"wrote {out}" + (f" and {readme}" if readme else ""), file=sys.stderr)


if __name__ == "__main__":
    main()

"""Instructions per skip-gram pair, and per corpus word in each training mode, scalar vs each SIMD path, by callgrind.

Builds bench/kernel_bench (CMake option W2VFAST_BENCH=ON) and runs it under
``valgrind --tool=callgrind --toggle-collect=<the function that runs the steps>``, so only the steps are counted,
not the set-up. Instruction counts do not depend on the machine's load, unlike wall time. Prints Markdown tables:
the skip-gram step of one (centre, context) pair with negative sampling, then, with ``--modes``, each mode's
sentence loop per corpus word (window 5, no subsampling, words drawn by frequency from a Zipf vocabulary).

    python bench/kernel_bench_callgrind.py [--pairs 10000] [--dims 100,300] [--build-dir build/kernel_bench]
    python bench/kernel_bench_callgrind.py --modes sg-ns,sg-shared,cbow-ns,sg-hs,cbow-hs --words 10000 --dims 100

Valgrind (3.19 to 3.22 at least) does not emulate AVX-512: under it the CPU reports no AVX-512, so that path is
listed as not measurable. Counts are instructions, not cycles: a 16-lane instruction counts as one.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATHS = ["scalar", "sse2", "generic", "neon", "avx2", "avx512"]


def build(build_dir):
    cmake = shutil.which("cmake") or os.path.join(os.path.dirname(sys.executable), "cmake")
    configure = [cmake, "-S", ROOT, "-B", build_dir, "-DW2VFAST_BENCH=ON", "-DCMAKE_BUILD_TYPE=Release"]
    if shutil.which("ninja") and not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
        configure += ["-G", "Ninja"]
    subprocess.run(configure, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([cmake, "--build", build_dir, "--target", "kernel_bench"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "kernel_bench")


def instructions(binary, path, dim, steps, vocab, mode="pair"):
    """Instructions (Ir) per step (a pair in mode "pair", else a corpus word) inside the function that runs the
    steps; None when the path cannot run here, with the reason."""
    function, count_flag = ("w2v_bench_run_pairs", "--pairs") if mode == "pair" else ("w2v_bench_run_sentences",
                                                                                       "--words")
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "callgrind.out")
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--toggle-collect={function}", f"--callgrind-out-file={out}",
             binary, "--paths", path, "--dims", str(dim), "--mode", mode, count_flag, str(steps), "--vocab",
             str(vocab)],
            capture_output=True, text=True)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if line.startswith("kernel_bench:")]
            return None, errors[0] if errors else result.stderr.strip()
        with open(out) as counts:
            totals = re.search(r"^(?:totals|summary): (\d+)", counts.read(), re.M)
        return int(totals.group(1)) / steps, ""


def measure(binary, dims, steps, vocab, mode):
    """{path: [instructions per step at each dim]} for the paths this build has, and notes on those it cannot run."""
    rows, notes = {}, {}
    for path in PATHS:
        counts = []
        for dim in dims:
            count, reason = instructions(binary, path, dim, steps, vocab, mode)
            if count is None:
                if "unknown SIMD path" in reason:
                    break  # not in this build (another platform's path)
                notes[path] = f"{path}: {reason.replace('kernel_bench: ', '')} (under valgrind)"
            counts.append(count)
        else:
            rows[path] = counts
    return rows, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10000, help="skip-gram pairs per cell of the first table")
    parser.add_argument("--modes", default="",
                        help="training modes for per-word tables: sg-ns, sg-shared, cbow-ns, sg-hs, cbow-hs")
    parser.add_argument("--words", type=int, default=10000, help="corpus words per cell of the modes' tables")
    parser.add_argument("--dims", default="100,300")
    parser.add_argument("--vocab", type=int, default=10000, help="rows per matrix (counts do not depend on cache)")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build", "kernel_bench"))
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed")
    binary = build(args.build_dir)
    dims = [int(dim) for dim in args.dims.split(",")]
    rows, notes = measure(binary, dims, args.pairs, args.vocab, "pair")
    print_table(rows, dims, "instructions/pair")
    print(f"\n{args.pairs} skip-gram steps (negative 5) per cell, vocabulary {args.vocab}; "
          f"`valgrind --tool=callgrind --toggle-collect=w2v_bench_run_pairs`.")
    for mode in filter(None, args.modes.split(",")):
        mode_rows, mode_notes = measure(binary, dims, args.words, args.vocab, mode)
        notes.update(mode_notes)
        print(f"\n{mode}:\n")
        print_table(mode_rows, dims, "instructions/word")
    if args.modes:
        print(f"\n{args.words} corpus words per cell (sentences of 1,000, window 5, no subsampling), vocabulary "
              f"{args.vocab}; `valgrind --tool=callgrind --toggle-collect=w2v_bench_run_sentences`.")
    for note in notes.values():
        print(f"- {note}")


def print_table(rows, dims, unit):
    print("| path | " + " | ".join(f"{unit}, dim {dim} | scalar / path" for dim in dims) + " |")
    print("|" + "---|" * (1 + 2 * len(dims)))
    scalar = rows.get("scalar")
    for path, counts in rows.items():
        cells = []
        for i, count in enumerate(counts):
            if count is None:
                cells += ["n/a", ""]
            else:
                cells += [f"{count:,.0f}", f"{scalar[i] / count:.2f}x" if scalar and scalar[i] else ""]
        print(f"| {path} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

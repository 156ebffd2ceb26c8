#!/usr/bin/env bash
# Every training mode on a many-core machine, as one prepared run for the lent 16-core machine (which reaches no
# network): each mode at THREADS threads against gensim's corpus_file= mode with as many workers, then w2vfast alone
# at one thread, whose quality is the yardstick at many threads (gensim's file mode raises its learning rate with its
# workers: docs/performance.md, "gensim's learning rate in corpus-file mode"). All of gcide, seeds 1 to REPEATS.
#
# Prepare once, from the repository's root on a machine with pip (the device machine runs Python 3.12):
#
#   mkdir -p bench/.cache && cp ../shared/corpora/gcide.txt.gz bench/.cache/
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#       --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
#       -d .whl gensim==4.4.0 smart_open==9.0.4 wrapt==2.1.2
#
# then run `bash bench/sixteen_cores.sh` there with `.whl` and `bench/.cache/gcide.txt.gz` carried (both are
# ignored by git). It builds w2vfast for that machine's processor outside the checkout, and writes one log per mode
# under $OUT (bench/results/sixteen-cores without it), most wanted first, so that a run cut short still returns the
# modes it finished. About 8 minutes on 16 cores with the defaults. THREADS, REPEATS and MODES override them:
#
#   THREADS=2 REPEATS=1 MODES=cbow-hs bash bench/sixteen_cores.sh     # the same steps on a small machine
set -uo pipefail
cd "$(dirname "$0")/.."
threads=${THREADS:-16}
repeats=${REPEATS:-3}
modes=${MODES:-"cbow-hs sg-hs cbow-ns sg-ns"}
out=${OUT:-bench/results/sixteen-cores}
corpus=bench/.cache/gcide.txt.gz
mkdir -p "$out"
[ -f "$corpus" ] || { echo "no $corpus: copy ../shared/corpora/gcide.txt.gz there first (see the top of $0)"; exit 1; }

if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/bench-site \
    .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/bench-site${PYTHONPATH:+:$PYTHONPATH}
fi
start=$SECONDS
CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) python3 -m pip install -q --no-build-isolation --no-deps --upgrade \
  --target /tmp/w2vfast-site . >"$out/build.log" 2>&1 || { tail -n 40 "$out/build.log"; exit 1; }
export PYTHONPATH=/tmp/w2vfast-site${PYTHONPATH:+:$PYTHONPATH}
echo "== w2vfast built in $((SECONDS - start)) s; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
python3 -c "import gensim, w2vfast; print('== w2vfast from', w2vfast.__file__, '| gensim', gensim.__version__)" || exit 1

for mode in $modes; do
  log="$out/compare-$mode.log"
  python3 bench/compare.py --corpus "$corpus" --mode "$mode" --threads "$threads" --repeats "$repeats" \
    --systems w2vfast,gensim-file >"$log" 2>&1
  python3 bench/compare.py --corpus "$corpus" --mode "$mode" --threads 1 --repeats "$repeats" \
    --systems w2vfast >>"$log" 2>&1
  echo "== $mode, $((SECONDS - start)) s in"
  grep -E '^\| [0-9]+ \| (w2vfast|gensim-file|\*\*w2vfast ÷ gensim-file\*\*) \|' "$log"
done

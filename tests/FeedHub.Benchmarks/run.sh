#!/usr/bin/env bash
# Runs FeedHub's benchmark suite (issue 6) against the Release build and writes
# tests/FeedHub.Benchmarks/results/report.md and report.json.
#   bash tests/FeedHub.Benchmarks/run.sh                 # every scenario (scale builds 10k, 100k, 1M item databases once)
#   bash tests/FeedHub.Benchmarks/run.sh --scenarios ingest,serving --load-seconds 5
# Extra arguments go to the benchmark console (see BenchmarkOptions.cs).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=${FEEDHUB_BENCH_WORK:-${TMPDIR:-/tmp}/feedhub-bench}
shared=${FEEDHUB_SHARED:-$root/../shared}

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk (Debian package)"
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi

mkdir -p "$work"
if [ ! -f "$work/corpus/.done" ]; then
  echo "== generating the standard corpus (200 feeds x 50 items)"
  rm -rf "$work/corpus"
  python3 "$shared/tools/gen-corpus.py" --out "$work/corpus" >/dev/null
  touch "$work/corpus/.done"
fi

echo "== building (Release)"
dotnet build FeedHub.sln -c Release -v quiet -nologo >/dev/null

echo "== running"
dotnet "$root/tests/FeedHub.Benchmarks/bin/Release/net10.0/FeedHub.Benchmarks.dll" \
  --feedhub "$root/src/FeedHub/bin/Release/net10.0/FeedHub.dll" \
  --corpus "$work/corpus" --work "$work" --out "$root/tests/FeedHub.Benchmarks/results" "$@"

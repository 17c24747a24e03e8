#!/usr/bin/env bash
# Runs FeedHub's benchmark suite (issues 6 and 11) against the Release build, prints every row with its baseline
# measured in the same run, and writes tests/FeedHub.Benchmarks/results/report.md and report.json.
#   bash tests/FeedHub.Benchmarks/run.sh                          # the issue 11 rows, about 10 minutes
#   bash tests/FeedHub.Benchmarks/run.sh --scenarios ingest,serving --load-seconds 5
#   bash tests/FeedHub.Benchmarks/run.sh --load-seconds 30 --freshness-samples 60   # a longer run
#   FEEDHUB_BENCH_BIG=1600x50 bash tests/FeedHub.Benchmarks/run.sh --scenarios sustained
#   bash tests/FeedHub.Benchmarks/run.sh --scenarios scale        # issue 6's 10k/100k/1M databases (built once, ~6 min)
#   bash tests/FeedHub.Benchmarks/run.sh --scenarios cluster      # issue 12: 1 node on SQLite, 1 and 3 on a private PostgreSQL
# Extra arguments go to the benchmark console (see BenchmarkOptions.cs).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=${FEEDHUB_BENCH_WORK:-${TMPDIR:-/tmp}/feedhub-bench}
shared=${FEEDHUB_SHARED:-$root/../shared}
big=${FEEDHUB_BENCH_BIG:-800x50}
started=$(date +%s)

# Debian packages: wrk (load generator), nginx (serves the corpora), newsboat (the peer baseline).
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v newsboat >/dev/null 2>&1 || missing+=(newsboat)
# The cluster scenario starts a private PostgreSQL from Debian's binaries (or FEEDHUB_POSTGRES_BIN).
case " $* " in
  *cluster*) [ -n "${FEEDHUB_POSTGRES_BIN:-}" ] || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql) ;;
esac
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
fi
export PATH="$PATH:/usr/sbin"

corpus() { # directory, gen-corpus options...
  local dir=$1
  shift
  if [ ! -f "$dir/.done" ]; then
    echo "== generating $(basename "$dir") (gen-corpus.py $*)"
    rm -rf "$dir"
    python3 "$shared/tools/gen-corpus.py" --out "$dir" "$@" >/dev/null
    touch "$dir/.done"
  fi
}
mkdir -p "$work"
corpus "$work/corpus"
corpus "$work/corpus-$big" --feeds "${big%x*}" --items "${big#*x}"

echo "== building (Release)"
dotnet build FeedHub.sln -c Release -v quiet -nologo >/dev/null
# FeedHub as operators deploy it (README, Deploying): dotnet publish, which precompiles it (ReadyToRun).
dotnet publish src/FeedHub -c Release -o "$work/feedhub" -v quiet -nologo >/dev/null

echo "== running"
dotnet "$root/tests/FeedHub.Benchmarks/bin/Release/net10.0/FeedHub.Benchmarks.dll" \
  --feedhub "$work/feedhub/FeedHub.dll" \
  --corpus "$work/corpus" --big-corpus "$work/corpus-$big" --work "$work" \
  --out "$root/tests/FeedHub.Benchmarks/results" \
  --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')" "$@"
echo "== done in $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s (build and corpus generation included)"

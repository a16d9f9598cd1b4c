#!/usr/bin/env bash
# Two amigo builds scanning one warm aws-sim in turn (A B A B …), for an A/B on a machine whose
# speed drifts: wall, CPU and peak memory of each run, the medians, and the median of the
# pair-by-pair ratios A/B. The simulator is warmed by one scan first (it caches the images it
# has built: a first scan pays for building them, later ones do not) and its buckets are reset
# before every scan.
#
#   Benchmarks/paired-aws-sim.sh BEFORE AFTER ACCOUNTS REGIONS IMAGES [aws_sim args...]
#   PAIRS=7 Benchmarks/paired-aws-sim.sh /tmp/before/amigo .build/release/amigo 20 8 200
#
# Environment: PAIRS (default 7), FORMATS (the reports written, default json), AWS_SIM_DIR
# (default ../shared/aws-sim). A benchmark, not a
# test: tests and CI never use aws-sim (a fresh clone has no ../shared).
set -euo pipefail

if [[ $# -lt 5 ]]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
BEFORE=$1 AFTER=$2 ACCOUNTS=$3 REGIONS=$4 IMAGES=$5
shift 5
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM_DIR=${AWS_SIM_DIR:-$ROOT/../shared/aws-sim}
[[ -f $SIM_DIR/aws_sim.py ]] || { echo "aws-sim not found at $SIM_DIR (set AWS_SIM_DIR)" >&2; exit 2; }
for binary in "$BEFORE" "$AFTER"; do [[ -x $binary ]] || { echo "not an executable: $binary" >&2; exit 2; }; done
PAIRS=${PAIRS:-7}
FORMATS=${FORMATS:-json}

WORK=$(mktemp -d /tmp/amigo-paired.XXXXXX)
SIM_PID=
cleanup() {
    if [[ -n $SIM_PID ]]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=Benchmarks/aws-sim-start.sh
source "$ROOT/Benchmarks/aws-sim-start.sh"
start_aws_sim "$ACCOUNTS" "$REGIONS" "$IMAGES" "$@"

# scan LABEL BINARY: one scan; appends "LABEL wall cpu rss_kb requests throttled" to runs.txt
scan() {
    curl -sf -X POST "http://127.0.0.1:$PORT/_sim/reset" >/dev/null
    rm -rf "$WORK/out" "$WORK/c.sqlite"*
    AWS_ENDPOINT_URL=http://127.0.0.1:$PORT AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_DEFAULT_REGION=us-east-1 AWS_PROFILE='' AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$2" scan --org --regions "$SCAN_REGIONS" \
        --as-of "$AS_OF" --policies "$ROOT/Benchmarks/aws-sim-policies.yml" --format "$FORMATS" \
        --output "$WORK/out" --catalog "$WORK/c.sqlite" --fail-on none >/dev/null 2>"$WORK/amigo.err" \
        || { echo "$2 failed:" >&2; tail -5 "$WORK/amigo.err" >&2; exit 1; }
    read -r wall user sys rss <"$WORK/time.txt"
    stats=$(curl -sf "http://127.0.0.1:$PORT/_sim/stats" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["requests"], s["throttled"])')
    echo "$1 $wall $(python3 -c "print($user + $sys)") $rss $stats" | tee -a "$WORK/runs.txt" >&2
}

scan warm-up "$AFTER"
: >"$WORK/runs.txt"
for _ in $(seq 1 "$PAIRS"); do
    scan A "$AFTER"
    scan B "$BEFORE"
done
python3 - "$WORK/runs.txt" "$BEFORE" "$AFTER" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
runs = {k: [r for r in rows if r[0] == k] for k in "AB"}
print(f"A = {sys.argv[3]}\nB = {sys.argv[2]}\n{len(runs['A'])} pairs, medians:")
for name, col in (("wall s", 1), ("cpu s", 2), ("peak MB", 3)):
    a = [float(r[col]) / (1024 if col == 3 else 1) for r in runs["A"]]
    b = [float(r[col]) / (1024 if col == 3 else 1) for r in runs["B"]]
    ratio = statistics.median(x / y for x, y in zip(a, b))
    print(f"  {name:8} A {statistics.median(a):8.2f}   B {statistics.median(b):8.2f}   A/B {ratio:.3f}")
print("  throttled answers: A", sum(int(r[5]) for r in runs["A"]), " B", sum(int(r[5]) for r in runs["B"]))
PY

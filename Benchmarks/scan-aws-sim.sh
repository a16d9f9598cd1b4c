#!/usr/bin/env bash
# amigo scan --org against aws-sim, the AWS-like simulator in ../shared/aws-sim (latency,
# EC2-style token buckets, optional faults): wall time, CPU, peak memory, requests next to the
# floor, throttled answers, and amigo's findings compared with the simulator's truth.
#
#   Benchmarks/scan-aws-sim.sh ACCOUNTS REGIONS IMAGES [aws_sim args...]
#   Benchmarks/scan-aws-sim.sh 20 8 200
#   Benchmarks/scan-aws-sim.sh 20 8 200 --skew 1.0
#   RUNS=3 Benchmarks/scan-aws-sim.sh 20 8 200 --fault-rate 0.2
#
# Environment: RUNS (default 1; the summary is the median), AWS_SIM_DIR (default
# ../shared/aws-sim), AMIGO_ARGS (extra amigo scan arguments), KEEP=1 keeps the work directory,
# REFERENCE=1 also runs the simulator's Python reference client (floor.py --validate) against
# the same simulator after each amigo run, for figures measured under the same machine load. AMIGO=PATH scans
# with that binary instead of building this checkout (an A/B against an older build).
# A benchmark, not a test: tests and CI never use aws-sim (a fresh clone has no ../shared).
set -euo pipefail

if [[ $# -lt 3 ]]; then
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
ACCOUNTS=$1 REGIONS=$2 IMAGES=$3
shift 3
SIM_ARGS=("$@")

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM_DIR=${AWS_SIM_DIR:-$ROOT/../shared/aws-sim}
if [[ ! -f $SIM_DIR/aws_sim.py || ! -f $SIM_DIR/floor.py ]]; then
    echo "aws-sim not found at $SIM_DIR (set AWS_SIM_DIR): this benchmark needs the simulator" >&2
    echo "from the shared workspace; it is not part of the repository." >&2
    exit 2
fi
RUNS=${RUNS:-1}
cd "$ROOT"

if [[ -z ${AMIGO:-} ]]; then
    echo "building amigo (release)…" >&2
    swift build -c release --product amigo 2>&1 | grep -E "error:|Build complete|Build of product" >&2 || true
    AMIGO=$(swift build -c release --show-bin-path)/amigo
fi
[[ -x $AMIGO ]] || { echo "no release build at $AMIGO" >&2; exit 1; }

WORK=$(mktemp -d /tmp/amigo-aws-sim.XXXXXX)
SIM_PID=
cleanup() {
    if [[ -n $SIM_PID ]]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# shellcheck source=Benchmarks/aws-sim-start.sh
source "$ROOT/Benchmarks/aws-sim-start.sh"
start_aws_sim "$ACCOUNTS" "$REGIONS" "$IMAGES" --stats "$WORK/sim-stats.json" "${SIM_ARGS[@]}"
head -2 "$WORK/sim.log" >&2

# The floor takes the org-shaping arguments only.
FLOOR_ARGS=()
set -- "${SIM_ARGS[@]}"
while [[ $# -gt 0 ]]; do
    case $1 in
        --seed|--skew|--latency|--jitter|--per-item-ms|--throttle-config) FLOOR_ARGS+=("$1" "$2"); shift 2 ;;
        --no-throttle) FLOOR_ARGS+=("$1"); shift ;;
        --*=*) shift ;;
        --fault-rate|--stats|--action-log|--truth|--c7n-accounts|--base-secret|--as-of|--port) shift 2 ;;
        *) shift ;;
    esac
done
python3 "$SIM_DIR/floor.py" --accounts "$ACCOUNTS" --regions "$REGIONS" --images-per-region "$IMAGES" \
    "${FLOOR_ARGS[@]}" --json "$WORK/floor.json" >/dev/null

for run in $(seq 1 "$RUNS"); do
    curl -sf -X POST "http://127.0.0.1:$PORT/_sim/reset" >/dev/null
    rm -rf "$WORK/out" "$WORK/c.sqlite"*
    set +e
    # shellcheck disable=SC2086
    AWS_ENDPOINT_URL=http://127.0.0.1:$PORT AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_DEFAULT_REGION=us-east-1 AWS_PROFILE='' AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        /usr/bin/time -v -o "$WORK/time.txt" "$AMIGO" scan --org --regions "$SCAN_REGIONS" --as-of "$AS_OF" \
        --policies Benchmarks/aws-sim-policies.yml --format json --output "$WORK/out" \
        --catalog "$WORK/c.sqlite" --fail-on none ${AMIGO_ARGS:-} >"$WORK/amigo.out" 2>"$WORK/amigo.err"
    STATUS=$?
    set -e
    curl -sf "http://127.0.0.1:$PORT/_sim/stats" >"$WORK/stats.json"
    if [[ ! -f $WORK/out/findings.json ]]; then
        echo "amigo exited $STATUS without findings:" >&2; tail -20 "$WORK/amigo.err" >&2; exit 1
    fi
    BENCH_DIR="$ROOT/Benchmarks" python3 - "$WORK" "$STATUS" "$run" <<'PY'
import hashlib, json, os, re, sys
work, status, run = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, os.environ["BENCH_DIR"])
from gnu_time import measure
wall, cpu, rss = measure(f"{work}/time.txt")
stats, floor = json.load(open(f"{work}/stats.json")), json.load(open(f"{work}/floor.json"))
# amigo's closing progress line: "collected: … requests N (R/s)", R counted over the collection.
m = re.findall(r"collected:.*requests (\d+) \((\d+)/s\)", open(f"{work}/amigo.err").read())
collect = int(m[-1][0]) / max(1, int(m[-1][1])) if m else float("nan")

# Expected (image, kind) pairs from the truth; amigo's from its findings, by policy id.
expected, truth_images = set(), set()
for line in open(f"{work}/truth.jsonl"):
    row = json.loads(line)
    truth_images.add(row["image_id"])
    expected |= {(row["image_id"], k) for k in row["expected"]}
report = json.load(open(f"{work}/out/findings.json"))
found = {(f["resourceId"], f["policyId"].replace("-", "_")) for f in report["findings"]}
# Identical digests mean identical finding sets (e.g. a run with --fault-rate and one without).
digest = hashlib.sha256("\n".join(sorted(f"{r} {p}" for r, p in found)).encode()).hexdigest()[:16]
outside = {p for p in found if p[0] not in truth_images}   # disabled images: not in the truth
found -= outside
errors = report.get("scanErrors", [])
coverage = report.get("coverage", [])
partial = [c for c in coverage if c["status"] in ("failed", "partial")]
result = {"run": run, "exit": status, "wall_s": wall, "collect_s": collect, "cpu_s": cpu, "rss_mb": rss,
          "requests": stats["requests"], "throttled": stats["throttled"], "faults": stats["faults"],
          "floor_requests": floor["floor_requests"], "floor_wall_s": floor["floor_wall_s"],
          "correct": len(found & expected), "missing": len(expected - found), "extra": len(found - expected),
          "outside_truth": len(outside), "scan_errors": len(errors), "failed_regions": len(partial),
          "digest": digest, "by_action": {k: v["requests"] for k, v in stats["by_action"].items()},
          "throttled_by_action": {k: v["throttled"] for k, v in stats["by_action"].items() if v["throttled"]}}
with open(f"{work}/run-{run}.json", "w") as f:
    json.dump(result, f)
print(f"run {run}: wall {wall:.2f} s (collection {collect:.2f} s)  cpu {cpu:.2f} s  rss {rss:.0f} MB  requests {stats['requests']} "
      f"(floor {floor['floor_requests']})  throttled {stats['throttled']}  faults {stats['faults']}  "
      f"findings correct {result['correct']} missing {result['missing']} extra {result['extra']}  "
      f"scan errors {len(errors)}  digest {digest}  exit {status}", file=sys.stderr)
PY
    # The reference client right after each amigo run: both see the same machine drift.
    if [[ ${REFERENCE:-0} == 1 ]]; then
        curl -sf -X POST "http://127.0.0.1:$PORT/_sim/reset" >/dev/null
        python3 "$SIM_DIR/floor.py" --accounts "$ACCOUNTS" --regions "$REGIONS" --images-per-region "$IMAGES" \
            "${FLOOR_ARGS[@]}" --validate --endpoint "http://127.0.0.1:$PORT" --json "$WORK/reference-$run.json" >/dev/null \
            || echo "reference client failed" >&2
    fi
done


python3 - "$WORK" "$RUNS" "$ACCOUNTS" "$REGIONS" "$IMAGES" "${SIM_ARGS[*]:-}" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
rs = [json.load(open(f"{work}/run-{i}.json")) for i in range(1, runs + 1)]
med = lambda k: statistics.median(r[k] for r in rs)
r0 = rs[0]
label = f"{sys.argv[3]} accounts × {sys.argv[4]} regions × {sys.argv[5]} images {sys.argv[6]}".strip()
print(f"aws-sim {label} — median of {runs} run(s)")
print(f"  wall           {med('wall_s'):.2f} s   (floor {r0['floor_wall_s']} s: {med('wall_s') / r0['floor_wall_s']:.2f}×;"
      f" the whole process: start, collection, evaluation, reports)")
print(f"  collection     {med('collect_s'):.2f} s   ({med('collect_s') / r0['floor_wall_s']:.2f}× the floor)")
print(f"  cpu            {med('cpu_s'):.2f} s (user + system)")
print(f"  peak rss       {med('rss_mb'):.0f} MB")
print(f"  requests       {med('requests'):.0f}   (floor {r0['floor_requests']}, which counts 4 guardrail"
      f" calls per account×region these policies do not need)")
print(f"  throttled      {med('throttled'):.0f}   faults injected {med('faults'):.0f}"
      + (f"   (run 1: {r0['throttled_by_action']})" if r0["throttled_by_action"] else ""))
print(f"  findings       correct {med('correct'):.0f}  missing {med('missing'):.0f}  extra {med('extra'):.0f}"
      f"   (+{med('outside_truth'):.0f} on disabled images, which the truth leaves out)")
print(f"  finding sets   {', '.join(sorted({r['digest'] for r in rs}))} (sha-256 of the sorted image×policy pairs)")
print(f"  scan errors    {med('scan_errors'):.0f}   failed/partial account×regions {med('failed_regions'):.0f}")
print("  by action      " + ", ".join(f"{k.split(':')[1]} {v}" for k, v in sorted(r0["by_action"].items())))
refs = []
for i in range(1, runs + 1):
    try:
        refs.append(json.load(open(f"{work}/reference-{i}.json"))["reference"])
    except FileNotFoundError:
        pass
if refs:
    ref_wall = statistics.median(r["wall_s"] for r in refs)
    ratios = [a["wall_s"] / r["wall_s"] for a, r in zip(rs, refs)]
    walls = ", ".join(f"{r['wall_s']:.2f}" for r in refs)
    print(f"  reference      Python reference client after each run, same simulator: wall {ref_wall:.2f} s median"
          f" ({ref_wall / r0['floor_wall_s']:.2f}× the floor; runs {walls}),"
          f" {refs[0]['requests']} requests, {max(r['throttled'] for r in refs)} throttled at most")
    collect_ratios = [a["collect_s"] / r["wall_s"] for a, r in zip(rs, refs)]
    # The reference's wall is its requests alone (first ListAccounts to last answer): it stores,
    # judges and reports nothing, so amigo's collection is the like-for-like figure.
    print(f"  amigo/reference collection {statistics.median(collect_ratios):.3f}, whole process"
          f" {statistics.median(ratios):.3f} (medians of the run-by-run ratios; the reference's wall is its"
          f" requests alone)")
with open(f"{work}/summary.json", "w") as f:
    json.dump(rs, f, indent=1)
PY

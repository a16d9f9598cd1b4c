#!/usr/bin/env bash
# amigo scan --org against moto: an organisation of 4 accounts (management + 3 members) ×
# 4 regions × 50 images per member region, seeded by scripts/moto/seed_org.py. Prints wall
# time, client CPU, peak memory, requests next to the minimum that organisation needs, and
# findings compared with what the seeder says each image violates (baseline policies).
#
#   Benchmarks/scan-moto.sh                 # RUNS=3 for the median of three scans
#
# moto answers ~150–200 requests/s on one core, so this measures moto more than amigo; use
# Benchmarks/scan-aws-sim.sh for the scanner's own speed. Needs python3 with moto[server]
# and boto3 (scripts/install-deps).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=Benchmarks/wait-for-server.sh
source "$ROOT/Benchmarks/wait-for-server.sh"
RUNS=${RUNS:-1}
MEMBERS=3 IMAGES=50
REGIONS=us-east-1,us-west-2,eu-west-1,ap-southeast-2
python3 -c "import moto.server, boto3" 2>/dev/null || {
    echo "moto[server] and boto3 are needed (scripts/install-deps)" >&2; exit 2; }

echo "building amigo (release)…" >&2
swift build -c release --product amigo 2>&1 | grep -E "error:|Build complete|Build of product" >&2 || true
AMIGO=$(swift build -c release --show-bin-path)/amigo

WORK=$(mktemp -d /tmp/amigo-moto.XXXXXX)
MOTO_PID=
cleanup() {
    if [[ -n $MOTO_PID ]]; then kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

for run in $(seq 1 "$RUNS"); do
    # A fresh moto each run: its organisation cannot be created twice.
    if [[ -n $MOTO_PID ]]; then kill "$MOTO_PID"; wait "$MOTO_PID" 2>/dev/null || true; fi
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    MOTO_EC2_LOAD_DEFAULT_AMIS=false MOTO_AMIS_PATH=scripts/moto/base_amis.json \
        python3 -m moto.server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
    MOTO_PID=$!
    wait_for_server "http://127.0.0.1:$PORT/moto-api/" "$MOTO_PID" "$WORK/moto.log" 300
    AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing python3 scripts/moto/seed_org.py \
        --endpoint "http://127.0.0.1:$PORT" --out "$WORK/seeded.json" --members "$MEMBERS" \
        --regions "$REGIONS" --images-per-region "$IMAGES" --base-amis scripts/moto/base_amis.json 2>/dev/null

    rm -rf "$WORK/out" "$WORK/c.sqlite"*
    set +e
    AWS_ENDPOINT_URL=http://127.0.0.1:$PORT AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        /usr/bin/time -v -o "$WORK/time.txt" "$AMIGO" scan --org --regions "$REGIONS" \
        --format json --output "$WORK/out" --catalog "$WORK/c.sqlite" --fail-on none \
        >"$WORK/amigo.out" 2>"$WORK/amigo.err"
    STATUS=$?
    set -e
    [[ -f $WORK/out/findings.json ]] || { echo "amigo exited $STATUS:" >&2; tail -20 "$WORK/amigo.err" >&2; exit 1; }
    BENCH_DIR="$ROOT/Benchmarks" python3 - "$WORK" "$STATUS" "$run" <<'PY'
import json, os, re, sys
work, status, run = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, os.environ["BENCH_DIR"])
from gnu_time import measure
wall, cpu, rss = measure(f"{work}/time.txt")
err = open(f"{work}/amigo.err").read()
requests = int(re.findall(r"requests (\d+)", err)[-1])
retries = int(re.findall(r"retries (\d+)", err)[-1])

seeded = json.load(open(f"{work}/seeded.json"))
accounts = 1 + len(seeded["members"])
regions = len(seeded["regions"])
images = len(seeded["images"])
# The fewest calls any scanner of this organisation makes: its own identity and the
# organisation, one ListAccounts page, AssumeRole per member, the regions each account may
# use, one DescribeImages page per account×region (moto has no paging), and launch
# permissions per image (the only way to see who an image is shared with).
minimum = 2 + 1 + len(seeded["members"]) + accounts + accounts * regions + images

expected = {(i["imageId"], v) for i in seeded["images"] for v in i["violations"]}
report = json.load(open(f"{work}/out/findings.json"))
found = {(f["resourceId"], f["policyId"]) for f in report["findings"]}
r = {"run": run, "exit": status, "wall_s": wall, "cpu_s": cpu, "rss_mb": rss, "requests": requests,
     "retries": retries, "minimum": minimum, "images": images, "correct": len(found & expected),
     "missing": len(expected - found), "extra": len(found - expected),
     "scan_errors": len(report.get("scanErrors", []))}
json.dump(r, open(f"{work}/run-{run}.json", "w"))
print(f"run {run}: wall {wall:.2f} s  cpu {cpu:.2f} s  rss {rss:.0f} MB  requests {requests} (minimum {minimum}, "
      f"retries {retries})  findings correct {r['correct']} missing {r['missing']} extra {r['extra']}  "
      f"scan errors {r['scan_errors']}  exit {status}", file=sys.stderr)
PY
done

python3 - "$WORK" "$RUNS" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
rs = [json.load(open(f"{work}/run-{i}.json")) for i in range(1, runs + 1)]
med = lambda k: statistics.median(r[k] for r in rs)
print(f"moto 4 accounts × 4 regions × 50 images ({rs[0]['images']} images) — median of {runs} run(s)")
print(f"  wall        {med('wall_s'):.2f} s")
print(f"  client cpu  {med('cpu_s'):.2f} s (user + system)   peak rss {med('rss_mb'):.0f} MB")
print(f"  requests    {med('requests'):.0f}   (minimum {rs[0]['minimum']}; retries {med('retries'):.0f})")
print(f"  findings    correct {med('correct'):.0f}  missing {med('missing'):.0f}  extra {med('extra'):.0f}"
      f"   scan errors {med('scan_errors'):.0f}")
PY

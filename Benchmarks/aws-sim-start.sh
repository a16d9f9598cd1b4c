# shellcheck shell=bash
# Sourced by the aws-sim benchmarks (scan-aws-sim.sh, paired-aws-sim.sh): starts the simulator
# on a free port and reads which organisation it serves. Needs SIM_DIR and WORK; sets PORT,
# SIM_PID (the caller kills it), SCAN_REGIONS and AS_OF.
#
#   start_aws_sim ACCOUNTS REGIONS IMAGES [aws_sim args...]
# shellcheck source=Benchmarks/wait-for-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/wait-for-server.sh"

start_aws_sim() {
    local accounts=$1 regions=$2 images=$3
    shift 3
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    python3 "$SIM_DIR/aws_sim.py" --port "$PORT" --accounts "$accounts" --regions "$regions" \
        --images-per-region "$images" --truth "$WORK/truth.jsonl" "$@" >"$WORK/sim.log" 2>&1 &
    SIM_PID=$!
    # A 1M-image truth takes minutes to write before the simulator listens.
    wait_for_server "http://127.0.0.1:$PORT/_sim/meta" "$SIM_PID" "$WORK/sim.log" 6000
    # The simulator's first N regions and its as-of date, from the truth it wrote (the caller's).
    # shellcheck disable=SC2034
    SCAN_REGIONS=$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["regions"]))' "$WORK/truth.jsonl.meta.json")
    # shellcheck disable=SC2034
    AS_OF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"].replace(".000Z", "Z"))' "$WORK/truth.jsonl.meta.json")
}

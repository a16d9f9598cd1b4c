# Sourced by the aws-sim benchmarks (scan-aws-sim.sh, paired-aws-sim.sh): starts the simulator
# on a free port and reads which organisation it serves. Needs SIM_DIR and WORK; sets PORT,
# SIM_PID (the caller kills it), SCAN_REGIONS and AS_OF.
#
#   start_aws_sim ACCOUNTS REGIONS IMAGES [aws_sim args...]
start_aws_sim() {
    local accounts=$1 regions=$2 images=$3
    shift 3
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    python3 "$SIM_DIR/aws_sim.py" --port "$PORT" --accounts "$accounts" --regions "$regions" \
        --images-per-region "$images" --truth "$WORK/truth.jsonl" "$@" >"$WORK/sim.log" 2>&1 &
    SIM_PID=$!
    # A 1M-image truth takes minutes to write before the simulator listens.
    for _ in $(seq 1 6000); do
        curl -sf "http://127.0.0.1:$PORT/_sim/meta" >/dev/null 2>&1 && break
        kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim.log" >&2; exit 1; }
        sleep 0.1
    done
    # The simulator's first N regions and its as-of date, from the truth it wrote.
    SCAN_REGIONS=$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["regions"]))' "$WORK/truth.jsonl.meta.json")
    AS_OF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"].replace(".000Z", "Z"))' "$WORK/truth.jsonl.meta.json")
}

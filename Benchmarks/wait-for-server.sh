# shellcheck shell=bash
# Sourced by the benchmarks that start a local server (aws-sim, moto).
#
#   wait_for_server URL PID LOG TRIES
# Returns once URL answers, polling every 0.1 s up to TRIES times; if the server's process PID
# has exited, prints its LOG and exits the script.
wait_for_server() {
    local url=$1 pid=$2 log=$3 tries=$4
    for _ in $(seq 1 "$tries"); do
        curl -sf "$url" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.1
    done
}

#!/usr/bin/env bash
# Benchmark simcluster GET and LIST throughput/latency with wrk (Debian package) and write the
# results to stdout in Markdown. Usage: scripts/bench-simcluster.sh [duration-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10}
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
cargo build --release -p ku8portal >/dev/null 2>&1
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${CARGO_TARGET_DIR:-target}"/release/ku8portal simcluster --listen 127.0.0.1:$port --kubeconfig-out "$work/kc" --seed none --no-kubelet >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 50); do [ -f "$work/kc" ] && break; sleep 0.1; done
token=$(sed -n 's/^ *token: //p' "$work/kc")
url=https://127.0.0.1:$port
python3 scripts/bench-seed.py "$work/kc" b1k 1000
python3 scripts/bench-seed.py "$work/kc" b10k 10000
echo "| request | connections | requests/s | latency p50 | latency p99 |"
echo "|---|---:|---:|---:|---:|"
run() { # name path connections
    out=$(wrk -t2 -c"$3" -d"${dur}s" --latency -H "Authorization: Bearer $token" -H "Accept: application/json" "$url$2")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    echo "| $1 | $3 | $rps | $p50 | $p99 |"
}
run "GET one pod" /api/v1/namespaces/b1k/pods/pod-00001 16
run "LIST 1k pods" /api/v1/namespaces/b1k/pods 4
run "LIST 10k pods" /api/v1/namespaces/b10k/pods 4
run "LIST 10k pods, limit=500" "/api/v1/namespaces/b10k/pods?limit=500" 4
run "LIST 10k pods, labelSelector app=app-3" "/api/v1/namespaces/b10k/pods?labelSelector=app%3Dapp-3" 4

#!/usr/bin/env bash
# Scale benchmark of simcluster: NODES nodes, PODS pods (kubelet simulation on) — start-up time,
# time until every pod runs, memory, LIST and WATCH throughput. Prints Markdown.
# Usage: scripts/bench-scale.sh [nodes=300] [pods=30000]
# SIM_EXAMPLE=1 runs simcluster's `scale_server` example instead of `ku8portal simcluster` (no
# portal build needed; it also prints where the heap goes, after the table).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-300}; pods=${2:-30000}; per_ns=1000
target=${CARGO_TARGET_DIR:-target}
if [ -n "${SIM_EXAMPLE:-}" ]; then
    cargo build --release -p simcluster --example scale_server >/dev/null 2>&1
else
    cargo build --release -p ku8portal >/dev/null 2>&1
fi
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
t0=$(date +%s.%N)
if [ -n "${SIM_EXAMPLE:-}" ]; then
    "$target/release/examples/scale_server" "$work/kc" $((nodes - 4)) 127.0.0.1:$port >"$work/log" 2>&1 &
else
    "$target/release/ku8portal" simcluster --listen 127.0.0.1:$port --kubeconfig-out "$work/kc" --seed empty \
        --extra-nodes $((nodes - 4)) --metrics-api >"$work/log" 2>&1 &
fi
pid=$!
until [ -f "$work/kc" ] && curl -skf https://127.0.0.1:$port/readyz >/dev/null; do sleep 0.05; done
t1=$(date +%s.%N)
echo "| measure | value |"
echo "|---|---|"
echo "| start-up until /readyz ($nodes nodes) | $(python3 -c "print(f'{$t1-$t0:.2f} s')") |"
t2=$(date +%s.%N)
nss=$((pods / per_ns))
seq 0 $((nss - 1)) | xargs -P 4 -I{} python3 scripts/bench-seed.py "$work/kc" "scale-{}" $per_ns
t3=$(date +%s.%N)
echo "| create $pods pods through the API (4 clients) | $(python3 -c "print(f'{$t3-$t2:.1f} s, {$pods/($t3-$t2):.0f} pods/s')") |"
running=0; last=-1; still=0
while [ "$running" -lt "$pods" ] && [ $still -lt 30 ]; do   # stop after 30 s without progress
    sleep 1
    running=$(python3 scripts/bench-scale.py "$work/kc" count-running)
    if [ "$running" -eq "$last" ]; then still=$((still + 1)); else still=0; fi
    last=$running
done
t4=$(date +%s.%N)
echo "| pods Running after the last create | $running of $pods after $(python3 -c "print(f'{$t4-$t3:.1f} s')") |"
rss=$(ps -o rss= -p $pid)
echo "| server memory (RSS) | $((rss / 1024)) MiB |"
read -r secs bytes < <(python3 scripts/bench-scale.py "$work/kc" list-all)
echo "| LIST all $pods pods (one request) | $secs s, $((bytes / 1048576)) MiB |"
read -r secs seen < <(python3 scripts/bench-scale.py "$work/kc" watch-initial "$pods")
echo "| WATCH all pods: initial ADDED events | $seen events in $secs s ($(python3 -c "print(f'{$seen/$secs:.0f}')") events/s) |"
token=$(sed -n 's/^ *token: //p' "$work/kc")
w=$(wrk -t2 -c4 -d10s -H "Authorization: Bearer $token" "https://127.0.0.1:$port/api/v1/namespaces/scale-0/pods" | awk '/Requests\/sec/ {print $2}')
echo "| LIST one namespace (1,000 pods), wrk 4 connections | $w requests/s |"
w=$(wrk -t2 -c4 -d10s -H "Authorization: Bearer $token" "https://127.0.0.1:$port/api/v1/pods?limit=500" | awk '/Requests\/sec/ {print $2}')
echo "| LIST all pods with limit=500 (first page), wrk 4 connections | $w requests/s |"
rss=$(ps -o rss= -p $pid)
echo "| server memory (RSS) at the end | $((rss / 1024)) MiB |"
echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${SIM_EXAMPLE:-}" ]; then
    kill -USR1 $pid; sleep 3; cat "$work/log"
fi

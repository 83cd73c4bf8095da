#!/usr/bin/env bash
# Proxy benchmark (issue 5), side by side in one run on the same simcluster: the apiserver
# directly (HTTPS + token), `kubectl proxy` (real kubectl) and the portal's /k8s proxy (HTTP +
# token; it calls the cluster over HTTPS). A 30,000-pod cluster (no kubelet: pods stay Pending,
# which does not matter for reads): tenant `bench` with 20 namespaces × 150 pods, one namespace
# of 1,000 pods, one of 10,000, the rest in namespaces of 1,000. wrk measures latency
# percentiles and requests/s. Prints Markdown.
# Usage: [ROUNDS=5] scripts/bench-proxy.sh [seconds per run=10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
cargo build --release -p ku8portal >/dev/null 2>&1
work=$(mktemp -d)
chmod 0711 "$work"   # the embedded PostgreSQL runs as the postgres user when root
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; sleep 1; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sim=$(free_port); portal=$(free_port); kp=$(free_port)
target/release/ku8portal simcluster --listen 127.0.0.1:$sim --kubeconfig-out "$work/kc" --seed empty \
    --no-kubelet >"$work/sim.log" 2>&1 &
pids+=($!)
until [ -f "$work/kc" ] && curl -skf https://127.0.0.1:$sim/readyz >/dev/null; do sleep 0.05; done
echo "admin-password-1" >"$work/pw"
target/release/ku8portal serve --listen 127.0.0.1:$portal --data-dir "$work/data" --kubeconfig "$work/kc" \
    --admin-password-file "$work/pw" --metrics-interval-seconds 0 >"$work/portal.log" 2>&1 &
portal_pid=$!; pids+=($portal_pid)
until curl -sf http://127.0.0.1:$portal/readyz >/dev/null; do sleep 0.1; done
kubectl proxy --kubeconfig "$work/kc" --port $kp >"$work/kp.log" 2>&1 &
pids+=($!)
read -r admin_token member_token session < <(python3 scripts/bench-proxy.py tenant http://127.0.0.1:$portal admin-password-1 20)
t0=$(date +%s)
seq 0 19 | xargs -P 4 -I{} python3 scripts/bench-seed.py "$work/kc" "bench-{}" 150
python3 scripts/bench-seed.py "$work/kc" list-1k 1000
python3 scripts/bench-seed.py "$work/kc" list-10k 10000 &
big=$!
seq 0 15 | xargs -P 3 -I{} python3 scripts/bench-seed.py "$work/kc" "other-{}" 1000
wait $big
echo "30,000 pods created in $(( $(date +%s) - t0 )) s; CPU: $(nproc) cores"
echo
sim_token=$(sed -n 's/^ *token: //p' "$work/kc")
# wrk: "<p50> <p99> <requests/s>" in ms.
run() { # conns url [headers...]
    local c=$1 url=$2; shift 2
    local args=()
    for h in "$@"; do args+=(-H "$h"); done
    wrk -t1 -c"$c" -d"${secs}s" --latency "${args[@]}" "$url" | python3 scripts/bench-proxy.py wrk
}
direct=https://127.0.0.1:$sim; kproxy=http://127.0.0.1:$kp; viaportal=http://127.0.0.1:$portal/k8s
auth_sim="Authorization: Bearer $sim_token"; auth_admin="Authorization: Bearer $admin_token"
auth_member="Authorization: Bearer $member_token"
table="Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
echo "| request | path | p50 ms | p99 ms | requests/s |"
echo "|---|---|---|---|---|"
row() { local what=$1 path=$2; shift 2; read -r p50 p99 rps rest < <(run "$@"); echo "| $what | $path | $p50 | $p99 | $rps $rest |"; }
one=/api/v1/namespaces/bench-0/pods/pod-00000
# Single-object GETs: ROUNDS rounds (default 5), the paths taking turns within each round so a
# drift of the machine's speed hits them all alike; the medians are printed.
rounds=${ROUNDS:-5}
cookie="Cookie: ku8portal_session=$session"
for _ in $(seq "$rounds"); do
    run 4 "$direct$one" "$auth_sim" >>"$work/g-direct"
    run 4 "$kproxy$one" >>"$work/g-kproxy"
    run 4 "$viaportal$one" "$auth_admin" >>"$work/g-admin"
    run 4 "$viaportal$one" "$auth_member" >>"$work/g-member"
    run 4 "$viaportal$one" "$cookie" >>"$work/g-session"
done
med() { local what=$1 path=$2 f=$3; read -r p50 p99 rps rest < <(python3 scripts/bench-proxy.py median <"$work/$f"); echo "| $what | $path | $p50 | $p99 | $rps $rest |"; }
med "GET one pod (4 connections)" "direct" g-direct
med "GET one pod (4 connections)" "kubectl proxy" g-kproxy
med "GET one pod (4 connections)" "portal, platform admin" g-admin
med "GET one pod (4 connections)" "portal, tenant member (token)" g-member
med "GET one pod (4 connections)" "portal, tenant member (browser session)" g-session
row "GET one pod (1 connection)" "direct" 1 "$direct$one" "$auth_sim"
row "GET one pod (1 connection)" "kubectl proxy" 1 "$kproxy$one"
row "GET one pod (1 connection)" "portal, tenant member" 1 "$viaportal$one" "$auth_member"
l1=/api/v1/namespaces/list-1k/pods
row "LIST 1,000 pods (2 connections)" "direct" 2 "$direct$l1" "$auth_sim"
row "LIST 1,000 pods (2 connections)" "kubectl proxy" 2 "$kproxy$l1"
row "LIST 1,000 pods (2 connections)" "portal, platform admin" 2 "$viaportal$l1" "$auth_admin"
l10=/api/v1/namespaces/list-10k/pods
row "LIST 10,000 pods (1 connection)" "direct" 1 "$direct$l10" "$auth_sim"
row "LIST 10,000 pods (1 connection)" "kubectl proxy" 1 "$kproxy$l10"
row "LIST 10,000 pods (1 connection)" "portal, platform admin" 1 "$viaportal$l10" "$auth_admin"
row "tenant-wide pods, 20 ns / 3,000 of 30,000 (1 conn.)" "portal, tenant member (fan-out)" 1 "$viaportal/api/v1/pods" "$auth_member"
row "same as \`kubectl get pods -A\` (Table, limit=500)" "portal, tenant member (fan-out)" 1 "$viaportal/api/v1/pods?limit=500" "$auth_member" "$table"
row "same, 4 connections" "portal, tenant member (fan-out)" 4 "$viaportal/api/v1/pods" "$auth_member"
echo
echo "Portal memory (RSS) after the runs: $(python3 scripts/bench-proxy.py rss $portal_pid) MiB; simcluster: $(python3 scripts/bench-proxy.py rss ${pids[0]}) MiB"

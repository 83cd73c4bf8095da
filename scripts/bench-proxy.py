#!/usr/bin/env python3
"""Helpers of scripts/bench-proxy.sh (standard library only).

  bench-proxy.py tenant PORTAL ADMIN_PASSWORD NAMESPACES   -> prints "ADMIN_TOKEN MEMBER_TOKEN MEMBER_SESSION"
      creates tenant `bench` with NAMESPACES namespaces (bench-0..), user `member` in it, API
      tokens for the admin and the member and a login session of the member (the cookie value);
      waits until every namespace is in sync.
  bench-proxy.py rss PID                                     -> RSS in MiB
  wrk --latency output on stdin | bench-proxy.py wrk         -> "p50 p99 requests/s" (ms)
  lines of that on stdin | bench-proxy.py median             -> their medians, and the p99 range
"""
import http.client, json, sys, time, urllib.parse


class Portal:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port)
        self.cookie = None

    def call(self, method, path, body=None, expect=(200, 201, 204)):
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        r = self.conn.getresponse()
        data = r.read()
        sc = r.getheader("Set-Cookie")
        if sc:
            self.cookie = sc.split(";", 1)[0]
        if r.status not in expect:
            sys.exit(f"{method} {path}: HTTP {r.status} {data[:300]!r}")
        return json.loads(data) if data else None


def tenant(url, admin_password, n):
    admin = Portal(url)
    admin.call("POST", "/api/v1/auth/login", {"username": "admin", "password": admin_password})
    # Every budget resource a namespace does not name is 0 in its quota: give pods room.
    quota = {"pods": "200", "requests.cpu": "100", "limits.cpu": "200", "requests.memory": "100Gi",
             "limits.memory": "200Gi", "configmaps": "10"}
    budget = {k: str(int(v.rstrip("Gi")) * n) + ("Gi" if v.endswith("Gi") else "") for k, v in quota.items()}
    limits = {"default": {"cpu": "100m", "memory": "64Mi"}, "default_request": {"cpu": "100m", "memory": "64Mi"}}
    admin.call("POST", "/api/v1/tenants", {"name": "bench", "budget": budget})
    for i in range(n):
        admin.call("POST", "/api/v1/tenants/bench/namespaces", {"name": f"bench-{i}", "quota": quota, "limits": limits})
    admin.call("POST", "/api/v1/users", {"username": "member", "password": "member-password-1"})
    admin.call("PUT", "/api/v1/tenants/bench/members/member", {"role": "tenant-member"})
    for _ in range(600):
        nss = admin.call("GET", "/api/v1/tenants/bench/namespaces")
        if len(nss) == n and all(x["sync_state"] == "in-sync" for x in nss):
            break
        time.sleep(0.1)
    else:
        sys.exit("namespaces never got in sync")
    at = admin.call("POST", "/api/v1/me/tokens", {"name": "bench"})["secret"]
    member = Portal(url)
    member.call("POST", "/api/v1/auth/login", {"username": "member", "password": "member-password-1"})
    mt = member.call("POST", "/api/v1/me/tokens", {"name": "bench"})["secret"]
    print(at, mt, member.cookie.split("=", 1)[1])


def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            print(int(line.split()[1]) // 1024)


def wrk():
    import re
    t = sys.stdin.read()

    def ms(label):
        m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
        v, u = float(m.group(1)), m.group(2)
        return v / 1000 if u == "us" else v * 1000 if u == "s" else v

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    extra = f" ({errs.group(1)} errors)" if errs else ""
    print(f"{ms('50'):.2f} {ms('99'):.2f} {rps:.0f}{extra}")


def median():
    """Lines of "<p50> <p99> <rps>" on stdin: the median of each column, and the p99 range."""
    import statistics
    rows = [[float(x) for x in line.split()[:3]] for line in sys.stdin if line.strip()]
    med = [statistics.median(col) for col in zip(*rows)]
    p99s = [r[1] for r in rows]
    print(f"{med[0]:.2f} {med[1]:.2f} {med[2]:.0f} (p99 {min(p99s):.2f}-{max(p99s):.2f} over {len(rows)} runs)")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "tenant":
        tenant(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "rss":
        rss(sys.argv[2])
    elif cmd == "wrk":
        wrk()
    elif cmd == "median":
        median()

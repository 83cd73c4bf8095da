#!/usr/bin/env python3
"""Create N pods in a namespace of a running simcluster (for benchmarks). Standard library only.

usage: bench-seed.py KUBECONFIG NAMESPACE N
"""
import base64, http.client, json, ssl, sys, tempfile, urllib.parse


def load(kubeconfig):
    text = open(kubeconfig).read()
    server = text.split("server: ", 1)[1].split("\n", 1)[0].strip()
    ca = base64.b64decode(text.split("certificate-authority-data: ", 1)[1].split("\n", 1)[0].strip())
    token = text.split("token: ", 1)[1].split("\n", 1)[0].strip()
    return server, ca, token


def main():
    kubeconfig, ns, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    server, ca, token = load(kubeconfig)
    with tempfile.NamedTemporaryFile(suffix=".pem") as f:
        f.write(ca)
        f.flush()
        ctx = ssl.create_default_context(cafile=f.name)
    u = urllib.parse.urlparse(server)
    conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def post(path, body):
        conn.request("POST", path, json.dumps(body), headers)
        r = conn.getresponse()
        r.read()
        return r.status

    post("/api/v1/namespaces", {"metadata": {"name": ns}})
    import time
    for _ in range(50):
        conn.request("GET", f"/api/v1/namespaces/{ns}/serviceaccounts/default", headers=headers)
        r = conn.getresponse(); r.read()
        if r.status == 200:
            break
        time.sleep(0.1)
    for i in range(n):
        body = {"metadata": {"name": f"pod-{i:05d}", "labels": {"app": f"app-{i % 10}"}},
                "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}
        s = post(f"/api/v1/namespaces/{ns}/pods", body)
        if s != 201:
            sys.exit(f"create pod {i}: HTTP {s}")


if __name__ == "__main__":
    main()

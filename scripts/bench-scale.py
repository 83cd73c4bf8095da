#!/usr/bin/env python3
"""Scale benchmark helpers for a running simcluster. Standard library only.

usage: bench-scale.py KUBECONFIG count-running      -> number of Running pods (all namespaces)
       bench-scale.py KUBECONFIG watch-initial N    -> seconds until N initial ADDED pod events arrived
       bench-scale.py KUBECONFIG list-all           -> seconds for one full LIST of all pods, size
"""
import base64, http.client, json, ssl, sys, tempfile, time, urllib.parse


def connect(kubeconfig):
    text = open(kubeconfig).read()
    server = text.split("server: ", 1)[1].split("\n", 1)[0].strip()
    ca = base64.b64decode(text.split("certificate-authority-data: ", 1)[1].split("\n", 1)[0].strip())
    token = text.split("token: ", 1)[1].split("\n", 1)[0].strip()
    f = tempfile.NamedTemporaryFile(suffix=".pem", delete=False)
    f.write(ca)
    f.close()
    ctx = ssl.create_default_context(cafile=f.name)
    u = urllib.parse.urlparse(server)
    return http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=600), {"Authorization": f"Bearer {token}"}


def main():
    kc, what = sys.argv[1], sys.argv[2]
    conn, h = connect(kc)
    if what == "count-running":
        h = dict(h, Accept="application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io")
        conn.request("GET", "/api/v1/pods?fieldSelector=status.phase%3DRunning", headers=h)
        print(len(json.loads(conn.getresponse().read())["items"]))
    elif what == "list-all":
        t = time.monotonic()
        conn.request("GET", "/api/v1/pods", headers=h)
        body = conn.getresponse().read()
        print(f"{time.monotonic() - t:.2f} {len(body)}")
    elif what == "watch-initial":
        n = int(sys.argv[3])
        t = time.monotonic()
        conn.request("GET", "/api/v1/pods?watch=1&timeoutSeconds=600", headers=h)
        r = conn.getresponse()
        seen = 0
        while seen < n:
            line = r.readline()
            if not line:
                break
            seen += 1
        print(f"{time.monotonic() - t:.2f} {seen}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A stub API server that records what kubectl sends (how the *.pb fixtures were captured).

    python3 capture_server.py 18080 /tmp/captured &
    kubectl --server http://127.0.0.1:18080 -n default create namespace foo
    ls /tmp/captured        # 001_POST.bin (the body) and 001_POST.meta.json (path, headers)

Discovery (/api, /apis, resource lists) is served from the golden transcript
/work/shared/k8s-golden/discovery.json; GETs of objects are served from OBJS/<path with / -> _>.json
(e.g. objs/api_v1_namespaces_default_pods_real.json for `kubectl debug real --copy-to=...`);
writes are recorded and answered with a minimal object.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

GOLDEN = json.load(open('/work/shared/k8s-golden/discovery.json'))
STEPS = {s['name']: s for s in GOLDEN['steps']}
OUT = sys.argv[2] if len(sys.argv) > 2 else '/tmp/captured'
OBJS = os.environ.get('OBJS', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'objs'))
COUNT = [0]


def golden(name):
    r = STEPS[name]['response']
    return json.dumps(r['body']).encode(), r['content_type']


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, code, body, ct='application/json'):
        self.send_response(code)
        self.send_header('Content-Type', ct)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split('?')[0]
        aggregated = 'apidiscovery' in self.headers.get('Accept', '')
        if path in ('/api', '/apis'):
            name = {('/api', True): 'aggregated-discovery-core', ('/apis', True): 'aggregated-discovery-apis',
                    ('/api', False): 'core-versions', ('/apis', False): 'group-list'}[(path, aggregated)]
            return self.send(200, *golden(name))
        for name, s in STEPS.items():
            if name.endswith('-resources') and s['request']['path'] == path:
                return self.send(200, *golden(name))
        f = os.path.join(OBJS, path.strip('/').replace('/', '_') + '.json')
        if os.path.exists(f):
            return self.send(200, open(f, 'rb').read())
        self.send(404, b'{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}')

    def record(self):
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        COUNT[0] += 1
        base = os.path.join(OUT, '%03d_%s' % (COUNT[0], self.command))
        open(base + '.bin', 'wb').write(body)
        meta = {'method': self.command, 'path': self.path, 'headers': dict(self.headers)}
        json.dump(meta, open(base + '.meta.json', 'w'), indent=1)
        try:
            obj = json.loads(body)
        except ValueError:
            obj = {'kind': 'Status', 'apiVersion': 'v1'}
        obj.setdefault('metadata', {}).setdefault('name', 'captured')
        self.send(201 if self.command == 'POST' else 200, json.dumps(obj).encode())

    do_POST = do_PUT = do_PATCH = do_DELETE = record


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    HTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()

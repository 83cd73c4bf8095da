// Starts `ku8portal demo` on free ports with its own temporary data folder and waits until it
// is ready; tests find it through E2E_BASE_URL.
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

async function waitReady(base, child, log) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`ku8portal demo exited (${child.exitCode}):\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
    }
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) {
        const login = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST', headers: { 'content-type': 'application/json', origin: base },
          body: JSON.stringify({ username: 'admin', password: 'admin-password' }),
        });
        if (login.ok) return;
      }
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`ku8portal demo did not become ready; see ${log}`);
}

module.exports = async () => {
  if (process.env.E2E_BASE_URL) return; // a portal that is already running
  const root = path.resolve(__dirname, '..');
  const bin = process.env.KU8PORTAL_BIN
    || path.join(process.env.CARGO_TARGET_DIR || path.join(root, 'target'), 'debug', 'ku8portal');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ku8portal-e2e-'));
  fs.chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const [port, simPort] = [await freePort(), await freePort()];
  const log = path.join(dataDir, 'portal.log');
  const out = fs.openSync(log, 'w');
  // 30 more simulated workers: room for the 3,000 pods of workloads-perf.spec.js.
  const extraNodes = process.env.E2E_SIM_EXTRA_NODES || '30';
  const child = spawn(bin, ['demo', '--listen', `127.0.0.1:${port}`, '--sim-listen', `127.0.0.1:${simPort}`, '--data-dir', dataDir,
    '--sim-extra-nodes', extraNodes],
    { stdio: ['ignore', out, out], detached: false, env: { ...process.env, KU8PORTAL_LOG: process.env.KU8PORTAL_LOG || 'warn' } });
  const base = `http://127.0.0.1:${port}`;
  fs.writeFileSync(path.join(__dirname, '.portal.json'), JSON.stringify({ pid: child.pid, dataDir, base }));
  await waitReady(base, child, log);
  process.env.E2E_BASE_URL = base;
  console.log(`ku8portal demo at ${base} (data ${dataDir}, log ${log})`);
};

// The outage banner: a portal of its own (`ku8portal serve` with an embedded PostgreSQL)
// reaches a simulated cluster (`ku8portal simcluster`) through a TCP relay that this spec
// controls. With the relay down the cluster cannot be reached: the layout shows the banner
// with the reason, and the banner goes away once the cluster answers again. (The shared demo
// portal of global-setup.js runs its cluster in-process, so it cannot be taken away.) This
// simulator serves no metrics API: the overview says so above its charts.
const { test, expect } = require('@playwright/test');
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { shot } = require('./helpers');

test.describe.configure({ mode: 'serial' });

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

/** A TCP relay from `port` to `target` that can be taken down (connections refused, open ones cut). */
class Relay {
  constructor(port, target) { this.port = port; this.target = target; this.sockets = new Set(); this.server = null; }

  up() {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', resolve);
    });
  }

  down() {
    const closed = new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.server = null;
    return closed;
  }
}

function start(bin, args, log) {
  const out = fs.openSync(log, 'w');
  return spawn(bin, args, { stdio: ['ignore', out, out], env: { ...process.env, KU8PORTAL_LOG: process.env.KU8PORTAL_LOG || 'warn' } });
}

async function until(what, check, child, log, ms = 180_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
    try { if (await check()) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} not ready; see ${log}`);
}

async function stop(child) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  for (let i = 0; i < 100 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  if (child.exitCode === null) child.kill('SIGKILL');
}

const PASSWORD = 'outage-admin-password';
let dir; let sim; let portal; let relay; let base;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const root = path.resolve(__dirname, '..', '..');
  const bin = process.env.KU8PORTAL_BIN
    || path.join(process.env.CARGO_TARGET_DIR || path.join(root, 'target'), 'debug', 'ku8portal');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ku8portal-outage-'));
  fs.chmodSync(dir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const [simPort, relayPort, port] = [await freePort(), await freePort(), await freePort()];

  const kubeconfig = path.join(dir, 'sim.kubeconfig');
  const simLog = path.join(dir, 'sim.log');
  sim = start(bin, ['simcluster', '--listen', `127.0.0.1:${simPort}`, '--kubeconfig-out', kubeconfig], simLog);
  await until('ku8portal simcluster', () => fs.existsSync(kubeconfig) && fs.statSync(kubeconfig).size > 0, sim, simLog);

  // The portal's kubeconfig names the relay; the simulator's certificate is for 127.0.0.1.
  relay = new Relay(relayPort, simPort);
  await relay.up();
  const viaRelay = path.join(dir, 'portal.kubeconfig');
  const text = fs.readFileSync(kubeconfig, 'utf8');
  expect(text).toContain(`127.0.0.1:${simPort}`);
  fs.writeFileSync(viaRelay, text.replace(`127.0.0.1:${simPort}`, `127.0.0.1:${relayPort}`));

  const log = path.join(dir, 'portal.log');
  base = `http://127.0.0.1:${port}`;
  portal = start(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dir, '--kubeconfig', viaRelay,
    '--admin-password', PASSWORD, '--metrics-interval-seconds', '5'], log);
  await until('ku8portal serve', async () => (await fetch(`${base}/readyz`)).ok, portal, log);
});

test.afterAll(async () => {
  if (relay) await relay.down();
  await stop(portal);
  await stop(sim);
  if (dir && !process.env.E2E_KEEP_DATA) fs.rmSync(dir, { recursive: true, force: true });
});

test('the banner says when the cluster cannot be reached and goes away when it is back', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`${base}/login`);
  await page.locator('#username').fill('admin');
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await expect(page.getByTestId('capacity')).toBeVisible();
  const banner = page.getByTestId('outage-banner');
  await expect(banner).toHaveCount(0);

  // No metrics API in this cluster: once the collector has found out, the overview says so
  // above the charts (which draw their own notice).
  await expect.poll(async () => (await (await page.request.get(`${base}/api/v1/metrics/status`)).json()).metrics_api,
    { timeout: 30_000 }).toBe(false);
  await page.reload();
  await expect(page.getByTestId('overview-charts').getByTestId('metrics-notice'))
    .toContainText('Metrics API not available in this cluster');
  await expect(page.getByTestId('overview-charts').locator('img.chart')).toHaveCount(3);
  await shot(page, 'overview-no-metrics-api');

  // The cluster goes away: the next /readyz poll (every 15 s) reports it with the reason.
  await relay.down();
  const ready = await (await fetch(`${base}/readyz`)).json();
  expect(ready.ready).toBe(false);
  expect(ready.database).toBe('ok');
  await expect(banner).toBeVisible({ timeout: 40_000 });
  // The label and the reason (the server's "the cluster is unreachable: " is not repeated).
  await expect(banner).toHaveText(/^Cluster unreachable: \S/);
  await expect(banner).not.toContainText('is unreachable');
  await expect(banner).not.toContainText('Database unreachable');
  await shot(page, 'outage-banner');

  // The cluster is back: the banner goes.
  await relay.up();
  await expect.poll(async () => (await fetch(`${base}/readyz`)).status, { timeout: 20_000 }).toBe(200);
  await expect(banner).toHaveCount(0, { timeout: 40_000 });
  await expect(page.getByTestId('capacity')).toBeVisible();
  await shot(page, 'outage-recovered');
});

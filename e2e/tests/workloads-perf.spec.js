// Measurement for docs/benchmarks.md (printed, and saved to screenshots/benchmarks-pods.json):
// a Pods list of 3,000 live pods (one deployment, created by the operator through the proxy).
// Time from clicking the Pods tab to the first rows, the rows kept in the DOM (virtualized),
// and frame times while scrolling through the whole list with requestAnimationFrame.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { base, shot, login, SHOTS } = require('./helpers');

const PODS = Number(process.env.E2E_PODS || 3000);
const NS = 'perf-pods';

async function k8s(request, method, url, body) {
  const r = await request.fetch(`${base()}/k8s${url}`, {
    method,
    headers: { 'content-type': 'application/json', origin: base() },
    data: body ? JSON.stringify(body) : undefined,
  });
  if (r.status() >= 300 && r.status() !== 409) throw new Error(`${method} ${url}: ${r.status()} ${await r.text()}`);
  return r.status() < 300 ? r.json() : null;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

test(`a Pods list of ${PODS} live pods stays responsive`, async ({ page }) => {
  test.setTimeout(300_000);
  await login(page, 'admin', 'admin-password');
  const req = page.context().request;
  await k8s(req, 'POST', '/api/v1/namespaces', { metadata: { name: NS } });
  await k8s(req, 'POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
    metadata: { name: 'many' },
    spec: {
      replicas: PODS,
      selector: { matchLabels: { app: 'many' } },
      template: { metadata: { labels: { app: 'many' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
    },
  });
  const created = Date.now();
  for (;;) {
    const list = await k8s(req, 'GET', `/api/v1/namespaces/${NS}/pods`);
    if (list.items.length >= PODS) break;
    expect(Date.now() - created).toBeLessThan(180_000);
    await new Promise((r) => setTimeout(r, 2000));
  }
  const createdMs = Date.now() - created;

  const firstRender = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${base()}/ns/${NS}/configmaps`);
    await expect(page.locator('.kindtabs')).toBeVisible();
    const t0 = Date.now();
    await page.locator('.kindtabs a', { hasText: 'Pods' }).click();
    await expect(page.locator('[data-testid=rows] tbody tr[data-name]').first()).toBeVisible({ timeout: 30_000 });
    firstRender.push(Date.now() - t0);
  }
  await expect(page.getByTestId('wl-count')).toContainText(`${PODS} of ${PODS}`);
  const domRows = await page.locator('[data-testid=rows] tbody tr[data-name]').count();

  // Scroll the whole list, 600 px per frame, recording every frame's duration.
  const frames = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid=rows]');
    const times = [];
    let last = performance.now();
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 2) {
      el.scrollTop += 600;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    return times;
  });
  await expect(page.locator('[data-testid=rows] tbody tr[data-name]').last()).toBeVisible();
  await shot(page, 'workloads-pods-3000');
  const sorted = [...frames].sort((a, b) => a - b);
  // Sorting 3,000 rows by a column and filtering them.
  const t1 = Date.now();
  await page.locator('[data-testid=rows] th button', { hasText: 'Restarts' }).click();
  await expect(page.locator('[data-testid=rows] th[aria-sort=ascending]')).toBeVisible();
  const sortMs = Date.now() - t1;
  const t2 = Date.now();
  await page.getByTestId('wl-filter').fill('many-');
  await expect(page.getByTestId('wl-count')).toContainText(`of ${PODS}`);
  const filterMs = Date.now() - t2;

  const result = {
    pods: PODS,
    pods_created_ms: createdMs,
    first_render_ms: firstRender,
    first_render_median_ms: [...firstRender].sort((a, b) => a - b)[1],
    dom_rows: domRows,
    scroll_frames: frames.length,
    frame_ms_median: Number(pct(sorted, 0.5).toFixed(1)),
    frame_ms_p95: Number(pct(sorted, 0.95).toFixed(1)),
    frame_ms_max: Number(sorted[sorted.length - 1].toFixed(1)),
    sort_ms: sortMs,
    filter_ms: filterMs,
  };
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, 'benchmarks-pods.json'), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  expect(domRows).toBeLessThan(100); // virtualized: only the rows in view
  expect(frames.length).toBeGreaterThan(100);
  expect(result.frame_ms_p95).toBeLessThan(100);
  await k8s(req, 'DELETE', `/api/v1/namespaces/${NS}`);
});

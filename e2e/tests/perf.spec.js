// Measurements for docs/benchmarks.md (printed, and saved to screenshots/benchmarks.json):
// the login page's first load in bytes over the wire (cache disabled), and login → overview
// interactive, median of 5. Budgets from the issue: ≤ 400 KB and < 1 s.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { base, SHOTS } = require('./helpers');

test('login page first load and login → overview time', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const responses = new Map();
  const finished = [];
  let bytes = 0;
  cdp.on('Network.responseReceived', (e) => responses.set(e.requestId, e.response));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    const r = responses.get(e.requestId) || { url: 'about:unknown', headers: {} };
    finished.push({ ...r, bytes: e.encodedDataLength });
  });
  const started = Date.now();
  await page.goto(`${base()}/login`);
  await expect(page.locator('#username')).toBeVisible();
  const loginVisibleMs = Date.now() - started;
  await page.waitForLoadState('networkidle');
  const firstLoadBytes = bytes;
  const files = finished.map((r) => ({
    url: new URL(r.url).pathname, bytes: r.bytes, encoding: r.headers['content-encoding'] || r.headers['Content-Encoding'] || 'identity',
  }));
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });

  const times = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(`${base()}/login`);
    await page.locator('#username').fill('alice');
    await page.locator('#password').fill('demo-password');
    const t0 = Date.now();
    await page.locator('button[type=submit]').click();
    await expect(page.getByTestId('budget-use')).toBeVisible();
    times.push(Date.now() - t0);
    await page.getByTestId('logout').click();
    await expect(page.locator('#username')).toBeVisible();
  }
  times.sort((a, b) => a - b);
  const result = {
    login_first_load_bytes: firstLoadBytes,
    login_first_load_files: files,
    login_page_visible_ms: loginVisibleMs,
    login_to_overview_ms: times,
    login_to_overview_median_ms: times[2],
  };
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, 'benchmarks.json'), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  // The budget: 400 KB. The login page loads the main module only; every other page
  // is a lazily loaded chunk (scripts/build-frontend.sh), fetched on first visit.
  expect(firstLoadBytes).toBeLessThan(400 * 1000);
  expect(files.some((f) => /\/static\/app-[0-9a-f]+\/ku8portal_bg\.wasm$/.test(f.url))).toBe(true);
  expect(times[2]).toBeLessThan(1000);
  await context.close();
});

// Helpers the browser tests share: the portal's address, logging in through the page, saving
// screenshots into e2e/screenshots, and a few API calls for setup.
const fs = require('fs');
const path = require('path');
const { expect } = require('@playwright/test');

const base = () => process.env.E2E_BASE_URL;
const SHOTS = path.join(__dirname, '..', 'screenshots');

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits until the page shows what it loaded: no loading state left in the main area and
 * every chart image drawn (so screenshots never show "Loading…"). */
async function settled(page) {
  await expect(page.locator('main#main')).toBeVisible();
  await expect(page.locator('main#main .loading')).toHaveCount(0, { timeout: 30_000 });
  await page.waitForFunction(
    () => [...document.querySelectorAll('img.chart')].every((i) => i.complete && i.naturalWidth > 0),
    null, { timeout: 30_000 },
  );
}

/** Waits until the metrics series `query` (of /api/v1/metrics/series) has two points in each
 * series (a chart draws lines, not "No data yet"), then reloads the page without the browser's
 * cache (the charts it showed before are cached for an interval). */
async function collected(page, query) {
  const points = async () => {
    const r = await page.request.get(`${base()}/api/v1/metrics/series?${query}`);
    if (!r.ok()) return 0;
    return Math.min(...(await r.json()).series.map((s) => s.points.length));
  };
  await expect.poll(points, { timeout: 90_000, intervals: [2_000] }).toBeGreaterThanOrEqual(2);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.reload(); // the cache stays off for this page: the charts load after the reload
}

/** Logs in through the login page and waits for the overview. */
async function login(page, username, password = 'demo-password') {
  await page.goto(`${base()}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('button[type=submit]').click();
  await expect(page.locator('main#main')).toBeVisible();
}

/** A fresh browser context (its own cookies) logged in as `username`. */
async function loginAs(browser, username, password) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, username, password);
  return { context, page };
}

/** Fills the quota editor's input of `resource`. */
async function setQuota(page, resource, value) {
  await page.locator(`[data-testid=quota-editor] input[data-resource="${resource}"]`).fill(value);
}

module.exports = { base, shot, settled, collected, login, loginAs, setQuota, SHOTS };

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

/** Waits until the metrics collector has run twice (so the charts have points to draw). */
async function collected(page) {
  const status = async () => (await (await page.request.get(`${base()}/api/v1/metrics/status`)).json()).last_cycle_at;
  await expect.poll(status, { timeout: 40_000 }).not.toBeNull();
  const first = await status();
  await expect.poll(status, { timeout: 40_000 }).not.toBe(first);
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

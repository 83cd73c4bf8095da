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

module.exports = { base, shot, login, loginAs, setQuota, SHOTS };

// The dashboards in the browser: the operator sees the resource pool, cluster history,
// rankings, applications, tenants' quota use and node history as server-drawn SVG charts with
// tables; the range picker is a deep link; Chinese works; a tenant admin sees the tenant view
// and nothing of the cluster. Screenshots: dashboards-operator(-zh), dashboards-tenant.
const { test, expect } = require('@playwright/test');
const path = require('path');
const { base, shot, loginAs, SHOTS } = require('./helpers');

/** A screenshot of one chart (`src` matching `re`). */
async function chartShot(page, re, name) {
  const img = page.locator('img.chart').filter({ has: page.locator('xpath=self::*') });
  const all = await img.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  const i = all.findIndex((s) => re.test(s));
  expect(i, `a chart matching ${re} in ${all}`).toBeGreaterThanOrEqual(0);
  await img.nth(i).screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

test.describe.configure({ mode: 'serial' });

/** Waits until the collector has run twice (so lines have two points), then until every
 *  chart image on the page has loaded. */
async function waitForData(page) {
  const status = async () => (await (await page.request.get(`${base()}/api/v1/metrics/status`)).json()).last_cycle_at;
  await expect.poll(status, { timeout: 40_000 }).not.toBeNull();
  const first = await status();
  await expect.poll(status, { timeout: 40_000 }).not.toBe(first);
}

async function chartsLoaded(page, atLeast) {
  await expect.poll(() => page.$$eval('img.chart', (imgs) => imgs.length), { timeout: 20_000 }).toBeGreaterThanOrEqual(atLeast);
  await expect.poll(() => page.$$eval('img.chart',
    (imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0)), { timeout: 20_000 }).toBe(true);
}

test('operator dashboards: pool, history, rankings, applications, quotas, nodes', async ({ browser }) => {
  const { context, page } = await loginAs(browser, 'admin', 'admin-password');
  await waitForData(page);
  await page.locator('nav.sidenav').getByText('Dashboards').click();
  await expect(page).toHaveURL(/\/dashboards$/);
  for (const id of ['pool', 'cluster-history', 'rankings', 'apps', 'quota-history', 'node-history']) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  await expect(page.getByTestId('pool-table')).toContainText('Whole cluster');
  await expect(page.getByTestId('ranking-table').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('apps-table')).toContainText('/');
  await chartsLoaded(page, 10);
  await shot(page, 'dashboards-operator');
  await chartShot(page, /pool\.svg\?lang/, 'chart-pool');
  await chartShot(page, /top\.svg/, 'chart-top');
  await chartShot(page, /apps\.svg/, 'chart-apps');
  await chartShot(page, /scope=cluster&metric=cpu/, 'chart-cluster-cpu');

  // The range and the ranking's scope are deep links; the charts follow them.
  await page.getByTestId('range-picker').getByRole('button', { name: '6 hours' }).click();
  await expect(page).toHaveURL(/range=6h/);
  await page.locator('#dash-by').selectOption('tenant');
  await expect(page).toHaveURL(/by=tenant/);
  await expect(page.locator('img.chart[src*="top.svg"]')).toHaveAttribute('src', /scope=tenant.*window=6h/);
  await expect(page.locator('img.chart[src*="scope=cluster"]').first()).toHaveAttribute('src', /range=6h/);
  await page.reload();
  await expect(page.locator('#dash-by')).toHaveValue('tenant');
  await chartsLoaded(page, 10);

  // 简体中文: the page and the charts.
  await page.evaluate(() => localStorage.setItem('ku8portal.lang', 'zh-CN'));
  await page.goto(`${base()}/dashboards?range=1h&by=namespace`);
  await expect(page.locator('h1')).toHaveText('仪表盘');
  await expect(page.locator('img.chart').first()).toHaveAttribute('src', /lang=zh/);
  await chartsLoaded(page, 10);
  await shot(page, 'dashboards-operator-zh');
  await chartShot(page, /pool\.svg\?by=node&resource=memory/, 'chart-pool-nodes-zh');
  await page.evaluate(() => localStorage.setItem('ku8portal.lang', 'en'));
  await context.close();
});

test('tenant admin dashboards: own quotas, namespaces, rankings and applications only', async ({ browser }) => {
  const { context, page } = await loginAs(browser, 'alice');
  await page.goto(`${base()}/dashboards?range=1h`);
  for (const id of ['quota-history', 'ns-history', 'rankings', 'apps']) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  await expect(page.getByTestId('pool')).toHaveCount(0);
  await expect(page.getByTestId('quota-history')).toContainText('acme');
  await chartsLoaded(page, 7);
  const rows = page.getByTestId('ranking-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('ranking-table')).not.toContainText('globex');
  await expect(page.getByTestId('apps-table')).not.toContainText('globex');
  // The server refuses what the tenant may not see, whatever the URL says.
  const pool = await page.request.get(`${base()}/api/v1/metrics/charts/pool.svg`);
  expect(pool.status()).toBe(403);
  await shot(page, 'dashboards-tenant');
  await chartShot(page, /scope=tenant/, 'chart-tenant-quota');
  await context.close();
});

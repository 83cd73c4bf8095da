// The login page: an error a user can act on, the language switch (remembered), the
// simulated-cluster marker, logging out.
const { test, expect } = require('@playwright/test');
const { base, shot, settled, collected, login } = require('./helpers');

test('wrong password is explained and the right one signs in', async ({ page }) => {
  test.setTimeout(150_000); // the overview's 6-hour charts need points in two different minutes
  await page.goto(`${base()}/`);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId('sim-marker')).toBeVisible();
  await page.locator('#username').fill('alice');
  await page.locator('#password').fill('not-her-password');
  await page.locator('button[type=submit]').click();
  await expect(page.getByTestId('login-error')).toContainText('Wrong user name or password');
  await shot(page, 'login-wrong-password');
  await page.locator('#password').fill('demo-password');
  await page.locator('button[type=submit]').click();
  await expect(page.locator('main#main h1')).toContainText('acme');
  await expect(page.getByTestId('sim-marker')).toBeVisible();
  // The tenant's overview: budget use, workloads by state, budget use over time, recent events.
  await expect(page.getByTestId('budget-use')).toBeVisible();
  await expect(page.getByTestId('workload-states').locator('[data-kind=pods] [data-state=running] .n'))
    .not.toHaveText('0');
  await expect(page.getByTestId('budget-chart').locator('img.chart')).toHaveCount(2);
  await expect(page.getByTestId('recent-events').locator('[data-testid=event-table] tbody tr').first()).toBeVisible();
  await collected(page, 'scope=tenant&name=acme&metric=quota.used/requests.cpu,quota.used/requests.memory&range=6h');
  await settled(page);
  await shot(page, 'overview-tenant-admin');
  // An event's object links to its page.
  const link = page.getByTestId('recent-events').locator('tbody td.mono a').first();
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/(ns\/[a-z0-9-]+\/[a-z]+\/|nodes\/)/);
  // The navigation marks the section on deep paths too.
  const current = page.locator('nav.sidenav a[aria-current=page]');
  await expect(current).toHaveText('Overview');
  await page.goto(`${base()}/ns/shop/deployments`);
  await expect(current).toHaveText('Workloads');
  await page.goto(`${base()}/tenants/acme/namespaces/shop`);
  await expect(current).toHaveText('Namespaces');
  await page.goto(`${base()}/tenants/acme`);
  await expect(current).toHaveText('My tenant');
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);
});

test('language switch translates the app and is remembered', async ({ page }) => {
  await page.goto(`${base()}/login`);
  await page.getByTestId('lang-switch').selectOption('zh-CN');
  await expect(page.locator('label[for=username]')).toHaveText('用户名');
  await page.reload();
  await expect(page.locator('label[for=username]')).toHaveText('用户名');
  await expect(page.getByTestId('sim-marker')).toHaveText('模拟集群');
  await shot(page, 'login-zh');
  await login(page, 'admin', 'admin-password');
  await expect(page.locator('nav.sidenav')).toContainText('租户');
  await expect(page.locator('nav.sidenav')).toContainText('审计日志');
  await expect(page.getByTestId('capacity')).toContainText('容量与承诺');
  await expect(page.getByTestId('recent-warnings')).toContainText('最近的警告');
  await settled(page);
  await shot(page, 'overview-operator-zh');
  await page.getByTestId('lang-switch').selectOption('en');
  await expect(page.locator('nav.sidenav')).toContainText('Audit log');
});

test('navigation shows only what the role may do', async ({ page }) => {
  await login(page, 'carol'); // viewer of acme
  const nav = page.locator('nav.sidenav');
  await expect(nav).toContainText('Namespaces');
  await expect(nav).not.toContainText('Audit log');
  await expect(nav).not.toContainText('Users');
  await expect(nav).not.toContainText('Tenants');
  await settled(page);
  await shot(page, 'overview-viewer');
});

// The tenancy story in the browser: an operator creates a tenant with a budget and a tenant
// admin; the tenant admin creates a namespace within the budget, is refused beyond it with the
// server's message, asks for more; the operator approves; another tenant sees none of it.
const { test, expect } = require('@playwright/test');
const { base, shot, settled, collected, login, loginAs, setQuota } = require('./helpers');

test.describe.configure({ mode: 'serial' });

const TENANT = 'e2e-corp';
const ADMIN = 'tina';
const PASSWORD = 'tina-password-1';

test('operator creates a tenant with a budget and a tenant admin', async ({ page }) => {
  test.setTimeout(150_000); // the overview's 6-hour charts need points in two different minutes
  await login(page, 'admin', 'admin-password');
  await expect(page.getByTestId('capacity')).toBeVisible();
  // Recent warnings of the whole cluster (or the empty state) and the cluster's charts.
  await expect(page.getByTestId('recent-warnings').locator('[data-testid=event-table], .empty')).toBeVisible();
  await expect(page.getByTestId('overview-charts').locator('img.chart')).toHaveCount(3);
  await expect(page.getByTestId('overview-charts').locator('a[href^="/dashboards"]')).toBeVisible();
  await collected(page, 'scope=cluster&metric=cpu,memory&range=6h');
  await settled(page);
  await shot(page, 'overview-operator');

  await page.locator('nav.sidenav').getByText('Users').click();
  await page.locator('#u-name').fill(ADMIN);
  await page.locator('#u-display').fill('Tina Tenant');
  await page.locator('#u-pass').fill(PASSWORD);
  await page.getByTestId('user-create').locator('button[type=submit]').click();
  await expect(page.locator(`tr[data-user=${ADMIN}]`)).toBeVisible();

  await page.locator('nav.sidenav').getByText('Tenants').click();
  await page.getByRole('button', { name: 'New tenant' }).click();
  await page.locator('#tn-name').fill(TENANT);
  await page.locator('#tn-display').fill('E2E Corporation');
  await setQuota(page, 'requests.cpu', '4');
  await setQuota(page, 'limits.cpu', '8');
  await setQuota(page, 'requests.memory', '8Gi');
  await setQuota(page, 'limits.memory', '8Gi');
  await setQuota(page, 'pods', '20');
  await shot(page, 'tenant-create');
  await page.getByTestId('tenant-create').locator('button[type=submit]').click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${TENANT}$`));

  const members = page.getByTestId('members');
  await members.locator('#m-user').fill(ADMIN);
  await members.locator('#m-role').selectOption('tenant-admin');
  await members.getByRole('button', { name: 'Add member' }).click();
  await expect(members.locator(`tr[data-member=${ADMIN}]`)).toBeVisible();
  await shot(page, 'tenant-page-operator');
});

test('tenant admin creates a namespace within budget and is refused beyond it', async ({ browser }) => {
  const { context, page } = await loginAs(browser, ADMIN, PASSWORD);
  await expect(page.getByTestId('budget-use')).toBeVisible();
  await page.goto(`${base()}/tenants/${TENANT}/namespaces/new`);
  await page.locator('#ns-name').fill('e2e-web');
  await setQuota(page, 'requests.cpu', '3');
  await expect(page.locator('.quota-grid .left').first()).toContainText('1 left');
  await setQuota(page, 'requests.cpu', '2');
  await setQuota(page, 'requests.memory', '4Gi');
  await setQuota(page, 'pods', '10');
  await shot(page, 'namespace-create');
  await page.getByTestId('ns-create').locator('button[type=submit]').click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${TENANT}/namespaces/e2e-web$`));
  await expect(page.locator('.pagehead [data-state]')).toHaveAttribute('data-state', 'in-sync', { timeout: 30_000 });
  await shot(page, 'namespace-detail');

  await page.goto(`${base()}/tenants/${TENANT}/namespaces/new`);
  await page.locator('#ns-name').fill('e2e-big');
  await setQuota(page, 'requests.cpu', '3');
  await expect(page.locator('[data-testid=quota-editor] .left.bad').first()).toContainText('over the budget');
  await page.getByTestId('ns-create').locator('button[type=submit]').click();
  const refusal = page.getByTestId('ns-create').locator('.alert.error');
  await expect(refusal).toContainText('budget');
  await shot(page, 'namespace-refused');

  await page.goto(`${base()}/quota-requests/new?tenant=${TENANT}`);
  await setQuota(page, 'requests.cpu', '8');
  await page.locator('#qr-reason').fill('e2e-big needs 3 cores for the load test');
  await page.getByTestId('qr-form').locator('button[type=submit]').click();
  await expect(page.getByTestId('qr-detail')).toContainText('requests.cpu=8');
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'pending');
  await shot(page, 'quota-request-filed');
  await context.close();
});

test('operator approves the request and the tenant can use it', async ({ page, browser }) => {
  await login(page, 'admin', 'admin-password');
  await page.goto(`${base()}/quota-requests?status=pending`);
  const row = page.locator('tr[data-request]', { hasText: TENANT });
  await row.getByRole('link').click();
  await expect(page.getByTestId('qr-decide')).toBeVisible();
  await shot(page, 'quota-request-decide');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'approved');

  const { context, page: tina } = await loginAs(browser, ADMIN, PASSWORD);
  await tina.goto(`${base()}/tenants/${TENANT}/namespaces/new`);
  await tina.locator('#ns-name').fill('e2e-big');
  await setQuota(tina, 'requests.cpu', '3');
  await expect(tina.locator('.quota-grid .left').first()).toContainText('3 left');
  await tina.getByTestId('ns-create').locator('button[type=submit]').click();
  await expect(tina).toHaveURL(new RegExp(`/namespaces/e2e-big$`));
  await tina.goto(`${base()}/namespaces`);
  await expect(tina.locator('tr[data-namespace=e2e-web]')).toBeVisible();
  await expect(tina.locator('tr[data-namespace=e2e-big]')).toBeVisible();
  await shot(tina, 'namespaces-list');
  await context.close();

  await page.goto(`${base()}/audit?tenant=${TENANT}`);
  const audit = page.getByTestId('audit-table');
  await expect(audit).toContainText('quota-request.approve');
  await expect(audit).toContainText('namespace.create');
  await shot(page, 'audit');
});

test('another tenant sees none of it', async ({ page }) => {
  await login(page, 'heidi'); // member of globex
  await page.goto(`${base()}/namespaces`);
  await expect(page.locator('table tr[data-namespace]').first()).toBeVisible();
  await expect(page.locator('tr[data-namespace=e2e-web]')).toHaveCount(0);
  await page.goto(`${base()}/tenants/${TENANT}/namespaces/e2e-web`);
  await expect(page.locator('.alert.error')).toBeVisible();
  await page.goto(`${base()}/quota-requests`);
  await expect(page.locator('main')).not.toContainText(TENANT);
  await shot(page, 'other-tenant');
});

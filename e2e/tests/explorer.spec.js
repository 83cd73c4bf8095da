// The API explorer: a member of acme (bob) finds the demo's custom resource group
// (ops.example.com, seeded with a BackupSchedule in the shop namespace), lists its objects,
// narrows to one namespace and opens the object's YAML; a cluster-scoped resource shows the
// proxy's refusal where it happens; a member of globex (heidi) does not see the object and
// gets the proxy's Forbidden on a deep link; the explorer in Chinese.
const { test, expect } = require('@playwright/test');
const { base, shot, loginAs } = require('./helpers');

test.describe.configure({ mode: 'serial' });

const LIST = '/explorer/ops.example.com/v1/backupschedules';

test('a member finds the custom resource, lists it and reads its YAML', async ({ browser }) => {
  const { context, page } = await loginAs(browser, 'bob');
  await page.getByTestId('nav-explorer').click();
  await expect(page).toHaveURL(/\/explorer$/);
  await expect(page.getByTestId('ex-pick')).toBeVisible();
  await expect(page.locator('.api-tree summary', { hasText: 'ops.example.com' })).toBeVisible();
  await expect(page.locator('.api-tree summary', { hasText: 'apps' })).toBeVisible();
  await shot(page, 'explorer-home');
  // Only what a tenant user may list: no cluster-wide kinds such as nodes or storage classes,
  // but the namespaces (the proxy answers with the caller's own).
  await expect(page.locator('.api-tree a[href="/explorer/storage.k8s.io/v1/storageclasses"]')).toHaveCount(0);
  await expect(page.locator('.api-tree a[href="/explorer/core/v1/nodes"]')).toHaveCount(0);
  await expect(page.locator('.api-tree a[href="/explorer/core/v1/namespaces"]')).toHaveCount(1);

  // The filter finds the custom resource by a word of its name.
  await page.getByTestId('ex-filter').fill('backup');
  await expect(page.locator('.api-tree summary')).toHaveCount(1);
  await page.locator(`.api-tree a[href="${LIST}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${LIST.replace(/\./g, '\\.')}$`));
  await expect(page.getByTestId('ex-kind')).toHaveText('BackupSchedule');
  const objects = page.getByTestId('ex-objects');
  await expect(objects.locator('tbody tr')).toHaveCount(1);
  await expect(objects).toContainText('shop-db-nightly');
  await expect(objects).toContainText('shop');
  // The server's columns: the CRD's printer columns.
  await expect(objects.locator('thead')).toContainText('Schedule');
  await expect(objects).toContainText('statefulset/postgres');
  await shot(page, 'explorer-list');

  // One namespace at a time (the URL says which).
  await page.getByTestId('ex-ns').selectOption('acme-dev');
  await expect(page).toHaveURL(/\?ns=acme-dev$/);
  await expect(page.locator('.explorer-main .empty')).toBeVisible();
  await page.getByTestId('ex-ns').selectOption('shop');
  await expect(page).toHaveURL(/\?ns=shop$/);
  await objects.getByRole('link', { name: 'shop-db-nightly' }).click();
  await expect(page).toHaveURL(new RegExp(`${LIST.replace(/\./g, '\\.')}/shop-db-nightly\\?ns=shop$`));
  await expect(page.getByTestId('ex-obj')).toHaveText('BackupSchedule shop-db-nightly');
  const yaml = page.getByTestId('obj-yaml');
  await expect(yaml).toContainText('apiVersion: ops.example.com/v1');
  await expect(yaml).toContainText('target: statefulset/postgres');
  await expect(yaml).toContainText('retainDays: 7');
  await shot(page, 'explorer-object');

  // A deep link opens the same page after a reload.
  await page.reload();
  await expect(page.getByTestId('ex-obj')).toHaveText('BackupSchedule shop-db-nightly');

  // Cluster-scoped resources are the operator's: the proxy's message where the list would be.
  await page.goto(`${base()}/explorer/core/v1/nodes`);
  await expect(page.locator('.explorer-main .alert.error')).toContainText('only platform admins');
  await shot(page, 'explorer-cluster-forbidden');
  await context.close();
});

test('a member of another tenant does not see it', async ({ browser }) => {
  const { context, page } = await loginAs(browser, 'heidi');
  await page.goto(`${base()}${LIST}`);
  await expect(page.getByTestId('ex-kind')).toHaveText('BackupSchedule');
  await expect(page.locator('.explorer-main .empty')).toBeVisible();
  await expect(page.getByTestId('ex-objects')).toHaveCount(0);
  const options = await page.getByTestId('ex-ns').locator('option').allTextContents();
  expect(options).not.toContain('shop');
  await page.goto(`${base()}${LIST}/shop-db-nightly?ns=shop`);
  await expect(page.locator('.explorer-main .alert.error')).toContainText('not one of your namespaces');
  await expect(page.getByTestId('ex-obj')).toHaveCount(0);
  await shot(page, 'explorer-other-tenant');
  await context.close();
});

test('the operator reads cluster-scoped resources, in Chinese', async ({ browser }) => {
  const { context, page } = await loginAs(browser, 'admin', 'admin-password');
  await page.getByTestId('lang-switch').selectOption('zh-CN');
  await page.getByTestId('nav-explorer').click();
  await expect(page.locator('.pagehead h1')).toHaveText('API 浏览器');
  await page.getByTestId('ex-filter').fill('customresourcedefinitions');
  await page.locator('.api-tree a', { hasText: 'customresourcedefinitions' }).click();
  await expect(page.getByTestId('ex-objects')).toContainText('backupschedules.ops.example.com');
  await expect(page.getByTestId('ex-count')).toContainText('个对象');
  await expect(page.getByTestId('ex-objects').locator('thead')).toContainText('创建时间');
  await shot(page, 'explorer-operator-zh');
  await page.getByTestId('lang-switch').selectOption('en');
  await context.close();
});

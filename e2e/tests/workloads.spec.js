// Workloads through the portal's Kubernetes proxy, in the browser: a member of acme (bob)
// deploys from YAML, sees the pods become Running live (no reload), scales, reads logs,
// reveals a secret and deletes; a member of globex (heidi) sees none of it and gets the
// proxy's Forbidden on a deep link; the operator opens the nodes page; kubeconfig download.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { base, shot, login, loginAs } = require('./helpers');

test.describe.configure({ mode: 'serial' });

const NS = 'acme-dev';
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: e2e-web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: e2e-web
  template:
    metadata:
      labels:
        app: e2e-web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests: {cpu: 50m, memory: 32Mi}
          limits: {cpu: 100m, memory: 64Mi}
---
apiVersion: v1
kind: Secret
metadata:
  name: e2e-db
type: Opaque
data:
  password: aHVudGVyMg==
`;

const rows = (page) => page.locator('[data-testid=rows] tbody tr[data-name]');
const webPods = (page) => page.locator('[data-testid=rows] tbody tr[data-name^="e2e-web-"]');

test('a member deploys from YAML, sees pods run live, scales, reads logs, deletes', async ({ browser }) => {
  const { context, page } = await loginAs(browser, 'bob');
  await page.getByTestId('nav-workloads').click();
  await expect(page).toHaveURL(/\/ns\/[a-z-]+\/pods$/);
  await page.getByTestId('ns-switch').selectOption(NS);
  await expect(page).toHaveURL(new RegExp(`/ns/${NS}/pods$`));

  // A broken manifest: the server's message is shown, with the line it points at.
  await page.getByTestId('create-yaml').click();
  await page.getByTestId('yaml-input').fill('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata: [1\n');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('outcomes').locator('.alert.error')).toBeVisible();
  // The line the message names is marked in the editor: gutter, band, and the list under it.
  const editor = page.getByTestId('editor');
  await expect(editor.locator('.gutter .bad')).toHaveCount(1);
  await expect(editor.locator('.gutter .bad')).toHaveAttribute('data-line', '5');
  await expect(editor.locator('.band[data-line="5"]')).toBeVisible();
  await expect(page.getByTestId('editor-marks')).toContainText('line 5');
  await expect(page.locator('nav.sidenav a[aria-current=page]')).toHaveText('Workloads');
  await shot(page, 'workloads-create-error');
  // A document without a name: the local check marks the document's first line.
  await page.getByTestId('yaml-input').fill('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n');
  await page.getByTestId('apply').click();
  await expect(editor.locator('.gutter .bad')).toHaveAttribute('data-line', '1');
  await expect(page.getByTestId('editor-marks')).toContainText('metadata.name');

  await page.getByTestId('yaml-input').fill(MANIFEST);
  await page.getByTestId('apply').click();
  const outcomes = page.getByTestId('outcomes');
  await expect(outcomes.locator('.alert.success')).toHaveCount(2);
  await expect(outcomes).toContainText('Deployment/e2e-web');
  await shot(page, 'workloads-create');

  // The pods list: the pods appear and become Running through the watch.
  await page.locator('.kindtabs a', { hasText: 'Pods' }).click();
  await page.evaluate(() => { window.__e2eNoReload = true; });
  await expect(webPods(page)).toHaveCount(2, { timeout: 30_000 });
  await expect(webPods(page).locator('.badge.ok', { hasText: 'Running' })).toHaveCount(2, { timeout: 30_000 });
  await expect(webPods(page).locator('td', { hasText: /^1\/1$/ })).toHaveCount(2);
  await page.getByTestId('wl-filter').fill('e2e-web');
  await expect(rows(page)).toHaveCount(2);
  await shot(page, 'workloads-pods');

  // Scaled from outside the page (as kubectl would): the third pod shows up live.
  const scaled = await context.request.patch(`${base()}/k8s/apis/apps/v1/namespaces/${NS}/deployments/e2e-web/scale`, {
    headers: { 'content-type': 'application/merge-patch+json', origin: base() },
    data: JSON.stringify({ spec: { replicas: 3 } }),
  });
  expect(scaled.status()).toBe(200);
  await expect(webPods(page).locator('.badge.ok', { hasText: 'Running' })).toHaveCount(3, { timeout: 30_000 });
  expect(await page.evaluate(() => window.__e2eNoReload)).toBe(true);

  // Scale in the page: the deployment's detail page.
  await page.locator('.kindtabs a', { hasText: 'Deployments' }).click();
  await page.locator('[data-testid=rows] tr[data-name="e2e-web"] a').first().click();
  await expect(page.getByTestId('obj-name')).toContainText('Deployment e2e-web');
  await page.getByTestId('scale').click();
  await page.locator('#replicas').fill('1');
  await page.getByTestId('scale-form').locator('button[type=submit]').click();
  await expect(page.locator('.facts')).toContainText('1/1', { timeout: 30_000 });
  await page.getByTestId('obj-yaml').locator('summary').click();
  await expect(page.getByTestId('obj-yaml')).toContainText('replicas: 1');
  await shot(page, 'workloads-deployment');

  // Edit with a YAML error: the edit form's editor marks the line too.
  await page.getByTestId('edit').click();
  const editForm = page.getByTestId('edit-form');
  const area = editForm.locator('textarea');
  const original = (await area.inputValue()).trimEnd();
  await area.fill(`${original}\nbroken: [1\n`);
  await editForm.locator('button[type=submit]').click();
  const brokenLine = String(original.split('\n').length + 1);
  await expect(editForm.locator('.gutter .bad')).toHaveAttribute('data-line', brokenLine);
  await expect(editForm.getByTestId('editor-marks')).toContainText(`line ${brokenLine}`);
  await shot(page, 'workloads-edit-error');
  await editForm.getByRole('button', { name: 'Cancel' }).click();

  // Logs of the remaining pod: follow, search highlight.
  await page.locator('.kindtabs a', { hasText: 'Pods' }).click();
  await expect(webPods(page)).toHaveCount(1, { timeout: 30_000 });
  await webPods(page).first().locator('a').first().click();
  await expect(page.getByTestId('obj-status')).toHaveText('Running');
  await page.getByTestId('logs-link').click();
  const logs = page.getByTestId('logs');
  await expect(logs.locator('div').first()).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('log-follow').check();
  await expect(logs.locator('div').first()).toBeVisible({ timeout: 15_000 });
  const firstLine = (await logs.locator('div').first().textContent()).trim();
  const word = firstLine.split(/\s+/).find((w) => w.length > 3) || firstLine.slice(0, 4);
  await page.getByTestId('log-search').fill(word);
  await expect(logs.locator('mark').first()).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('log-download').click();
  expect((await download).suggestedFilename()).toMatch(/^e2e-web-.*\.log$/);
  await shot(page, 'workloads-logs');

  // The secret's value is hidden until revealed.
  await page.goto(`${base()}/ns/${NS}/secrets/e2e-db`);
  const data = page.getByTestId('obj-data');
  await expect(data).toContainText('password');
  await expect(data).not.toContainText('hunter2');
  await page.getByTestId('reveal').click();
  await expect(data).toContainText('hunter2');

  // Delete with confirmation: the deployment and (by garbage collection) its pods go.
  await page.goto(`${base()}/ns/${NS}/deployments/e2e-web`);
  await page.getByTestId('delete').click();
  await expect(page.getByTestId('delete-confirm')).toContainText('e2e-web');
  await shot(page, 'workloads-delete-confirm');
  await page.getByTestId('delete-yes').click();
  await expect(page).toHaveURL(new RegExp(`/ns/${NS}/deployments$`));
  await expect(page.locator('[data-testid=rows] tr[data-name="e2e-web"]')).toHaveCount(0);
  await page.locator('.kindtabs a', { hasText: 'Pods' }).click();
  await expect(webPods(page)).toHaveCount(0, { timeout: 30_000 });
  await context.close();
});

test('a member of another tenant sees none of it and is refused on a deep link', async ({ browser }) => {
  // Recreate something in acme-dev for heidi not to see.
  const bob = await loginAs(browser, 'bob');
  const made = await bob.context.request.post(`${base()}/k8s/api/v1/namespaces/${NS}/configmaps`, {
    headers: { 'content-type': 'application/json', origin: base() },
    data: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e2e-private' }, data: { a: 'b' } }),
  });
  expect(made.status()).toBe(201);
  await bob.context.close();

  const { context, page } = await loginAs(browser, 'heidi');
  await page.getByTestId('nav-workloads').click();
  await expect(page).toHaveURL(/\/ns\/[a-z-]+\/pods$/);
  const options = await page.getByTestId('ns-switch').locator('option').allTextContents();
  expect(options).not.toContain(NS);
  expect(options).not.toContain('shop');
  await page.goto(`${base()}/ns/${NS}/configmaps/e2e-private`);
  await expect(page.locator('.alert.error')).toContainText('forbidden');
  await expect(page.locator('.alert.error')).toContainText('heidi');
  await expect(page.getByTestId('obj-name')).toHaveCount(0);
  await shot(page, 'workloads-forbidden');
  await context.close();
});

test('operator sees nodes with capacity, requests and pods', async ({ page }) => {
  await login(page, 'admin', 'admin-password');
  await page.locator('nav.sidenav').getByText('Nodes').click();
  const nodes = page.locator('[data-testid=nodes] tbody tr');
  await expect(nodes.first()).toBeVisible();
  expect(await nodes.count()).toBeGreaterThan(0);
  await shot(page, 'nodes');
  await nodes.first().locator('a').click();
  await expect(page.getByTestId('node-resources')).toContainText('CPU');
  await expect(page.getByTestId('node-pods').locator('tbody tr').first()).toBeVisible();
  await shot(page, 'node');
});

test('profile offers a kubeconfig for kubectl', async ({ page }) => {
  await login(page, 'bob');
  await page.goto(`${base()}/profile`);
  const card = page.getByTestId('kubeconfig');
  await expect(card).toContainText('kubectl get namespaces');
  const download = page.waitForEvent('download');
  await page.getByTestId('kubeconfig-download').click();
  const file = await (await download).path();
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('clusters:');
  expect(text).toContain('token: ku8p_');
  await shot(page, 'profile-kubeconfig');
});

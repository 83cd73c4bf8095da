// Playwright configuration: Debian's Chromium (never a downloaded browser), one worker (the
// tests share one demo portal, started by global-setup.js on free ports).
const { defineConfig } = require('@playwright/test');
const { execSync } = require('child_process');

function chromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  try { return execSync('command -v chromium', { shell: '/bin/bash' }).toString().trim(); } catch { return '/usr/bin/chromium'; }
}

module.exports = defineConfig({
  testDir: './tests',
  globalSetup: require.resolve('./global-setup.js'),
  globalTeardown: require.resolve('./global-teardown.js'),
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 860 },
    launchOptions: {
      executablePath: chromium(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});

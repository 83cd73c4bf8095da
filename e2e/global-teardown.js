// Stops the demo portal global-setup.js started (by its pid) and removes its data folder.
const fs = require('fs');
const path = require('path');

module.exports = async () => {
  const file = path.join(__dirname, '.portal.json');
  if (!fs.existsSync(file)) return;
  const { pid, dataDir } = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.unlinkSync(file);
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 100; i++) {
    try { process.kill(pid, 0); } catch { break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!process.env.E2E_KEEP_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
};

// Builds the web app (vite) unless dist/web is newer than every file under web/.
// Runs on `npm ci` (prepare) and before `npm start`, so a fresh clone serves the UI without a manual build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.join(root, 'dist/web/index.html');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const vite = path.join(root, 'node_modules/vite/bin/vite.js');
if (!existsSync(vite)) {
  console.log('[openscf] vite is not installed (production install without dev dependencies?); skipping the web build.');
  process.exit(0);
}
if (existsSync(output) && statSync(output).mtimeMs >= newest(path.join(root, 'web'))) process.exit(0);
console.log('[openscf] building the web app…');
const result = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

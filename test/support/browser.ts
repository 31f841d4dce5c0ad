import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, as .ci/run installs it (`apt-get install -y chromium`): CHROMIUM_PATH, else
 * `chromium` / `chromium-browser` on PATH, else /usr/bin/chromium. playwright-core downloads no
 * browser of its own.
 */
export function findChromium(): string {
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (process.env.CHROMIUM_PATH) {
    if (executable(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable`);
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) if (executable(join(dir, name))) return join(dir, name);
  }
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error('No Chromium found: install it (`apt-get install -y chromium`, as .ci/run does) or set CHROMIUM_PATH');
}

export async function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Builds console/dist when its sources changed (the same script npm install and npm start run). */
export function buildConsole(): void {
  execFileSync(process.execPath, ['scripts/build-console.mjs'], { stdio: 'inherit' });
}

// Headless Chromium from the machine (Debian's `chromium`), driven by playwright-core.
// Never `playwright install`: it downloads browsers, which this network does not allow.
import * as fs from 'node:fs';
import { chromium } from 'playwright-core';

// Flags that keep Chromium from reaching for the network or a GPU on a headless server.
const quietFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install the Debian package \`chromium\` ` +
        '(apt-get install chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary',
    );
  }
  return chromium.launch({ executablePath, headless: true, args: quietFlags });
}

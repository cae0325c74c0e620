// Pictures of the live workbench, taken by the script that drives the browser (see
// scripts/lib/extension-tests.mjs): the request travels as a log line, the finished file is the
// acknowledgement. Outside that harness (no folder in the environment) it does nothing.
import * as fs from 'fs';
import * as path from 'path';
import { waitFor } from './wait';

export async function screenshot(name: string): Promise<string | undefined> {
  const folder = process.env.MPSCOPE_TEST_SCREENSHOT_DIR;
  if (!folder) return undefined;
  const file = path.join(folder, `${name}.png`);
  fs.rmSync(file, { force: true });
  console.log(`mpscope-screenshot:${name}`);
  await waitFor(`screenshot ${file}`, () => (fs.existsSync(file) ? file : undefined), { timeoutMs: 30_000 });
  return file;
}

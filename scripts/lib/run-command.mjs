// Child processes for the build and test scripts: output streams through, the exit code comes back.
import { spawn } from 'node:child_process';

/**
 * npm passes its own configuration to scripts through `npm_*` variables; a nested npm that
 * inherits them may install into the outer project instead of its own folder.
 */
export function envWithoutNpmConfig(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs a command to completion. Resolves with its exit code (a signal counts as failure: 128+n
 * style codes are not portable, so it becomes 1 with the signal named on stderr).
 */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.stdio ?? 'inherit',
    });
    let output = '';
    if (child.stdout) child.stdout.on('data', (chunk) => { output += chunk; options.onOutput?.(chunk); });
    if (child.stderr) child.stderr.on('data', (chunk) => { output += chunk; options.onOutput?.(chunk); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal) console.error(`${command} ${args.join(' ')}: ended by ${signal}`);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** Like runCommand but throws with the captured output when the command fails. */
export async function runChecked(command, args, options = {}) {
  const result = await runCommand(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (result.code !== 0) {
    const error = new Error(`${command} ${args.join(' ')} exited with ${result.code}\n${result.output}`);
    error.output = result.output;
    throw error;
  }
  return result.output;
}

// The mpscope.runtime.* settings reach the runtime as MPSCOPE_OPTIONS keys it understands: the
// merged variable is parsed by the runtime's own options module in a real Python.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { mergeRuntimeOptions } from '../../src/commands/runPlan';
import { runtimeOptionsFromSettings, type SettingsReader } from '../../src/session/runtimeSettings';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function reader(values: Record<string, unknown>): SettingsReader {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

interface SettingContribution {
  readonly default: unknown;
}

function contributedDefaults(): Record<string, unknown> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, SettingContribution> } };
  };
  const defaults: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(manifest.contributes.configuration.properties)) {
    if (key.startsWith('mpscope.runtime.')) defaults[key.slice('mpscope.runtime.'.length)] = setting.default;
  }
  return defaults;
}

/** What the runtime makes of MPSCOPE_OPTIONS text (runtime/mpscope/options.py). */
function parsedByRuntime(text: string): Record<string, unknown> {
  const program = [
    'import json, sys',
    'from mpscope.options import parse_options',
    'o = parse_options(sys.argv[1])',
    'print(json.dumps({"capture_args": o.capture_args, "task_threshold": o.task_threshold,',
    '                  "task_detail_full": o.task_detail_full, "wait_threshold": o.wait_threshold}))',
  ].join('\n');
  const output = execFileSync('python3', ['-c', program, text], {
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'runtime') },
    encoding: 'utf8',
  });
  return JSON.parse(output) as Record<string, unknown>;
}

describe('runtime settings', () => {
  it('the contributed defaults add nothing to MPSCOPE_OPTIONS', () => {
    const defaults = contributedDefaults();
    assert.deepEqual(Object.keys(defaults).sort(), ['captureArguments', 'taskDetail', 'taskThresholdMs', 'waitThresholdMs']);
    assert.deepEqual(runtimeOptionsFromSettings(reader(defaults)), {});
    assert.deepEqual(runtimeOptionsFromSettings(reader({})), {});
  });

  it('changed settings become the keys the runtime reads', () => {
    const options = runtimeOptionsFromSettings(
      reader({ captureArguments: true, taskThresholdMs: 0, taskDetail: 'full', waitThresholdMs: 250 }),
    );
    assert.deepEqual(options, { capture_args: true, task_threshold_ms: 0, task_detail: 'full', wait_threshold_ms: 250 });
    assert.deepEqual(parsedByRuntime(mergeRuntimeOptions(undefined, options)), {
      capture_args: true,
      task_threshold: 0,
      task_detail_full: true,
      wait_threshold: 0.25,
    });
  });

  it('values a setting cannot have are ignored', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5', null, true]) {
      assert.deepEqual(runtimeOptionsFromSettings(reader({ taskThresholdMs: bad, waitThresholdMs: bad })), {});
    }
    assert.deepEqual(runtimeOptionsFromSettings(reader({ captureArguments: 'yes', taskDetail: 'everything' })), {});
  });

  it("a user's own MPSCOPE_OPTIONS stay unless a setting was changed", () => {
    const user = JSON.stringify({ capture_args: true, wait_threshold_ms: 50 });
    const merged = mergeRuntimeOptions(user, { ...runtimeOptionsFromSettings(reader({ waitThresholdMs: 2000 })), stacks_dir: '/x' });
    assert.deepEqual(JSON.parse(merged), { capture_args: true, wait_threshold_ms: 2000, stacks_dir: '/x' });
    assert.equal(parsedByRuntime(merged).capture_args, true);
  });
});

// What the Processes view shows for a process: description, icon and tooltip text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { ProcessSnapshot } from '../../src/model/types';
import { codeBlock, escapeMarkdown } from '../../src/views/markdown';
import {
  exitText,
  formatSeconds,
  processDescription,
  processIcon,
  processTooltip,
  sessionDescription,
} from '../../src/views/processPresentation';
import { PROCESS_STATES } from '../../src/model/types';
import * as make from './helpers/events';

function childAfter(...events: Parameters<Model['ingest']>[1][]): ProcessSnapshot {
  const model = new Model();
  const id = model.openSession({ label: 'x' });
  for (const event of [make.hello(4240, 1, 'main'), make.created(4240, '4240-1', { name: 'worker', target: 'jobs.run', site: { file: '/w/jobs.py', line: 7, function: 'main' } }), make.started(4240, '4240-1', 4242), ...events]) {
    model.ingest(id, event);
  }
  const child = model.snapshot()[0].processes.find((p) => p.pid === 4242);
  assert.ok(child);
  return child;
}

describe('process description', () => {
  it('reads "pid · state · exit code or signal · duration"', () => {
    // Created at 1001, the parent's record at 1004.
    assert.equal(processDescription(childAfter(make.exitedBy('parent', 4240, 4242, -9))), '4242 · killed · SIGKILL · 3.0 s');
    assert.equal(processDescription(childAfter(make.exitedBy('parent', 4240, 4242, 0))), '4242 · exited · exit 0 · 3.0 s');
    assert.equal(processDescription(childAfter(make.exitedBy('parent', 4240, 4242, 2, undefined, 1001.25))), '4242 · failed · exit 2 · 250 ms');
    assert.equal(processDescription(childAfter(make.hello(4242, 4240, 'process'))), '4242 · running');
    assert.equal(processDescription(childAfter()), '4242 · starting');
  });

  it('adds a worker\'s task counts, and no duration when the reports contradict each other', () => {
    assert.equal(
      processDescription(childAfter(make.exitedBy('parent', 4240, 4242, 0)), { tasks: { done: 12, failed: 1, time: 2, max: 1 } }),
      '4242 · exited · exit 0 · 3.0 s · 12 done · 1 failed',
    );
    assert.equal(processDescription(childAfter(make.hello(4242, 4240, 'pool-worker')), { tasks: { done: 3, failed: 0, time: 2, max: 1 } }), '4242 · running · 3 done');
    assert.equal(processDescription(childAfter(make.exitedBy('parent', 4240, 4242, 0, undefined, 900))), '4242 · exited · exit 0');
  });

  it('says nothing about an exit nobody reported', () => {
    assert.equal(exitText(null), undefined);
    assert.equal(exitText({ exitcode: null, signal: null, exception: null, reporters: ['collector'], t: 0 }), undefined);
  });

  it('has an icon for every state', () => {
    const ids = PROCESS_STATES.map((state) => processIcon(state).id);
    assert.equal(new Set(ids).size, PROCESS_STATES.length);
  });
});

describe('process tooltip', () => {
  it('shows creation site, target, role, start method and the exception with its traceback', () => {
    const tooltip = processTooltip(childAfter(make.hello(4242, 4240, 'process', { start_method: 'spawn' }), make.exitedSelf(4242, 1, make.valueError)));
    assert.match(tooltip, /Created at: \/w\/jobs\\\.py\\:7 in main/);
    assert.match(tooltip, /Target: jobs\\\.run/);
    assert.match(tooltip, /Role: process/);
    assert.match(tooltip, /Start method: spawn/);
    assert.match(tooltip, /\*\*ValueError\*\*: bad input/);
    assert.match(tooltip, /```text\nTraceback \(most recent call last\):\n {2}File "\/w\/crash\.py", line 5, in work\nValueError: bad input\n```/);
  });

  it('escapes Markdown, HTML and links in text that comes from the program', () => {
    const hostile = {
      type: '<img src=x onerror=alert(1)>',
      message: '[click](command:workbench.action.terminal.new) **bold** `code` https://example.com $(zap)',
      traceback: 'line with ``` fence\n````\n',
    };
    const tooltip = processTooltip(childAfter(make.exitedSelf(4242, 1, hostile)));
    const exceptionLine = tooltip.split('\n\n')[1];
    const parts = /^\*\*(.*?)\*\*: (.*)$/s.exec(exceptionLine);
    assert.ok(parts, exceptionLine);
    // In the program's text, no Markdown-significant character is left without its backslash.
    for (const fromProgram of [parts[1], parts[2]]) {
      for (const special of ['<', '>', '[', ']', '(', ')', '*', '`', '$', '&', '!']) {
        const bare = new RegExp(`(^|[^\\\\])\\${special}`);
        assert.doesNotMatch(fromProgram, bare, `a bare ${special} in ${JSON.stringify(fromProgram)}`);
      }
    }
    assert.doesNotMatch(tooltip, /https:\/\//, 'a URL would be auto-linked');
    assert.match(tooltip, /\\\[click\\\]\\\(command\\:workbench/);
    // The traceback's own fences cannot close the code block early.
    assert.match(tooltip, /`````text\nline with ``` fence\n````\n`````/);
  });

  it('names the OS parent when it is not the process that started the child (forkserver)', () => {
    const tooltip = processTooltip(childAfter(make.hello(4242, 4241, 'process'), make.hello(4241, 4240, 'forkserver')));
    assert.match(tooltip, /Started by pid 4240 \(OS parent: pid 4241\)/);
  });
});

describe('markdown helpers', () => {
  it('escapes every character Markdown could interpret', () => {
    assert.equal(escapeMarkdown('a*b_c`d[e](f)#<g>&'), 'a\\*b\\_c\\`d\\[e\\]\\(f\\)\\#\\<g\\>\\&');
    assert.equal(escapeMarkdown('one\ntwo'), 'one  \ntwo');
  });

  it('makes code fences longer than any backtick run inside', () => {
    assert.equal(codeBlock('plain'), '```\nplain\n```');
    assert.equal(codeBlock('a ```` b'), '`````\na ```` b\n`````');
  });
});

describe('session description and durations', () => {
  it('says whether the session runs and how many processes it has', () => {
    const model = new Model();
    const id = model.openSession({ label: 'x' });
    const session = model.session(id);
    assert.ok(session);
    assert.equal(sessionDescription(session), 'waiting for the program to connect…');
    model.ingest(id, make.hello(1, 0, 'main'));
    assert.equal(sessionDescription(session), 'running · 1 process');
    model.ingest(id, make.hello(2, 1, 'process'));
    model.endSession(id);
    assert.equal(sessionDescription(session), 'ended · 2 processes');
  });

  it('formats durations for people', () => {
    assert.equal(formatSeconds(0.25), '250 ms');
    assert.equal(formatSeconds(2.34), '2.3 s');
    assert.equal(formatSeconds(125), '2 min 5 s');
  });
});

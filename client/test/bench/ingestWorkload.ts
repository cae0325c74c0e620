// The run the client benchmark feeds to the collector and the model: a 1,000-process session in
// the shape real programs have, with the traffic the runtime sends for it. Every process has its
// own stream (as over the socket): the main process, a Pool of 199 workers that run tasks, and
// 20 plain children that each start 39 children of their own.
import type { MpscopeEvent } from '../../src/protocol/events';
import * as make from '../unit/helpers/events';

export interface Stream {
  readonly pid: number;
  readonly events: readonly MpscopeEvent[];
}

export interface Workload {
  /** The main process's stream first, then the others in pid order. */
  readonly streams: readonly Stream[];
  readonly processCount: number;
  readonly eventCount: number;
}

const MAIN_PID = 1000;
const POOL = 'pool-1';
const WORKERS = 199;
const PARENTS = 20;
const CHILDREN_PER_PARENT = 39;
const SITE = { file: '/work/app/jobs.py', line: 42, function: 'main' };

const failure = {
  type: 'ValueError',
  message: 'invalid literal for int() with base 10',
  traceback: 'Traceback (most recent call last):\n  File "/work/app/jobs.py", line 8, in parse\nValueError: invalid literal for int() with base 10\n',
  site: { file: '/work/app/jobs.py', line: 8, function: 'parse' },
};

/**
 * `tasksPerWorker` decides the volume: each worker reports that many finished tasks (one in
 * twenty failed, with its exception) and a task.counters update per ten tasks, the runtime's
 * cheap path for fast tasks.
 */
export function buildWorkload(tasksPerWorker: number, token: string = make.TOKEN): Workload {
  const streams: Stream[] = [];
  const t0 = 1_700_000_000;
  const main: MpscopeEvent[] = [make.hello(MAIN_PID, 1, 'main', { t: t0, token, argv: ['/work/app/jobs.py'], start_method: 'fork' })];
  main.push(make.poolCreated(MAIN_PID, POOL, { t: t0 + 0.01, processes: WORKERS, site: SITE }));
  const workerPids: number[] = [];
  for (let index = 0; index < WORKERS; index++) {
    const pid = 2000 + index;
    workerPids.push(pid);
    main.push(...make.worker(MAIN_PID, POOL, `w${index}`, pid));
  }
  const parentPids: number[] = [];
  for (let index = 0; index < PARENTS; index++) {
    const pid = 3000 + index;
    parentPids.push(pid);
    main.push(make.created(MAIN_PID, `p${index}`, { t: t0 + 0.02, name: `loader-${index}`, target: 'jobs.load', site: SITE }));
    main.push(make.started(MAIN_PID, `p${index}`, pid, { t: t0 + 0.02 }));
  }
  main.push(make.submitted(MAIN_PID, POOL, { t: t0 + 0.03, method: 'map', func: 'jobs.parse', calls: WORKERS * tasksPerWorker, chunksize: 1, site: SITE }));

  const others: Stream[] = [];
  for (const pid of workerPids) {
    const events: MpscopeEvent[] = [make.hello(pid, MAIN_PID, 'pool-worker', { t: t0 + 0.05, token })];
    let done = 0;
    let failed = 0;
    for (let task = 0; task < tasksPerWorker; task++) {
      const t = t0 + 0.1 + task * 0.001;
      const ok = task % 20 !== 19;
      if (ok) done++;
      else failed++;
      events.push(
        make.taskFinished(pid, 1, {
          t,
          index: task,
          func: 'jobs.parse',
          started: t - 0.0005,
          duration: 0.0005,
          ok,
          ...(ok ? {} : { exception: failure }),
        }),
      );
      if (task % 10 === 9) events.push(make.taskCounters(pid, done, failed, { t, time: done * 0.0005, max: 0.0005 }));
    }
    events.push(make.exitedSelf(pid, 0, undefined, t0 + 5));
    others.push({ pid, events });
  }
  let childPid = 10_000;
  parentPids.forEach((pid, parentIndex) => {
    const events: MpscopeEvent[] = [make.hello(pid, MAIN_PID, 'process', { t: t0 + 0.05, token })];
    const children: number[] = [];
    for (let index = 0; index < CHILDREN_PER_PARENT; index++) {
      const child = childPid++;
      children.push(child);
      const proc = `c${parentIndex}-${index}`;
      events.push(make.created(pid, proc, { t: t0 + 0.06, name: `fetch-${index}`, target: 'jobs.fetch', site: SITE }));
      events.push(make.started(pid, proc, child, { t: t0 + 0.06 }));
    }
    for (const child of children) {
      const crashed = child % 13 === 0;
      events.push(make.exitedBy('parent', pid, child, crashed ? 1 : 0, undefined, t0 + 2));
      events.push(make.joined(pid, child, { t: t0 + 2, waited: 0.1 }));
      others.push({
        pid: child,
        events: [
          make.hello(child, pid, 'process', { t: t0 + 0.07, token }),
          make.exitedSelf(child, crashed ? 1 : 0, crashed ? failure : undefined, t0 + 1.9),
        ],
      });
    }
    events.push(make.exitedSelf(pid, 0, undefined, t0 + 3));
    others.push({ pid, events });
  });

  for (const pid of parentPids) main.push(make.exitedBy('parent', MAIN_PID, pid, 0, undefined, t0 + 3.1));
  main.push(make.poolClosed(MAIN_PID, POOL, { t: t0 + 5 }));
  for (const pid of workerPids) main.push(make.exitedBy('parent', MAIN_PID, pid, 0, undefined, t0 + 5.1));
  main.push(make.poolJoined(MAIN_PID, POOL, { t: t0 + 5.2 }));
  main.push(make.exitedSelf(MAIN_PID, 0, undefined, t0 + 5.5));

  others.sort((a, b) => a.pid - b.pid);
  streams.push({ pid: MAIN_PID, events: main }, ...others);
  return {
    streams,
    processCount: 1 + WORKERS + PARENTS + PARENTS * CHILDREN_PER_PARENT,
    eventCount: streams.reduce((sum, stream) => sum + stream.events.length, 0),
  };
}

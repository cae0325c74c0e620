// mpscope.clearFinishedSessions: removes every ended session from the Processes view (and the
// model), closing whatever streams they still had. Running sessions stay.
import type { Model } from '../model/model';
import type { Collector } from '../session/collector';

export const CLEAR_FINISHED_SESSIONS_COMMAND = 'mpscope.clearFinishedSessions';

/** Returns how many sessions were cleared. */
export async function clearFinishedSessions(model: Model, collector: Collector): Promise<number> {
  const finished = model.sessions().filter((session) => session.endedAt !== null);
  for (const session of finished) {
    await collector.clearSession(session.id);
  }
  return finished.length;
}

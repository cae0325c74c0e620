// Every rule the engine knows, in code order. Adding a rule means adding its file and one line here.

import { missingMainGuard } from './mp001-missing-main-guard/rule';
import { poolJoinBeforeClose } from './mp002-pool-join-before-close/rule';
import { syncPrimitiveToPool } from './mp003-sync-primitive-to-pool/rule';
import { targetCalled } from './mp004-target-called/rule';
import { argsNotTuple } from './mp005-args-not-tuple/rule';
import { positionalTarget } from './mp006-positional-target/rule';
import { unpicklableCallable } from './mp007-unpicklable-callable/rule';
import { setStartMethodMisuse } from './mp008-set-start-method-misuse/rule';
import { poolUsedAfterClose } from './mp009-pool-used-after-close/rule';
import { processLifecycle } from './mp010-process-lifecycle/rule';
import { runInsteadOfStart } from './mp011-run-instead-of-start/rule';
import { joinBeforeDrain } from './mp012-join-before-drain/rule';
import { poolNotClosed } from './mp013-pool-not-closed/rule';
import { asyncResultIgnored } from './mp014-async-result-ignored/rule';
import { daemonChildren } from './mp015-daemon-children/rule';
import { managerNestedMutation } from './mp016-manager-nested-mutation/rule';
import { globalMutationInWorker } from './mp017-global-mutation-in-worker/rule';
import { unpicklableArg } from './mp018-unpicklable-arg/rule';
import { forkUnsafe } from './mp019-fork-unsafe/rule';
import { terminateSharedResource } from './mp020-terminate-shared-resource/rule';
import { badWorkerCount } from './mp021-bad-worker-count/rule';
import type { Rule } from './rule';

export const ALL_RULES: readonly Rule[] = [
  missingMainGuard,
  poolJoinBeforeClose,
  syncPrimitiveToPool,
  targetCalled,
  argsNotTuple,
  positionalTarget,
  unpicklableCallable,
  setStartMethodMisuse,
  poolUsedAfterClose,
  processLifecycle,
  runInsteadOfStart,
  joinBeforeDrain,
  poolNotClosed,
  asyncResultIgnored,
  daemonChildren,
  managerNestedMutation,
  globalMutationInWorker,
  unpicklableArg,
  forkUnsafe,
  terminateSharedResource,
  badWorkerCount,
];

export function ruleByCode(code: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.meta.code === code.toUpperCase());
}

/** Whether `pattern` (a code or a code prefix such as `MP0`) names at least one rule. */
export function isKnownRulePattern(pattern: string): boolean {
  const upper = pattern.toUpperCase();
  return upper.length > 0 && ALL_RULES.some((rule) => rule.meta.code.startsWith(upper));
}

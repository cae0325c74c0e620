// What the lifecycle analysis records for the rules: method calls on tracked objects, `with`
// entries, attribute assignments and the facts at a body's normal end, each with the facts that
// hold just before it.

import type { AttributeExpression, CallExpression, Expression, Statement, WithItem } from '../../parser';
import type { CodeBody, FlowNode } from '../flow';
import { type Fact, type FactState, joinStates, unionFacts } from './lifecycleFacts';

interface ObservationBase {
  readonly body: CodeBody;
  /** The graph node the operation runs at (its `expected` tells whether an error is expected there). */
  readonly node: FlowNode;
  /** The whole state just before the operation. */
  readonly state: FactState;
  /**
   * The part of the observation's facts that reaches it other than through the copy of a
   * `finally` (or `with` exit) run while an exception propagates. A fact only in `facts` is
   * true only when something raised in the `try`.
   */
  readonly normalFacts: readonly Fact[];
}

/** `receiver.method(...)` where the receiver may be a tracked object. */
export interface CallObservation extends ObservationBase {
  readonly kind: 'call';
  readonly call: CallExpression;
  readonly receiver: Expression;
  readonly method: string;
  /** What the receiver may be just before the call (over every path that reaches it). */
  readonly facts: readonly Fact[];
  /** The call is a whole expression statement: its result is dropped. */
  readonly discarded: boolean;
}

/** `with <tracked object> [as name]:` */
export interface EnterObservation extends ObservationBase {
  readonly kind: 'enter';
  readonly item: WithItem;
  readonly facts: readonly Fact[];
}

/** `<tracked object>.attribute = value` */
export interface AttributeObservation extends ObservationBase {
  readonly kind: 'setAttribute';
  readonly statement: Statement;
  readonly target: AttributeExpression;
  readonly attribute: string;
  readonly facts: readonly Fact[];
}

/** The body's normal end (returns and falling off the end), with every fact that reaches it. */
export interface ExitObservation extends ObservationBase {
  readonly kind: 'exit';
  readonly facts: readonly Fact[];
}

export type Observation = CallObservation | EnterObservation | AttributeObservation | ExitObservation;

/** An observation without the parts the evaluator adds itself. */
export type ObservationContent = Observation extends infer Each ? (Each extends Observation ? Omit<Each, 'body' | 'node' | 'state' | 'normalFacts'> : never) : never;

/**
 * `finally` bodies and `with` exits appear in the graph once per way out; their operations are
 * observed once per copy. Merge those into one observation per operation, over all copies.
 */
export function mergeCopies(observations: readonly Observation[]): Observation[] {
  const bySite = new Map<object, number>();
  const out: Observation[] = [];
  for (const observation of observations) {
    const site = observationSite(observation);
    const index = bySite.get(site);
    if (index === undefined) {
      bySite.set(site, out.length);
      out.push(observation);
      continue;
    }
    const known = out[index];
    out[index] = {
      ...known,
      facts: unionFacts(known.facts, observation.facts),
      normalFacts: unionFacts(known.normalFacts, observation.normalFacts),
      state: joinStates(known.state, observation.state),
    } as Observation;
  }
  return out;
}

function observationSite(observation: Observation): object {
  switch (observation.kind) {
    case 'call':
      return observation.call;
    case 'enter':
      return observation.item;
    case 'setAttribute':
      return observation.target;
    case 'exit':
      return observation.body;
  }
}


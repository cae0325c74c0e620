// Object lifecycles: which names hold which Pool/executor/Process/Queue/Pipe/Lock, and where each
// is in its life, along the control flow of each body.

export { LifecycleAnalysis } from './lifecycleAnalysis';
export { type AttributeObservation, type CallObservation, type EnterObservation, type ExitObservation, type Observation } from './observations';
export { factsAbout, LOST_SLOT, type Fact, type FactState, type Phase, type TrackedObject } from './lifecycleFacts';
export { globalSharedResources, parametersPutInto, handoffToChild, type GlobalResource, type ChildHandoff } from './childHandoff';
export {
  ASYNC_SUBMIT_METHODS,
  EXECUTOR_TASK_METHODS,
  POOL_TASK_METHODS,
  QUEUE_GET_METHODS,
  SHARED_RESOURCE_KINDS,
  TRACKED_CONSTRUCTORS,
  type TrackedKind,
} from './trackedApi';
export { trackedCreation, type TrackedCreation } from './trackedCreations';

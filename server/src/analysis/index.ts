// The analysis layer's public surface: scopes, name resolution, main-guard recognition and
// where processes start.

export { AnalysisCache } from './analysisCache';
export { argumentValue, bindArgument, leadingPositionals, type ArgumentLookup } from './arguments';
export { CallableAnalysis, type CallableInfo } from './callables';
export { ChildCode, type ChildFunction, type ChildRole } from './childCode';
export { visitExecutedCode, type ExecutedCodeVisitor } from './executedCode';
export { mainGuardBranches, type GuardBranches } from './mainGuard';
export { ModuleAnalysis } from './moduleAnalysis';
export { ObjectFlow, type Elements, type HeldKind, type HeldObject, type Origin } from './objectFlow';
export {
  literalStartMethod,
  ProcessApiCalls,
  type Construction,
  type ConstructionKind,
  type ResolvedCall,
  type TaskSubmission,
} from './processApiCalls';
export { ProcessStartAnalysis, type ProcessCreation, type ReachedCreation } from './processStarts';
export { Resolver, sameValue, type ApiBase, type InstanceValue, type Value } from './resolver';
export { walkWithScopes, type ScopedVisitor } from './scopedWalk';
export { absoluteImportModule, Scope, ScopeTree, type Binding, type ModuleIdentity } from './scopes';
export { processTarget, sentByTask, sentToProcess, taskCallable, type SentValue } from './taskData';
export type { ProcessApiKind, StartMethod } from './stdlib/multiprocessingApi';

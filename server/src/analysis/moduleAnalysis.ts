// Everything the rules share about one module, built lazily once per lint: scopes, name
// resolution, where processes are created, what names hold and what runs in children.

import type { SourceFile } from '../parser';
import { AnalysisCache } from './analysisCache';
import { CallableAnalysis } from './callables';
import { ChildCode } from './childCode';
import { LifecycleAnalysis } from './lifecycle';
import { ObjectFlow } from './objectFlow';
import { ParameterFlow } from './parameterFlow';
import { ProcessApiCalls } from './processApiCalls';
import { ProcessStartAnalysis } from './processStarts';
import { Resolver } from './resolver';
import type { ModuleIdentity, ScopeTree } from './scopes';

export class ModuleAnalysis {
  private scopeTree: ScopeTree | undefined;
  private nameResolver: Resolver | undefined;
  private processStartAnalysis: ProcessStartAnalysis | undefined;
  private objectFlow: ObjectFlow | undefined;
  private apiCalls: ProcessApiCalls | undefined;
  private callableAnalysis: CallableAnalysis | undefined;
  private childCode: ChildCode | undefined;
  private lifecycleAnalysis: LifecycleAnalysis | undefined;

  private readonly cache: AnalysisCache;

  /**
   * `cache`: what the analysis of the previous version of the same document left (see
   * `AnalysisCache`); the language server keeps one per open document. Without it everything
   * is analysed afresh.
   */
  constructor(
    readonly source: SourceFile,
    readonly identity: ModuleIdentity | undefined,
    cache?: AnalysisCache,
  ) {
    this.cache = cache ?? new AnalysisCache();
  }

  get scopes(): ScopeTree {
    this.scopeTree ??= this.cache.scopeTree(this.source, this.identity);
    return this.scopeTree;
  }

  get resolver(): Resolver {
    this.nameResolver ??= new Resolver(this.scopes);
    return this.nameResolver;
  }

  get processStarts(): ProcessStartAnalysis {
    this.processStartAnalysis ??= new ProcessStartAnalysis(this.scopes, this.resolver, this.processApi);
    return this.processStartAnalysis;
  }

  /** What names hold (Queue, Lock, open file, Manager proxy, generator…), followed through bindings. */
  get objects(): ObjectFlow {
    this.objectFlow ??= new ObjectFlow(this.scopes, this.resolver, new ParameterFlow(this.scopes, this.resolver, this.processApi));
    return this.objectFlow;
  }

  /** Process/Pool/executor constructions and task submissions anywhere in the module. */
  get processApi(): ProcessApiCalls {
    this.apiCalls ??= new ProcessApiCalls(this.scopes, this.resolver);
    return this.apiCalls;
  }

  /** What callables given to targets and tasks are (lambda, local function, partial…). */
  get callables(): CallableAnalysis {
    this.callableAnalysis ??= new CallableAnalysis(this.scopes, this.resolver, this.objects);
    return this.callableAnalysis;
  }

  /** The module's functions that run in child processes. */
  get children(): ChildCode {
    this.childCode ??= new ChildCode(this.scopes, this.resolver, this.processApi, this.callables, this.objects);
    return this.childCode;
  }

  /** Pools, executors, processes, queues… created in each body, followed along its control flow. */
  get lifecycles(): LifecycleAnalysis {
    this.lifecycleAnalysis ??= new LifecycleAnalysis(this.scopes, this.resolver, {
      text: this.source.text,
      asNames: this.cache.asNames(this.source),
      nextObjectId: () => this.cache.nextObjectId(),
    });
    return this.lifecycleAnalysis;
  }
}

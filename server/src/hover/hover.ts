// Hover text for a position in a Python file: what each mpscope finding there means (its rule,
// why it matters, a link to the rule's page), and a short documentation of the multiprocessing
// or concurrent.futures API the name under the cursor resolves to (through imports, aliases,
// contexts and the variables that hold pools, processes and queues).

import type { ModuleAnalysis, Scope } from '../analysis';
import type { Finding } from '../engine';
import { type Expression, type Span, unparenthesize } from '../parser';
import { ruleByCode } from '../rules/registry';
import { ruleDocsUrl } from '../rules/docsUrl';
import { type ApiDoc, apiDoc, apiKey, classOfCallResult, methodDoc } from './apiDocs';
import { nameAt, scopeAt } from './nameAt';
import { ruleRationale } from './ruleExplanation';

export interface HoverText {
  readonly markdown: string;
  /** The text the hover is about (the name, or the finding's range). */
  readonly span: Span;
}

export function hoverAt(analysis: ModuleAnalysis, findings: readonly Finding[], offset: number): HoverText | undefined {
  const parts: string[] = [];
  let span: Span | undefined;
  const here = findings.filter((finding) => finding.offsets.from <= offset && offset <= finding.offsets.to);
  for (const finding of here) {
    parts.push(findingMarkdown(finding));
    span ??= finding.offsets;
  }
  const api = apiHover(analysis, offset);
  if (api) {
    parts.push(api.markdown);
    span = api.span;
  }
  if (parts.length === 0 || span === undefined) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), span };
}

export function findingMarkdown(finding: Finding): string {
  const rule = ruleByCode(finding.code);
  const lines = [`**mpscope ${finding.code}** \`${finding.rule}\` (${finding.severity})`];
  if (rule) lines.push(rule.meta.summary);
  const rationale = ruleRationale(finding.code);
  if (rationale) lines.push(rationale);
  lines.push(`[${finding.code} documentation](${ruleDocsUrl(finding.code)}) · silence on this line with \`# noqa: ${finding.code}\``);
  return lines.join('\n\n');
}

const MAX_FOLLOW = 20;

/** The documentation of the API the name at `offset` resolves to. */
export function apiHover(analysis: ModuleAnalysis, offset: number): HoverText | undefined {
  const target = nameAt(analysis.source.module.body, analysis.identity, offset);
  if (target === undefined) return undefined;
  if (target.kind === 'import') {
    const doc = apiDoc(target.qualifiedName);
    return doc ? { markdown: apiMarkdown(apiKey(target.qualifiedName), doc), span: target.span } : undefined;
  }
  const scope = scopeAt(analysis.scopes, target.span.from);
  const expression = target.expression;
  const value = analysis.resolver.resolve(expression, scope);
  if (value?.kind === 'qualified') {
    const doc = apiDoc(value.name);
    if (doc) return { markdown: apiMarkdown(apiKey(value.name), doc, contextNote(value.startMethod)), span: target.span };
  }
  if (value?.kind === 'context') {
    const doc = apiDoc('multiprocessing.get_context');
    const method = value.startMethod === 'default' || value.startMethod === 'unknown' ? undefined : value.startMethod;
    const title = `A multiprocessing context${method ? ` for the "${method}" start method` : ''}: \`${nameText(expression)}.Process\`, \`.Pool\`, \`.Queue\`… use it.`;
    return doc ? { markdown: `${title}\n\n${apiMarkdown('multiprocessing.get_context', doc)}`, span: target.span } : undefined;
  }
  if (expression.kind === 'Attribute' && expression.name) {
    const owner = classOf(analysis, expression.object, scope, 0);
    const method = owner ? methodDoc(owner, expression.name.name) : undefined;
    if (method) return { markdown: apiMarkdown(method.key, method.doc), span: target.span };
  }
  const instance = classOf(analysis, expression, scope, 0);
  const doc = instance ? apiDoc(instance) : undefined;
  if (instance && doc) {
    return { markdown: `\`${nameText(expression)}\`: a \`${apiKey(instance)}\` object\n\n${apiMarkdown(apiKey(instance), doc)}`, span: target.span };
  }
  return undefined;
}

/**
 * The documented class of the object `expression` holds: `Pool(...)`, a name every binding of
 * which is such a call (or `with Pool() as name`), or whatever the resolver knows it is.
 */
function classOf(analysis: ModuleAnalysis, expression: Expression, scope: Scope, depth: number): string | undefined {
  if (depth > MAX_FOLLOW) return undefined;
  const node = unparenthesize(expression);
  const value = analysis.resolver.resolve(node, scope);
  if (value?.kind === 'instance' && value.of.kind === 'qualified') return classOfCallResult(value.of.name) ?? value.of.name;
  if (node.kind === 'Call') {
    const callee = analysis.resolver.resolve(node.callee, scope);
    return callee?.kind === 'qualified' ? classOfCallResult(callee.name) : undefined;
  }
  if (node.kind !== 'Name') return undefined;
  const owner = scope.lookup(node.name);
  const bindings = owner?.bindings.get(node.name);
  if (bindings === undefined || bindings.length === 0) return undefined;
  let agreed: string | undefined;
  for (const binding of bindings) {
    let found: string | undefined;
    if (binding.kind === 'assignment' && binding.value !== undefined) found = classOf(analysis, binding.value, binding.site, depth + 1);
    else if (binding.kind === 'withTarget' && binding.whole) {
      const entered = classOf(analysis, binding.item.context, binding.site, depth + 1);
      found = entered !== undefined && ENTER_RETURNS_SELF.has(entered) ? entered : undefined;
    }
    if (found === undefined || (agreed !== undefined && agreed !== found)) return undefined;
    agreed = found;
  }
  return agreed;
}

/** Classes whose `__enter__` returns the object itself, so `with X() as x` binds an X. */
const ENTER_RETURNS_SELF: ReadonlySet<string> = new Set([
  'multiprocessing.pool.Pool',
  'multiprocessing.pool.ThreadPool',
  'multiprocessing.managers.SyncManager',
  'multiprocessing.managers.BaseManager',
  'multiprocessing.managers.SharedMemoryManager',
  'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.ThreadPoolExecutor',
]);

function apiMarkdown(key: string, doc: ApiDoc, note?: string): string {
  const prefix = key.slice(0, key.lastIndexOf('.') + 1);
  return [
    '```python',
    `${prefix}${doc.signature}`,
    '```',
    ...(note ? [note, ''] : []),
    doc.text,
    '',
    `[Python documentation](${doc.reference})`,
  ].join('\n');
}

function contextNote(startMethod: string | undefined): string | undefined {
  if (startMethod === undefined || startMethod === 'default' || startMethod === 'unknown') return undefined;
  return `*Through a context: uses the "${startMethod}" start method.*`;
}

function nameText(expression: Expression): string {
  if (expression.kind === 'Name') return expression.name;
  if (expression.kind === 'Attribute' && expression.name) return `${nameText(expression.object)}.${expression.name.name}`;
  return '…';
}

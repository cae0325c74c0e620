// The MP004 quick fix: `target=f(a, b, key=v)` → `target=f, args=(a, b), kwargs={"key": v}`,
// merged into `args=`/`kwargs=` arguments the call already has (the called function's own
// arguments first, as `functools.partial` would order them).

import type { Construction } from '../../analysis';
import { bindArgument } from '../../analysis';
import type { CallExpression, Expression, SourceFile } from '../../parser';
import { unparenthesize } from '../../parser';
import type { OffsetEdit, RuleFix } from '../rule';

export const PASS_ARGUMENTS_TITLE = 'Pass the function and its arguments separately';

export function passArgumentsFix(source: SourceFile, construction: Construction, targetCall: CallExpression): RuleFix | undefined {
  const parameters = construction.parameters;
  if (parameters === undefined) return undefined;
  const target = bindArgument(construction.call, parameters, 'target');
  if (target.kind !== 'given' || !target.byKeyword) return undefined;
  const text = (node: Expression): string => source.text.slice(node.from, node.to);

  const positional: string[] = [];
  const keywords: { readonly name: string; readonly text: string }[] = [];
  const mappings: string[] = [];
  for (const argument of targetCall.args) {
    if (argument.kind === 'Positional') positional.push(text(argument.value));
    else if (argument.kind === 'Star') positional.push(`*${text(argument.value)}`);
    else if (argument.kind === 'Keyword') keywords.push({ name: argument.name.name, text: text(argument.value) });
    else mappings.push(`**${text(argument.value)}`);
  }

  const edits: OffsetEdit[] = [{ from: targetCall.from, to: targetCall.to, insert: text(targetCall.callee) }];
  const added: string[] = [];

  if (positional.length > 0) {
    const existing = bindArgument(construction.call, parameters, 'args');
    if (existing.kind === 'unknown') return undefined;
    if (existing.kind === 'given') {
      const value = unparenthesize(existing.value);
      const items = value.kind === 'Tuple' || value.kind === 'List' ? value.elements.map(text) : [`*${text(value)}`];
      edits.push({ from: existing.value.from, to: existing.value.to, insert: tupleText([...positional, ...items]) });
    } else {
      added.push(`args=${tupleText(positional)}`);
    }
  }

  if (keywords.length + mappings.length > 0) {
    const entries = [...keywords.map((keyword) => `"${keyword.name}": ${keyword.text}`), ...mappings];
    const existing = bindArgument(construction.call, parameters, 'kwargs');
    if (existing.kind === 'unknown') return undefined;
    if (existing.kind === 'given') {
      const value = unparenthesize(existing.value);
      let items: string[];
      if (value.kind === 'Dict') {
        const names = new Set(keywords.map((keyword) => keyword.name));
        // The same key twice would silently keep only one value.
        if (value.entries.some((entry) => entry.key?.kind === 'String' && names.has(entry.key.value ?? ''))) return undefined;
        items = value.entries.map((entry) => (entry.key ? `${text(entry.key)}: ${text(entry.value)}` : `**${text(entry.value)}`));
      } else {
        items = [`**${text(value)}`];
      }
      edits.push({ from: existing.value.from, to: existing.value.to, insert: `{${[...entries, ...items].join(', ')}}` });
    } else {
      added.push(`kwargs={${entries.join(', ')}}`);
    }
  }

  if (added.length > 0) {
    const insert = `, ${added.join(', ')}`;
    // One edit when the target argument ends with the call, so that no two edits touch.
    if (target.argument.to === targetCall.to) edits[0] = { ...edits[0], insert: edits[0].insert + insert };
    else edits.push({ from: target.argument.to, to: target.argument.to, insert });
  }
  return { title: PASS_ARGUMENTS_TITLE, edits };
}

function tupleText(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

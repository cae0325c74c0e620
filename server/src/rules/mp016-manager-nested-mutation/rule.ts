// MP016 manager-nested-mutation: `d[k].append(x)` and similar on a Manager dict or list proxy
// (or a Namespace attribute). The read returns a copy, the change is made to the copy, and the
// manager's value stays as it was — no error, just lost updates. See `nestedReads.ts`.

import type { SourceFile } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { snippet } from '../common/describe';
import { findNestedMutations, type NestedMutation } from './nestedReads';
import { localName, readModifyWriteFix, storeBackText } from './readModifyWrite';

export const managerNestedMutation: Rule = {
  meta: {
    code: 'MP016',
    name: 'manager-nested-mutation',
    defaultSeverity: 'warning',
    summary: '`proxy[k].append(...)` and similar change a copy of a Manager dict/list item; the change is lost',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    for (const mutation of findNestedMutations(analysis)) {
      const fix = readModifyWriteFix(source, mutation);
      context.report({ span: mutation.node, message: message(source, mutation), fixes: fix ? [fix] : [] });
    }
  },
};

function message(source: SourceFile, mutation: NestedMutation): string {
  const read = snippet(source, mutation.nested.read, 40);
  const what = mutation.nested.proxyType === 'Namespace' ? 'a Manager Namespace proxy' : `a Manager ${mutation.nested.proxyType} proxy`;
  const storeBack = mutation.nested.storeBack;
  let advice = 'Read it, change the copy, and store it back';
  if (storeBack) {
    const name = localName(storeBack.proxy, storeBack.keys);
    advice = `Read it, change it, and store it back: \`${name} = ${read}\`, change \`${name}\`, then \`${storeBackText(source, storeBack)} = ${name}\``;
  }
  return (
    `\`${snippet(source, mutation.node)}\` changes a copy: reading \`${read}\` from ${what} returns a copy of the stored ` +
    `value, so this change never reaches the manager (the stored value stays as it was). ${advice}`
  );
}

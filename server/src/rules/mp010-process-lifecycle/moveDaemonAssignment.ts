// The MP010 quick fix for `p.daemon = …` after `p.start()`: move the assignment to just before
// the `start()` statement. Offered only when that is clearly the same program otherwise: the
// start is a statement of its own in the same suite, every path reaches the assignment from
// that one start, each statement owns its lines, and the assigned value neither calls anything
// nor reads a name bound between the two statements.

import type { AttributeObservation, Fact } from '../../analysis/lifecycle';
import type { Expression, Statement } from '../../parser';
import { statementBlocks, unparenthesize, walkExpression } from '../../parser';
import type { RuleContext, RuleFix } from '../rule';
import { ownsItsLines } from '../common/lifecycleFindings';

export const MOVE_DAEMON_TITLE = 'Set `daemon` before `start()`';

export function moveDaemonBeforeStart(context: RuleContext, observation: AttributeObservation, facts: readonly Fact[]): RuleFix | undefined {
  const { source } = context;
  const assignment = observation.statement;
  if (assignment.kind !== 'Assign' || assignment.targets.length !== 1 || assignment.value === undefined) return undefined;
  if (unparenthesize(assignment.targets[0]) !== observation.target) return undefined;
  const starts = new Set(facts.filter((fact) => fact.phase !== 'created').map((fact) => fact.since));
  if (starts.size !== 1 || facts.some((fact) => fact.phase !== 'started' || fact.sinceMerged)) return undefined;
  const [startCall] = starts;
  const suite = suiteHolding(observation.body.block.statements, assignment);
  if (suite === undefined) return undefined;
  const startIndex = suite.findIndex(
    (statement) => statement.kind === 'Expression' && unparenthesize(statement.value) === startCall,
  );
  const assignIndex = suite.indexOf(assignment);
  if (startIndex < 0 || startIndex >= assignIndex) return undefined;
  const start = suite[startIndex];
  if (!ownsItsLines(source, start) || !ownsItsLines(source, assignment)) return undefined;
  if (source.hasErrorWithin({ from: start.from, to: assignment.to })) return undefined;
  if (!isSimpleValue(assignment.value, boundNames(suite.slice(startIndex, assignIndex)))) return undefined;
  const lines = source.lines;
  const assignFrom = lines.lineStart(lines.lineOf(assignment.from));
  const assignEndLine = lines.lineOf(assignment.to);
  const assignTo = assignEndLine + 1 < lines.lineCount ? lines.lineStart(assignEndLine + 1) : source.text.length;
  let moved = source.text.slice(assignFrom, assignTo);
  if (!moved.endsWith('\n') && !moved.endsWith('\r')) moved += lines.eol;
  const startFrom = lines.lineStart(lines.lineOf(start.from));
  const startIndent = lines.indentation(lines.lineOf(start.from));
  const assignIndent = lines.indentation(lines.lineOf(assignment.from));
  if (startIndent !== assignIndent) return undefined;
  return {
    title: MOVE_DAEMON_TITLE,
    edits: [
      { from: startFrom, to: startFrom, insert: moved },
      { from: assignFrom, to: assignTo, insert: '' },
    ],
  };
}

/** The statement list (suite) that directly contains `target`, searched through nested suites. */
function suiteHolding(statements: readonly Statement[], target: Statement): readonly Statement[] | undefined {
  if (statements.includes(target)) return statements;
  for (const statement of statements) {
    if (statement.kind === 'FunctionDef' || statement.kind === 'ClassDef') continue;
    if (statement.from > target.from || statement.to < target.to) continue;
    for (const block of statementBlocks(statement)) {
      const found = suiteHolding(block.statements, target);
      if (found) return found;
    }
  }
  return undefined;
}

/** Names the statements bind (assignment targets, loop targets, imports…), roughly and generously. */
function boundNames(statements: readonly Statement[]): Set<string> {
  const names = new Set<string>();
  const collect = (target: Expression): void =>
    walkExpression(target, (node) => {
      if (node.kind === 'Name') names.add(node.name);
    });
  const visit = (statement: Statement): void => {
    switch (statement.kind) {
      case 'Assign':
        statement.targets.forEach(collect);
        break;
      case 'AugAssign':
        collect(statement.target);
        break;
      case 'For':
        collect(statement.target);
        break;
      case 'With':
        for (const item of statement.items) if (item.target) collect(item.target);
        break;
      case 'Import':
      case 'ImportFrom':
        if (statement.names !== '*') for (const alias of statement.names) names.add(alias.asName?.name ?? alias.name.split('.')[0]);
        break;
      case 'FunctionDef':
      case 'ClassDef':
        names.add(statement.name.name);
        return;
      default:
        break;
    }
    if (statement.kind === 'Expression' || statement.kind === 'Assign') {
      walkExpression(statement.kind === 'Expression' ? statement.value : statement.value ?? statement.targets[0], (node) => {
        if (node.kind === 'Named') names.add(node.target.name);
      });
    }
    for (const block of statementBlocks(statement)) block.statements.forEach(visit);
  };
  statements.forEach(visit);
  return names;
}

function isSimpleValue(value: Expression, rebound: ReadonlySet<string>): boolean {
  let simple = true;
  walkExpression(value, (node) => {
    if (node.kind === 'Call' || node.kind === 'Await' || node.kind === 'Yield' || node.kind === 'Named' || node.kind === 'Lambda') simple = false;
    if (node.kind === 'Name' && rebound.has(node.name)) simple = false;
    return simple;
  });
  return simple;
}

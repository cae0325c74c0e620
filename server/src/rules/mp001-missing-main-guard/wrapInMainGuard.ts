// The MP001 quick fix: move the module-level code that starts processes under
// `if __name__ == "__main__":`.
//
// The region runs from the first top-level statement that starts a process to the last
// executable top-level statement. Inside it, imports, functions and classes are hoisted above
// the guard in their original order (children must still find worker functions when they
// re-import the module), unless one needs, when it is defined, a name the guarded code binds;
// everything else moves into the guard, indented by the file's own indent unit. Comments move
// with the statement they precede, lines inside multi-line strings are never re-indented, and
// an existing plain main guard inside the region is merged rather than nested.

import type { ModuleAnalysis } from '../../analysis';
import { mainGuardBranches } from '../../analysis';
import type { Block, Expression, SourceFile, Span, Statement } from '../../parser';
import { statementBlocks, statementExpressions, walkExpression } from '../../parser';
import type { RuleFix } from '../rule';

export const WRAP_IN_MAIN_GUARD_TITLE = 'Wrap in `if __name__ == "__main__":`';

/** Top-level statements sharing lines (`a = 1; b = 2`) move together. */
interface Unit {
  readonly statements: readonly Statement[];
  readonly from: number;
  readonly to: number;
  readonly startLine: number;
  readonly endLine: number;
}

export function wrapInMainGuardFix(
  source: SourceFile,
  analysis: ModuleAnalysis,
  offendingSpans: readonly Span[],
): RuleFix | undefined {
  const lines = source.lines;
  const units = groupIntoUnits(source, source.module.body.statements);
  const offending = units.map((unit) => offendingSpans.some((span) => span.from >= unit.from && span.from <= unit.to));
  const first = offending.indexOf(true);
  if (first < 0) return undefined;
  const hoistableKind = units.map((unit, index) => !offending[index] && unit.statements.every(isDefinitionOrImport));
  let last = first;
  for (let index = first; index < units.length; index++) if (!hoistableKind[index]) last = index;

  const region = units.slice(first, last + 1);
  const regionStartLine = leadingCommentStart(source, units[first], first > 0 ? units[first - 1].endLine : -1);
  const regionFrom = lines.lineStart(regionStartLine);
  const regionTo = lines.lineEnd(units[last].endLine);
  // Moving code around a syntax error could turn one error into several. An error the parser
  // reports after the region's last line (an unclosed bracket at the end of the file) counts.
  const checkTo = last + 1 < units.length ? units[last + 1].from - 1 : source.text.length;
  if (source.hasErrorWithin({ from: regionFrom, to: checkTo })) return undefined;
  if (region.some((unit) => unit.statements.some((statement) => statement.kind === 'Error'))) return undefined;

  const hoisted = chooseHoisted(analysis, region, hoistableKind.slice(first, last + 1));
  const indentUnit = detectIndentUnit(source);
  const eol = lines.eol;

  const blankLinesAboveRegion = countTrailingBlank(
    range(first > 0 ? units[first - 1].endLine + 1 : 0, regionStartLine - 1).map((line) => lines.lineText(line)),
  );
  const hoistedLines: string[] = [];
  const guardedLines: string[] = [];
  let blankLinesBeforeGuard = 0;
  region.forEach((unit, index) => {
    const triviaStart = index === 0 ? regionStartLine : region[index - 1].endLine + 1;
    const trivia = range(triviaStart, unit.startLine - 1).map((line) => lines.lineText(line));
    if (hoisted[index]) {
      if (hoistedLines.length === 0) {
        // The blank lines that set the first hoisted definition apart now sit both above it
        // (at least as many as the file already has there) and between the hoisted block and the guard.
        blankLinesBeforeGuard = countLeadingBlank(trivia);
        const missing = Math.max(0, blankLinesBeforeGuard - blankLinesAboveRegion);
        hoistedLines.push(...Array<string>(missing).fill(''), ...trivia.slice(blankLinesBeforeGuard));
      } else {
        hoistedLines.push(...trivia);
      }
      hoistedLines.push(...range(unit.startLine, unit.endLine).map((line) => lines.lineText(line)));
      return;
    }
    const guardedTrivia = guardedLines.length === 0 ? trivia.slice(countLeadingBlank(trivia)) : collapseBlankRuns(trivia);
    guardedLines.push(...guardedTrivia.map((text) => indentTrivia(text, indentUnit)));
    guardedLines.push(...unitLines(source, unit, indentUnit));
  });

  const output: string[] = [...hoistedLines];
  if (hoistedLines.length > 0) for (let i = 0; i < blankLinesBeforeGuard; i++) output.push('');
  output.push('if __name__ == "__main__":', ...guardedLines);
  return {
    title: WRAP_IN_MAIN_GUARD_TITLE,
    edits: [{ from: regionFrom, to: regionTo, insert: output.join(eol) }],
  };
}

function groupIntoUnits(source: SourceFile, statements: readonly Statement[]): Unit[] {
  const lines = source.lines;
  const units: Unit[] = [];
  for (const statement of statements) {
    const startLine = lines.lineOf(statement.from);
    const endLine = lines.lineOf(statement.to);
    const previous = units[units.length - 1];
    if (previous && startLine <= previous.endLine) {
      units[units.length - 1] = {
        statements: [...previous.statements, statement],
        from: previous.from,
        to: statement.to,
        startLine: previous.startLine,
        endLine: Math.max(previous.endLine, endLine),
      };
    } else {
      units.push({ statements: [statement], from: statement.from, to: statement.to, startLine, endLine });
    }
  }
  return units;
}

function isDefinitionOrImport(statement: Statement): boolean {
  return (
    statement.kind === 'Import' ||
    statement.kind === 'ImportFrom' ||
    statement.kind === 'FunctionDef' ||
    statement.kind === 'ClassDef'
  );
}

/** The comment lines directly above a unit (no blank line between) travel with it. */
function leadingCommentStart(source: SourceFile, unit: Unit, previousEndLine: number): number {
  let line = unit.startLine;
  while (line - 1 > previousEndLine && source.lines.lineText(line - 1).trim().startsWith('#')) line--;
  return line;
}

/**
 * Hoists definitions and imports, except a definition that evaluates, when defined, a name
 * bound by guarded code (a default value, decorator, base class or class-body expression):
 * hoisted above the guard it would run before that name exists. Keeping one in the guard
 * may in turn keep others there, hence the loop.
 */
function chooseHoisted(analysis: ModuleAnalysis, region: readonly Unit[], hoistableKind: readonly boolean[]): boolean[] {
  const hoisted = [...hoistableKind];
  const moduleBindings = analysis.scopes.moduleScope.bindings;
  const definitionTimeNames = region.map((unit) => namesUsedWhenDefined(unit.statements));
  for (let changed = true; changed; ) {
    changed = false;
    const guardedNames = new Set<string>();
    for (const [name, bindings] of moduleBindings) {
      const boundInGuard = bindings.some((binding) => {
        const at = binding.kind === 'import' || binding.kind === 'importFrom' ? binding.alias.from : binding.name.from;
        return region.some((unit, index) => !hoisted[index] && at >= unit.from && at <= unit.to);
      });
      if (boundInGuard) guardedNames.add(name);
    }
    region.forEach((_unit, index) => {
      if (!hoisted[index]) return;
      if ([...definitionTimeNames[index]].some((name) => guardedNames.has(name))) {
        hoisted[index] = false;
        changed = true;
      }
    });
  }
  return hoisted;
}

/** Names a def/class reads when its statement runs (not later, when it is called). */
function namesUsedWhenDefined(statements: readonly Statement[]): Set<string> {
  const names = new Set<string>();
  const readExpression = (expression: Expression): void =>
    walkExpression(expression, (node) => {
      if (node.kind === 'Name') names.add(node.name);
      return node.kind !== 'Lambda';
    });
  const readStatement = (statement: Statement): void => {
    for (const expression of statementExpressions(statement)) readExpression(expression);
    if (statement.kind === 'FunctionDef') return;
    for (const block of statementBlocks(statement)) readBlock(block);
  };
  const readBlock = (block: Block): void => block.statements.forEach(readStatement);
  for (const statement of statements) {
    if (statement.kind === 'FunctionDef' || statement.kind === 'ClassDef') readStatement(statement);
  }
  return names;
}

/** The file's indentation step, from its first indented suite; four spaces when it has none. */
function detectIndentUnit(source: SourceFile): string {
  const lines = source.lines;
  const search = (block: Block): string | undefined => {
    for (const statement of block.statements) {
      for (const nested of statementBlocks(statement)) {
        if (!nested.inline && !nested.recovered && nested.statements.length > 0) {
          const header = lines.indentation(lines.lineOf(statement.from));
          const body = lines.indentation(lines.lineOf(nested.statements[0].from));
          if (body.length > header.length && body.startsWith(header)) return body.slice(header.length);
        }
        const found = search(nested);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(source.module.body) ?? '    ';
}

/** A unit's lines, indented one level; an existing plain main guard gives up its header instead. */
function unitLines(source: SourceFile, unit: Unit, indentUnit: string): string[] {
  const lines = source.lines;
  const statement = unit.statements.length === 1 ? unit.statements[0] : undefined;
  if (statement?.kind === 'If' && isMergeableGuard(source, statement)) {
    const bodyIndent = lines.indentation(lines.lineOf(statement.body.statements[0].from));
    return range(lines.lineOf(statement.from) + 1, unit.endLine).map((line) => {
      const text = lines.lineText(line);
      if (text.trim() === '') return '';
      if (insideString(source, line) || !text.startsWith(bodyIndent)) return text;
      return indentUnit + text.slice(bodyIndent.length);
    });
  }
  return range(unit.startLine, unit.endLine).map((line) => {
    const text = lines.lineText(line);
    if (text.trim() === '') return insideString(source, line) ? text : '';
    return insideString(source, line) ? text : indentUnit + text;
  });
}

/** `if __name__ == "__main__":` with a suite on its own lines, no `else`, no comment on the header. */
function isMergeableGuard(source: SourceFile, statement: Statement & { kind: 'If' }): boolean {
  if (!mainGuardBranches(statement.test).bodyRunsOnlyAsMain || statement.orElse) return false;
  const body = statement.body;
  if (body.inline || body.recovered || body.statements.length === 0) return false;
  const headerLine = source.lines.lineOf(statement.from);
  return !source.comments.some((comment) => source.lines.lineOf(comment.from) === headerLine);
}

/** Whether the line starts inside a multi-line string (its text is part of the string). */
function insideString(source: SourceFile, line: number): boolean {
  const start = source.lines.lineStart(line);
  return source.multilineStrings.some((string) => string.from < start && start < string.to);
}

function indentTrivia(text: string, indentUnit: string): string {
  return text.trim() === '' ? '' : indentUnit + text;
}

function countTrailingBlank(lines: readonly string[]): number {
  let count = 0;
  while (count < lines.length && lines[lines.length - 1 - count].trim() === '') count++;
  return count;
}

function countLeadingBlank(lines: readonly string[]): number {
  let count = 0;
  while (count < lines.length && lines[count].trim() === '') count++;
  return count;
}

/** Blank lines between guarded statements: at most one in a row. */
function collapseBlankRuns(lines: readonly string[]): string[] {
  return lines.filter((text, index) => text.trim() !== '' || index === 0 || lines[index - 1].trim() !== '');
}

function range(first: number, last: number): number[] {
  const out: number[] = [];
  for (let line = first; line <= last; line++) out.push(line);
  return out;
}

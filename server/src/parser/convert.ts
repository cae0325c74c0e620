// Builds the typed syntax view (`syntax.ts`) from a @lezer/python tree. This file and
// `parse.ts` are the only ones that know lezer's node names; lezer's nodes have no named
// fields, so each conversion walks a node's children in grammar order.
//
// Error recovery: lezer keeps going after a syntax error and marks what it skipped or invented
// with error nodes (`⚠`). The converter drops those nodes (their spans are collected
// separately), turns a missing operand into an `Error` expression, and re-homes statements that
// the parser left at the wrong level when a compound statement's header lost its colon.

import type { SyntaxNode as LezerNode, Tree } from '@lezer/common';
import type { LineIndex } from './lineIndex';
import type { SpanIndex } from './spanIndex';
import type { StatementCache } from './statementCache';
import { decodeStringLiteral } from './stringLiteral';
import type {
  Argument,
  Block,
  ClassDefinition,
  ComprehensionClause,
  ErrorStatement,
  ExceptHandler,
  Expression,
  FunctionDefinition,
  Identifier,
  IfStatement,
  ImportAlias,
  MatchCase,
  Module,
  NameExpression,
  Parameter,
  Span,
  Statement,
  StringExpression,
  WithItem,
} from './syntax';

// Readonly in the public view; the converter fills some fields in after the fact while it
// re-homes statements.
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const EXPRESSION_NODES = new Set([
  'VariableName',
  'MemberExpression',
  'CallExpression',
  'Number',
  'String',
  'FormatString',
  'ContinuedString',
  'Ellipsis',
  'None',
  'Boolean',
  'ParenthesizedExpression',
  'TupleExpression',
  'ComprehensionExpression',
  'ArrayExpression',
  'ArrayComprehensionExpression',
  'DictionaryExpression',
  'DictionaryComprehensionExpression',
  'SetExpression',
  'SetComprehensionExpression',
  'BinaryExpression',
  'UnaryExpression',
  'AwaitExpression',
  'YieldExpression',
  'ConditionalExpression',
  'LambdaExpression',
  'NamedExpression',
]);

export const STATEMENT_NODES: ReadonlySet<string> = new Set([
  'AssignStatement',
  'UpdateStatement',
  'ExpressionStatement',
  'DeleteStatement',
  'PassStatement',
  'BreakStatement',
  'ContinueStatement',
  'ReturnStatement',
  'YieldStatement',
  'PrintStatement',
  'RaiseStatement',
  'ImportStatement',
  'ScopeStatement',
  'AssertStatement',
  'TypeDefinition',
  'IfStatement',
  'WhileStatement',
  'ForStatement',
  'TryStatement',
  'WithStatement',
  'FunctionDefinition',
  'ClassDefinition',
  'DecoratedStatement',
  'MatchStatement',
  'StatementGroup',
]);

/**
 * Nesting deeper than this (expressions and statements together) becomes an `Error` node.
 * It keeps every recursive walk over the syntax view far from the stack limit; real code stays
 * far below it, and CPython itself refuses 200 nested parentheses or 100 indentation levels.
 */
export const MAX_SYNTAX_DEPTH = 300;

/** Children without comments and error nodes: the grammar-order tokens a conversion reads. */
function kids(node: LezerNode): LezerNode[] {
  const out: LezerNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'Comment' && !child.type.isError) out.push(child);
  }
  return out;
}

/** Splits a token sequence at top-level commas. Empty items (a trailing comma) are dropped. */
function splitAtCommas(nodes: readonly LezerNode[]): LezerNode[][] {
  const items: LezerNode[][] = [];
  let current: LezerNode[] = [];
  for (const node of nodes) {
    if (node.name === ',') {
      if (current.length > 0) items.push(current);
      current = [];
    } else {
      current.push(node);
    }
  }
  if (current.length > 0) items.push(current);
  return items;
}

export class SyntaxConverter {
  /** Current nesting of statement and expression conversions (see MAX_SYNTAX_DEPTH). */
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    /** Where this parse recovered from errors. */
    private readonly errors: SpanIndex,
    /** Conversions of statements from earlier parses of the same document. */
    private readonly cache?: StatementCache,
    /**
     * The cache keys of the top-level statements that start their line, by offset, when the
     * caller worked them out already (see IncrementalParser).
     */
    private readonly keys?: ReadonlyMap<number, string>,
  ) {}

  module(tree: Tree): Module {
    const top = tree.topNode;
    const statements = this.statementList(kids(top), 0);
    this.cache?.endParse();
    return { body: this.block(statements, false, false, 0) };
  }

  // -------------------------------------------------------------------------------------------
  // Blocks and re-homing

  private block(statements: Statement[], inline: boolean, recovered: boolean, emptyAt: number): Block {
    if (statements.length === 0) return { from: emptyAt, to: emptyAt, statements, inline, recovered };
    return { from: statements[0].from, to: statements[statements.length - 1].to, statements, inline, recovered };
  }

  /** `listColumn`: the block's indentation when known (the module's is 0), else its first statement's. */
  private statementList(nodes: readonly LezerNode[], listColumn?: number): Statement[] {
    const placed: Statement[] = [];
    for (const node of nodes) {
      if (!STATEMENT_NODES.has(node.name)) continue;
      const converted = this.cachedStatement(node);
      for (const statement of converted) {
        if (!this.startsLine(statement.from)) {
          placed.push(statement);
          continue;
        }
        const column = this.lines.column(statement.from);
        if (listColumn === undefined) listColumn = column;
        this.place(placed, listColumn, statement, column);
      }
    }
    return placed;
  }

  /**
   * Appends `statement` to `list`, unless it is indented deeper than the list: then it belongs
   * to the suite of the compound statement above whose colon went missing (lezer then produces
   * no suite and leaves the indented lines as siblings), or, failing that, it is an unexpected
   * indent whose place in the program is unknown.
   */
  private place(list: Statement[], listColumn: number, statement: Statement, column: number): void {
    if (column <= listColumn) {
      list.push(statement);
      return;
    }
    const previous = list[list.length - 1] as Statement | undefined;
    if (previous !== undefined) {
      const path = previous.kind === 'Error' ? undefined : openRecoveredSuite(previous);
      if (path !== undefined && column > this.lines.column(previous.from)) {
        const suite = path.suite as Mutable<Block>;
        const statements = suite.statements as Statement[];
        const suiteColumn = statements.length > 0 ? this.lines.column(statements[0].from) : column;
        if (statements.length === 0) suite.from = statement.from;
        this.place(statements, suiteColumn, statement, column);
        suite.to = statement.to;
        for (const owner of path.owners) (owner as Mutable<Span>).to = statement.to;
        return;
      }
      if (previous.kind === 'Error' && previous.reason === 'unexpected-indent') {
        (previous.statements as Statement[]).push(statement);
        (previous as Mutable<ErrorStatement>).to = statement.to;
        return;
      }
    }
    list.push({
      kind: 'Error',
      reason: 'unexpected-indent',
      statements: [statement],
      expressions: [],
      from: statement.from,
      to: statement.to,
    });
  }

  /** A statement, re-used from a previous parse when its text is unchanged. */
  private cachedStatement(node: LezerNode): readonly Statement[] {
    const cache = this.cache;
    if (cache === undefined || this.depth > 1 || this.errors.touches(node.from, node.to)) return this.statement(node);
    if (this.depth === 1) return this.nestedStatement(node, cache);
    // The key is the statement's text with the indentation before it. A statement that does not
    // start its line (after `;`, or after text recovery skipped) is not cached: the same line
    // could hold a different statement (`x = f()` there, only `f()` after an error at `=`).
    let key: string | undefined;
    if (this.keys !== undefined) {
      key = this.keys.get(node.from);
    } else {
      const lineStart = this.lines.lineStart(this.lines.lineOf(node.from));
      if (/^[ \t\f]*$/.test(this.text.slice(lineStart, node.from))) key = this.text.slice(lineStart, node.to);
    }
    if (key === undefined) return this.statement(node);
    const reused = cache.take(key, node.from);
    if (reused !== undefined) return reused;
    const statements = this.statement(node);
    cache.put(key, statements, this.keys !== undefined);
    return statements;
  }

  /**
   * A statement directly inside a top-level one (a method of a class, a statement of a function
   * body): an edit inside a large class re-converts only what changed. It is re-used as a copy,
   * never as the cached object itself, which belongs to the top-level statement it was made in
   * (see StatementCache).
   */
  private nestedStatement(node: LezerNode, cache: StatementCache): readonly Statement[] {
    const lineStart = this.lines.lineStart(this.lines.lineOf(node.from));
    if (!/^[ \t\f]*$/.test(this.text.slice(lineStart, node.from))) return this.statement(node);
    const key = this.text.slice(lineStart, node.to);
    const reused = cache.copyOfNested(key, node.from);
    if (reused !== undefined) return reused;
    const statements = this.statement(node);
    cache.putNested(key, statements);
    return statements;
  }

  private startsLine(offset: number): boolean {
    const line = this.lines.lineOf(offset);
    return this.text.slice(this.lines.lineStart(line), offset).trim() === '';
  }

  /** A lezer `Body`: `:` then an inline simple statement or an indented statement list. */
  private body(node: LezerNode | undefined, headerEnd: number): Block {
    if (node === undefined || node.name !== 'Body') return this.block([], false, true, headerEnd);
    const children = kids(node);
    const colon = children.find((child) => child.name === ':');
    const statements = this.statementList(children);
    const inline =
      colon !== undefined &&
      statements.length > 0 &&
      this.lines.lineOf(statements[0].from) === this.lines.lineOf(colon.from);
    return this.block(statements, inline, false, node.from);
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private statement(node: LezerNode): Statement[] {
    if (this.depth >= MAX_SYNTAX_DEPTH) {
      return [{ kind: 'Error', reason: 'unparsed', statements: [], expressions: [], from: node.from, to: this.trimEnd(node.from, node.to) }];
    }
    this.depth++;
    try {
      return this.statementAtDepth(node);
    } finally {
      this.depth--;
    }
  }

  private statementAtDepth(node: LezerNode): Statement[] {
    switch (node.name) {
      case 'StatementGroup':
        return kids(node).flatMap((child) => (STATEMENT_NODES.has(child.name) ? this.statement(child) : []));
      case 'DecoratedStatement':
        return [this.decorated(node)];
      default:
        return [this.singleStatement(node)];
    }
  }

  private singleStatement(node: LezerNode): Statement {
    const from = node.from;
    const to = this.trimEnd(node.from, node.to);
    const children = kids(node);
    switch (node.name) {
      case 'ExpressionStatement':
        return { kind: 'Expression', value: this.expressionList(children, from), from, to };
      case 'AssignStatement':
        return this.assignment(children, from, to);
      case 'UpdateStatement': {
        const opIndex = children.findIndex((child) => child.name === 'UpdateOp');
        const target = this.expressionList(children.slice(0, Math.max(opIndex, 0)), from);
        const operator = opIndex >= 0 ? this.slice(children[opIndex]) : '';
        const value = this.expressionList(opIndex >= 0 ? children.slice(opIndex + 1) : [], to);
        return { kind: 'AugAssign', target, operator, value, from, to };
      }
      case 'ImportStatement':
        return this.importStatement(children, from, to);
      case 'IfStatement':
        return this.ifClause(children, 0, from, to);
      case 'WhileStatement': {
        const test = this.expressionAfter(children, 'while', to);
        let bodyIndex = children.findIndex((child) => child.name === 'Body' || child.name === 'else');
        if (bodyIndex < 0) bodyIndex = children.length;
        const [body, next] = this.clauseBody(children, bodyIndex, test.to);
        const elseNode = children[next]?.name === 'else' ? children[next] : undefined;
        const orElse = elseNode ? this.clauseBody(children, next + 1, elseNode.to)[0] : undefined;
        return { kind: 'While', test, body, orElse, from, to };
      }
      case 'ForStatement':
        return this.forStatement(children, from, to);
      case 'WithStatement':
        return this.withStatement(children, from, to);
      case 'TryStatement':
        return this.tryStatement(children, from, to);
      case 'FunctionDefinition':
        return this.functionDefinition(children, [], from, to);
      case 'ClassDefinition':
        return this.classDefinition(children, [], from, to);
      case 'ReturnStatement':
        return {
          kind: 'Return',
          value: children.length > 1 ? this.expressionList(children.slice(1), to) : undefined,
          from,
          to,
        };
      case 'DeleteStatement':
        return {
          kind: 'Delete',
          targets: splitAtCommas(children.slice(1)).map((item) => this.item(item)),
          from,
          to,
        };
      case 'RaiseStatement': {
        const fromIndex = children.findIndex((child) => child.name === 'from');
        const exceptionNodes = children.slice(1, fromIndex >= 0 ? fromIndex : undefined);
        return {
          kind: 'Raise',
          exception: exceptionNodes.length > 0 ? this.expressionList(exceptionNodes, to) : undefined,
          cause: fromIndex >= 0 ? this.expressionAt(children[fromIndex + 1], to) : undefined,
          from,
          to,
        };
      }
      case 'AssertStatement': {
        const items = splitAtCommas(children.slice(1));
        return {
          kind: 'Assert',
          test: items[0] ? this.item(items[0]) : this.missing(to),
          message: items[1] ? this.item(items[1]) : undefined,
          from,
          to,
        };
      }
      case 'ScopeStatement':
        return {
          kind: children[0]?.name === 'nonlocal' ? 'Nonlocal' : 'Global',
          names: children.filter((child) => child.name === 'VariableName').map((child) => this.identifier(child)),
          from,
          to,
        };
      case 'PassStatement':
        return { kind: 'Pass', from, to };
      case 'BreakStatement':
        return { kind: 'Break', from, to };
      case 'ContinueStatement':
        return { kind: 'Continue', from, to };
      case 'YieldStatement':
        return { kind: 'Expression', value: this.yieldFrom(children, from, to), from, to };
      case 'TypeDefinition': {
        const name = children.find((child) => child.name === 'VariableName');
        const equals = children.findIndex((child) => child.name === '=');
        return {
          kind: 'TypeAlias',
          name: name ? this.identifier(name) : { name: '', from, to: from },
          value: equals >= 0 ? this.expressionAt(children[equals + 1], to) : this.missing(to),
          from,
          to,
        };
      }
      case 'MatchStatement':
        return this.matchStatement(children, from, to);
      case 'PrintStatement':
        return {
          kind: 'Error',
          reason: 'python2-print',
          statements: [],
          expressions: children.filter((child) => EXPRESSION_NODES.has(child.name)).map((child) => this.expression(child)),
          from,
          to,
        };
      default:
        return { kind: 'Error', reason: 'unparsed', statements: [], expressions: [], from, to };
    }
  }

  private assignment(children: LezerNode[], from: number, to: number): Statement {
    const segments: LezerNode[][] = [[]];
    for (const child of children) {
      if (child.name === 'AssignOp') segments.push([]);
      else segments[segments.length - 1].push(child);
    }
    let annotation: Expression | undefined;
    const first = segments[0];
    const typeDefIndex = first.findIndex((child) => child.name === 'TypeDef');
    if (typeDefIndex >= 0) {
      annotation = this.typeDef(first[typeDefIndex]);
      first.splice(typeDefIndex, 1);
    }
    if (segments.length === 1) {
      return { kind: 'Assign', targets: [this.expressionList(first, from)], value: undefined, annotation, from, to };
    }
    const targets = segments.slice(0, -1).map((segment) => this.expressionList(segment, from));
    const last = segments[segments.length - 1];
    return { kind: 'Assign', targets, value: this.expressionList(last, to), annotation, from, to };
  }

  private importStatement(children: LezerNode[], from: number, to: number): Statement {
    const importIndex = children.findIndex((child) => child.name === 'import');
    if (children[0]?.name === 'from') {
      let level = 0;
      const moduleParts: string[] = [];
      for (const child of children.slice(1, importIndex >= 0 ? importIndex : undefined)) {
        // Dots before the module name are the relative level; later ones separate its parts.
        if (child.name === 'VariableName') moduleParts.push(this.slice(child));
        else if (moduleParts.length > 0) continue;
        else if (child.name === '.') level += 1;
        else if (child.name === 'Ellipsis') level += 3;
      }
      const rest = importIndex >= 0 ? children.slice(importIndex + 1) : [];
      const names = rest.some((child) => child.name === '*') ? '*' : this.importAliases(rest);
      return {
        kind: 'ImportFrom',
        module: moduleParts.length > 0 ? moduleParts.join('.') : undefined,
        level,
        names,
        from,
        to,
      };
    }
    return { kind: 'Import', names: this.importAliases(children.slice(importIndex + 1)), from, to };
  }

  private importAliases(nodes: readonly LezerNode[]): ImportAlias[] {
    const aliases: ImportAlias[] = [];
    for (const item of splitAtCommas(nodes.filter((node) => node.name !== '(' && node.name !== ')'))) {
      const asIndex = item.findIndex((node) => node.name === 'as');
      const nameNodes = item.slice(0, asIndex >= 0 ? asIndex : undefined).filter((node) => node.name === 'VariableName');
      if (nameNodes.length === 0) continue;
      const asNode = asIndex >= 0 ? item[asIndex + 1] : undefined;
      aliases.push({
        name: nameNodes.map((node) => this.slice(node)).join('.'),
        asName: asNode && asNode.name === 'VariableName' ? this.identifier(asNode) : undefined,
        from: item[0].from,
        to: item[item.length - 1].to,
      });
    }
    return aliases;
  }

  /** An `elif` and what follows it: one level deeper, as it nests in the `else` of the `if` before. */
  private ifChain(children: LezerNode[], index: number, from: number, to: number): IfStatement {
    this.depth++;
    try {
      return this.ifClause(children, index, from, to);
    } finally {
      this.depth--;
    }
  }

  /** The `if`/`elif` clause at `index` and the clauses after it, folded into nested IfStatements. */
  private ifClause(children: LezerNode[], index: number, from: number, to: number): IfStatement {
    const keyword = children[index];
    let cursor = index + 1;
    let test: Expression;
    if (cursor < children.length && EXPRESSION_NODES.has(children[cursor].name)) {
      test = this.expression(children[cursor]);
      cursor++;
    } else {
      test = this.missing(keyword ? keyword.to : from);
    }
    let bodyNode: LezerNode | undefined;
    if (children[cursor]?.name === 'Body') {
      bodyNode = children[cursor];
      cursor++;
    }
    const body = this.body(bodyNode, test.to);
    let orElse: Block | undefined;
    const next = children[cursor];
    if (next?.name === 'elif' && this.depth >= MAX_SYNTAX_DEPTH) {
      const rest: Statement = { kind: 'Error', reason: 'unparsed', statements: [], expressions: [], from: next.from, to };
      orElse = { from: next.from, to, statements: [rest], inline: false, recovered: false };
    } else if (next?.name === 'elif') {
      const elif = this.ifChain(children, cursor, next.from, to);
      orElse = { from: elif.from, to: elif.to, statements: [elif], inline: false, recovered: false };
    } else if (next?.name === 'else') {
      orElse = this.body(children[cursor + 1], next.to);
    }
    return { kind: 'If', test, body, orElse, isElif: keyword?.name === 'elif', from, to };
  }

  private forStatement(children: LezerNode[], from: number, to: number): Statement {
    const forIndex = children.findIndex((child) => child.name === 'for');
    const inIndex = children.findIndex((child) => child.name === 'in');
    const isHeaderEnd = (child: LezerNode): boolean => child.name === 'Body' || child.name === 'else';
    let headerEnd = children.findIndex(isHeaderEnd);
    if (headerEnd < 0) headerEnd = children.length;
    const target = this.expressionList(children.slice(forIndex + 1, inIndex >= 0 ? inIndex : headerEnd), children[forIndex]?.to ?? from);
    const iterable = this.expressionList(inIndex >= 0 ? children.slice(inIndex + 1, headerEnd) : [], target.to);
    const [body, next] = this.clauseBody(children, headerEnd, iterable.to);
    const elseNode = children[next]?.name === 'else' ? children[next] : undefined;
    return {
      kind: 'For',
      target,
      iterable,
      body,
      orElse: elseNode ? this.clauseBody(children, next + 1, elseNode.to)[0] : undefined,
      isAsync: children[0]?.name === 'async',
      from,
      to,
    };
  }

  private withStatement(children: LezerNode[], from: number, to: number): Statement {
    const withIndex = children.findIndex((child) => child.name === 'with');
    const bodyIndex = children.findIndex((child) => child.name === 'Body');
    const items: WithItem[] = [];
    for (const item of splitAtCommas(children.slice(withIndex + 1, bodyIndex >= 0 ? bodyIndex : undefined))) {
      const asIndex = item.findIndex((node) => node.name === 'as');
      const context = this.item(asIndex >= 0 ? item.slice(0, asIndex) : item);
      const targetNode = asIndex >= 0 ? item[asIndex + 1] : undefined;
      const target = targetNode ? this.expression(targetNode) : undefined;
      items.push({ context, target, from: item[0].from, to: item[item.length - 1].to });
    }
    const headerEnd = items.length > 0 ? items[items.length - 1].to : children[withIndex]?.to ?? from;
    return {
      kind: 'With',
      items,
      body: this.body(bodyIndex >= 0 ? children[bodyIndex] : undefined, headerEnd),
      isAsync: children[0]?.name === 'async',
      from,
      to,
    };
  }

  private tryStatement(children: LezerNode[], from: number, to: number): Statement {
    let body: Block | undefined;
    const handlers: ExceptHandler[] = [];
    let orElse: Block | undefined;
    let finalBody: Block | undefined;
    let i = 0;
    while (i < children.length) {
      const child = children[i];
      if (child.name === 'try') {
        [body, i] = this.clauseBody(children, i + 1, child.to);
      } else if (child.name === 'except') {
        let j = i + 1;
        let isGroup = false;
        if (children[j]?.name === '*') {
          isGroup = true;
          j++;
        }
        let type: Expression | undefined;
        let name: Identifier | undefined;
        if (children[j] && EXPRESSION_NODES.has(children[j].name)) {
          type = this.expression(children[j]);
          j++;
          if ((children[j]?.name === 'as' || children[j]?.name === ',') && children[j + 1]?.name === 'VariableName') {
            name = this.identifier(children[j + 1]);
            j += 2;
          }
        }
        const [handlerBody, next] = this.clauseBody(children, j, children[j - 1].to);
        handlers.push({ type, name, body: handlerBody, isGroup, from: child.from, to: Math.max(handlerBody.to, child.to) });
        i = next;
      } else if (child.name === 'else') {
        [orElse, i] = this.clauseBody(children, i + 1, child.to);
      } else if (child.name === 'finally') {
        [finalBody, i] = this.clauseBody(children, i + 1, child.to);
      } else {
        i++;
      }
    }
    return { kind: 'Try', body: body ?? this.block([], false, true, from), handlers, orElse, finalBody, from, to };
  }

  /** The suite at `index` when there is one, and the index after it. */
  private clauseBody(children: LezerNode[], index: number, headerEnd: number): [Block, number] {
    const node = children[index];
    if (node?.name === 'Body') return [this.body(node, headerEnd), index + 1];
    return [this.body(undefined, headerEnd), index];
  }

  private functionDefinition(
    children: LezerNode[],
    decorators: Expression[],
    from: number,
    to: number,
  ): FunctionDefinition {
    const nameNode = children.find((child) => child.name === 'VariableName');
    const name = nameNode ? this.identifier(nameNode) : { name: '', from, to: from };
    const paramList = children.find((child) => child.name === 'ParamList');
    const returnsNode = children.find((child) => child.name === 'TypeDef');
    const bodyNode = children.find((child) => child.name === 'Body');
    const headerEnd = returnsNode?.to ?? paramList?.to ?? name.to;
    return {
      kind: 'FunctionDef',
      name,
      decorators,
      parameters: paramList ? this.parameters(kids(paramList)) : [],
      returns: returnsNode ? this.typeDef(returnsNode) : undefined,
      body: this.body(bodyNode, headerEnd),
      isAsync: children[0]?.name === 'async',
      from,
      to,
    };
  }

  private classDefinition(
    children: LezerNode[],
    decorators: Expression[],
    from: number,
    to: number,
  ): ClassDefinition {
    const nameNode = children.find((child) => child.name === 'VariableName');
    const name = nameNode ? this.identifier(nameNode) : { name: '', from, to: from };
    const argList = children.find((child) => child.name === 'ArgList');
    const bodyNode = children.find((child) => child.name === 'Body');
    return {
      kind: 'ClassDef',
      name,
      decorators,
      bases: argList ? this.arguments(argList) : [],
      body: this.body(bodyNode, argList?.to ?? name.to),
      from,
      to,
    };
  }

  private decorated(node: LezerNode): Statement {
    const children = kids(node);
    const decorators = children.filter((child) => child.name === 'Decorator').map((child) => this.decorator(child));
    const definition = children.find((child) => child.name === 'FunctionDefinition' || child.name === 'ClassDefinition');
    const from = node.from;
    const to = this.trimEnd(node.from, node.to);
    if (definition === undefined) {
      return { kind: 'Error', reason: 'unparsed', statements: [], expressions: decorators, from, to };
    }
    return definition.name === 'FunctionDefinition'
      ? this.functionDefinition(kids(definition), decorators, from, to)
      : this.classDefinition(kids(definition), decorators, from, to);
  }

  /** `@a.b.c(args)`: lezer only knows dotted names with an optional argument list. */
  private decorator(node: LezerNode): Expression {
    let expression: Expression | undefined;
    for (const child of kids(node)) {
      if (child.name === 'VariableName') {
        const name = this.identifier(child);
        expression =
          expression === undefined
            ? { kind: 'Name', name: name.name, from: name.from, to: name.to }
            : { kind: 'Attribute', object: expression, name, from: expression.from, to: name.to };
      } else if (child.name === 'ArgList' && expression !== undefined) {
        expression = {
          kind: 'Call',
          callee: expression,
          args: this.arguments(child),
          argList: { from: child.from, to: child.to },
          from: expression.from,
          to: child.to,
        };
      }
    }
    return expression ?? this.missing(node.to);
  }

  private matchStatement(children: LezerNode[], from: number, to: number): Statement {
    const subjectNodes = children.filter((child) => EXPRESSION_NODES.has(child.name));
    const subject = subjectNodes[0] ? this.expression(subjectNodes[0]) : this.missing(from);
    const matchBody = children.find((child) => child.name === 'MatchBody');
    const cases: MatchCase[] = [];
    for (const clause of matchBody ? kids(matchBody) : []) {
      if (clause.name !== 'MatchClause') continue;
      const clauseChildren = kids(clause);
      const guardNode = clauseChildren.find((child) => child.name === 'Guard');
      const guardTest = guardNode ? kids(guardNode).find((child) => EXPRESSION_NODES.has(child.name)) : undefined;
      const bodyNode = clauseChildren.find((child) => child.name === 'Body');
      cases.push({
        captures: this.patternCaptures(clause),
        guard: guardTest ? this.expression(guardTest) : undefined,
        body: this.body(bodyNode, guardNode?.to ?? clause.from),
        from: clause.from,
        to: this.trimEnd(clause.from, clause.to),
      });
    }
    return { kind: 'Match', subject, cases, from, to };
  }

  /** Names a case's patterns bind (captures, `as` targets, `*rest`, `**rest`), excluding `_`. */
  private patternCaptures(clause: LezerNode): Identifier[] {
    const captures: Identifier[] = [];
    const visit = (node: LezerNode): void => {
      const children = kids(node);
      if (node.name === 'Guard' || node.name === 'Body') return;
      if (node.name === 'CapturePattern') {
        const name = children.find((child) => child.name === 'VariableName');
        if (name && this.slice(name) !== '_') captures.push(this.identifier(name));
        return;
      }
      children.forEach((child, index) => {
        const previous = children[index - 1];
        const bindsHere =
          child.name === 'VariableName' &&
          ((node.name === 'AsPattern' && previous?.name === 'as') ||
            (node.name === 'MappingPattern' && previous?.name === '**') ||
            node.name === 'StarPattern');
        if (bindsHere && this.slice(child) !== '_') captures.push(this.identifier(child));
        else visit(child);
      });
    };
    visit(clause);
    return captures;
  }

  private parameters(nodes: readonly LezerNode[]): Parameter[] {
    const parameters: Parameter[] = [];
    let current: LezerNode[] = [];
    let gapStart = nodes[0]?.name === '(' ? nodes[0].to : (nodes[0]?.from ?? 0);
    const endItem = (end: number): void => {
      if (current.length > 0) {
        parameters.push(this.parameter(current));
      } else {
        // lezer leaves the positional-only marker `/` out of the tree: it shows as a gap.
        const gap = this.text.slice(gapStart, end);
        const slash = gap.indexOf('/');
        if (slash >= 0 && gap.trim() === '/') {
          const at = gapStart + slash;
          parameters.push({ kind: 'slash', name: undefined, annotation: undefined, defaultValue: undefined, from: at, to: at + 1 });
        }
      }
      current = [];
    };
    for (const node of nodes) {
      if (node.name === ',' || node.name === ')') {
        endItem(node.from);
        gapStart = node.to;
      } else if (node.name !== '(') {
        current.push(node);
      }
    }
    if (current.length > 0) endItem(current[current.length - 1].to);
    return parameters;
  }

  private parameter(item: LezerNode[]): Parameter {
    const first = item[0];
    const from = first.from;
    const to = item[item.length - 1].to;
    const nameNode = item.find((node) => node.name === 'VariableName');
    const typeDef = item.find((node) => node.name === 'TypeDef');
    const assign = item.findIndex((node) => node.name === 'AssignOp');
    const name = nameNode ? this.identifier(nameNode) : undefined;
    const annotation = typeDef ? this.typeDef(typeDef) : undefined;
    const defaultValue = assign >= 0 ? this.expressionAt(item[assign + 1], to) : undefined;
    let kind: Parameter['kind'] = 'positional';
    if (first.name === '*') kind = name ? 'varargs' : 'star';
    else if (first.name === '**') kind = 'kwargs';
    return { kind, name, annotation, defaultValue, from, to };
  }

  /** `TypeDef` is `: annotation` or `-> annotation`. */
  private typeDef(node: LezerNode): Expression {
    const value = kids(node).find((child) => EXPRESSION_NODES.has(child.name));
    return value ? this.expression(value) : this.missing(node.to);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  private expression(node: LezerNode): Expression {
    if (this.depth >= MAX_SYNTAX_DEPTH) return { kind: 'Error', from: node.from, to: node.to };
    this.depth++;
    try {
      return this.expressionAtDepth(node);
    } finally {
      this.depth--;
    }
  }

  private expressionAtDepth(node: LezerNode): Expression {
    const from = node.from;
    const to = node.to;
    switch (node.name) {
      case 'VariableName':
        return { kind: 'Name', name: this.slice(node), from, to };
      case 'Number':
        return { kind: 'Number', text: this.slice(node), from, to };
      case 'String':
      case 'FormatString':
        return this.stringToken(node);
      case 'ContinuedString': {
        const parts = kids(node).map((child) => this.stringToken(child));
        const values = parts.map((part) => part.value);
        return {
          kind: 'String',
          value: values.every((value): value is string => value !== undefined) ? values.join('') : undefined,
          isBytes: parts[0]?.isBytes ?? false,
          interpolations: parts.flatMap((part) => part.interpolations),
          from,
          to,
        };
      }
      case 'Ellipsis':
        return { kind: 'Constant', value: 'Ellipsis', from, to };
      case 'None':
        return { kind: 'Constant', value: 'None', from, to };
      case 'Boolean':
        return { kind: 'Constant', value: this.slice(node) === 'True' ? 'True' : 'False', from, to };
      case 'MemberExpression':
        return this.member(node);
      case 'CallExpression': {
        const children = kids(node);
        const callee = children[0] ? this.expression(children[0]) : this.missing(from);
        const argList = children.find((child) => child.name === 'ArgList');
        return {
          kind: 'Call',
          callee,
          args: argList ? this.arguments(argList) : [],
          argList: argList ? { from: argList.from, to: argList.to } : { from: callee.to, to },
          from,
          to,
        };
      }
      case 'ParenthesizedExpression': {
        const inner = kids(node).filter((child) => child.name !== '(' && child.name !== ')');
        return { kind: 'Parenthesized', inner: inner.length > 0 ? this.item(inner) : this.missing(from + 1), from, to };
      }
      case 'TupleExpression':
        return { kind: 'Tuple', elements: this.displayItems(node), parenthesized: true, from, to };
      case 'ArrayExpression':
        return { kind: 'List', elements: this.displayItems(node), from, to };
      case 'SetExpression':
        return { kind: 'Set', elements: this.displayItems(node), from, to };
      case 'DictionaryExpression':
        return this.dictionary(node);
      case 'ComprehensionExpression':
        return this.comprehension(node, 'generator');
      case 'ArrayComprehensionExpression':
        return this.comprehension(node, 'list');
      case 'SetComprehensionExpression':
        return this.comprehension(node, 'set');
      case 'DictionaryComprehensionExpression':
        return this.comprehension(node, 'dict');
      case 'BinaryExpression': {
        const children = kids(node);
        const operands = children.filter((child) => EXPRESSION_NODES.has(child.name));
        const operators = children.filter((child) => !EXPRESSION_NODES.has(child.name));
        const left = operands[0] ? this.expression(operands[0]) : this.missing(from);
        const right = operands.length > 1 ? this.expression(operands[operands.length - 1]) : this.missing(to);
        return { kind: 'Binary', operator: operators.map((op) => this.slice(op)).join(' '), left, right, from, to };
      }
      case 'UnaryExpression': {
        const children = kids(node);
        const operator = children[0] ? this.slice(children[0]) : '';
        const operand = children[1] ? this.expression(children[1]) : this.missing(to);
        const op = operator === 'not' || operator === '-' || operator === '+' || operator === '~' ? operator : 'not';
        return { kind: 'Unary', operator: op, operand, from, to };
      }
      case 'AwaitExpression': {
        const value = kids(node).find((child) => EXPRESSION_NODES.has(child.name));
        return { kind: 'Await', value: value ? this.expression(value) : this.missing(to), from, to };
      }
      case 'YieldExpression':
        return this.yieldFrom(kids(node), from, to);
      case 'ConditionalExpression': {
        const parts = kids(node).filter((child) => EXPRESSION_NODES.has(child.name));
        return {
          kind: 'Conditional',
          body: parts[0] ? this.expression(parts[0]) : this.missing(from),
          test: parts[1] ? this.expression(parts[1]) : this.missing(to),
          orElse: parts[2] ? this.expression(parts[2]) : this.missing(to),
          from,
          to,
        };
      }
      case 'LambdaExpression': {
        const children = kids(node);
        const paramList = children.find((child) => child.name === 'ParamList');
        const colon = children.findIndex((child) => child.name === ':');
        const body = colon >= 0 ? this.expressionAt(children[colon + 1], to) : this.missing(to);
        return { kind: 'Lambda', parameters: paramList ? this.parameters(kids(paramList)) : [], body, from, to };
      }
      case 'NamedExpression': {
        const parts = kids(node).filter((child) => EXPRESSION_NODES.has(child.name));
        const target = parts[0] ? this.expression(parts[0]) : this.missing(from);
        const value = parts[1] ? this.expression(parts[1]) : this.missing(to);
        if (target.kind !== 'Name') return { kind: 'Error', from, to };
        return { kind: 'Named', target, value, from, to };
      }
      default:
        return { kind: 'Error', from, to };
    }
  }

  private member(node: LezerNode): Expression {
    const children = kids(node);
    const object = children[0] ? this.expression(children[0]) : this.missing(node.from);
    const from = node.from;
    const to = node.to;
    if (children[1]?.name === '[') {
      const inner = children.slice(2).filter((child) => child.name !== ']');
      return { kind: 'Subscript', object, indices: splitAtCommas(inner).map((item) => this.subscriptItem(item)), from, to };
    }
    const property = children.find((child) => child.name === 'PropertyName');
    return { kind: 'Attribute', object, name: property ? this.identifier(property) : undefined, from, to };
  }

  private subscriptItem(item: LezerNode[]): Expression {
    if (!item.some((node) => node.name === ':')) return this.item(item);
    const parts: (Expression | undefined)[] = [undefined];
    for (const node of item) {
      if (node.name === ':') parts.push(undefined);
      else parts[parts.length - 1] = this.expression(node);
    }
    return {
      kind: 'Slice',
      lower: parts[0],
      upper: parts[1],
      step: parts[2],
      from: item[0].from,
      to: item[item.length - 1].to,
    };
  }

  private arguments(argList: LezerNode): Argument[] {
    const inner = kids(argList).filter((child) => child.name !== '(' && child.name !== ')');
    const args: Argument[] = [];
    for (const item of splitAtCommas(inner)) {
      const from = item[0].from;
      const to = item[item.length - 1].to;
      const head = item[0];
      if (head.name === '*' || head.name === '**') {
        const value = this.expressionAt(item[1], to);
        args.push({ kind: head.name === '*' ? 'Star' : 'DoubleStar', value, from, to });
      } else if (head.name === 'VariableName' && item[1]?.name === 'AssignOp' && this.slice(item[1]) === '=') {
        args.push({ kind: 'Keyword', name: this.identifier(head), value: this.withComprehension(item.slice(2), to), from, to });
      } else if (head.name === 'VariableName' && item[1]?.name === 'AssignOp') {
        const value = this.expressionAt(item[2], to);
        const target: NameExpression = { kind: 'Name', name: this.slice(head), from: head.from, to: head.to };
        args.push({ kind: 'Positional', value: { kind: 'Named', target, value, from, to }, from, to });
      } else {
        args.push({ kind: 'Positional', value: this.withComprehension(item, to), from, to });
      }
    }
    return args;
  }

  /** An argument that may be a bare generator: `sum(x for x in xs)`. */
  private withComprehension(nodes: LezerNode[], end: number): Expression {
    const forIndex = nodes.findIndex((node) => node.name === 'for' || node.name === 'async');
    if (forIndex <= 0) return this.expressionAt(nodes[0], end);
    const element = this.expression(nodes[0]);
    return {
      kind: 'Comprehension',
      form: 'generator',
      element,
      value: undefined,
      clauses: this.comprehensionClauses(nodes.slice(forIndex)),
      from: nodes[0].from,
      to: nodes[nodes.length - 1].to,
    };
  }

  private displayItems(node: LezerNode): Expression[] {
    const inner = kids(node).filter((child) => !['(', ')', '[', ']', '{', '}'].includes(child.name));
    return splitAtCommas(inner).map((item) => this.item(item));
  }

  private dictionary(node: LezerNode): Expression {
    const inner = kids(node).filter((child) => child.name !== '{' && child.name !== '}');
    const entries: { key: Expression | undefined; value: Expression }[] = [];
    for (const item of splitAtCommas(inner)) {
      if (item[0].name === '**') {
        entries.push({ key: undefined, value: this.expressionAt(item[1], item[0].to) });
        continue;
      }
      const colon = item.findIndex((child) => child.name === ':');
      const key = this.expression(item[0]);
      entries.push({ key, value: colon >= 0 ? this.expressionAt(item[colon + 1], key.to) : this.missing(key.to) });
    }
    return { kind: 'Dict', entries, from: node.from, to: node.to };
  }

  private comprehension(node: LezerNode, form: 'list' | 'set' | 'dict' | 'generator'): Expression {
    const inner = kids(node).filter((child) => !['(', ')', '[', ']', '{', '}'].includes(child.name));
    const forIndex = inner.findIndex((child) => child.name === 'for' || child.name === 'async');
    const head = forIndex >= 0 ? inner.slice(0, forIndex) : inner;
    let element: Expression;
    let value: Expression | undefined;
    if (form === 'dict' && head.length > 0 && head[0].name !== '**') {
      const colon = head.findIndex((child) => child.name === ':');
      element = this.expression(head[0]);
      value = colon >= 0 ? this.expressionAt(head[colon + 1], element.to) : this.missing(element.to);
    } else {
      element = head.length > 0 ? this.item(head) : this.missing(node.from);
    }
    const clauses = forIndex >= 0 ? this.comprehensionClauses(inner.slice(forIndex)) : [];
    return { kind: 'Comprehension', form, element, value, clauses, from: node.from, to: node.to };
  }

  /** The flattened `compFor`/`compIf` tokens: `async? for targets in iterable (for…|if…)*`. */
  private comprehensionClauses(nodes: LezerNode[]): ComprehensionClause[] {
    const clauses: ComprehensionClause[] = [];
    let i = 0;
    while (i < nodes.length) {
      const start = nodes[i];
      let isAsync = false;
      if (start.name === 'async') {
        isAsync = true;
        i++;
      }
      const keyword = nodes[i];
      if (keyword?.name === 'for') {
        let j = i + 1;
        while (j < nodes.length && nodes[j].name !== 'in') j++;
        const target = this.expressionList(nodes.slice(i + 1, j), keyword.to);
        const iterable = this.expressionAt(nodes[j + 1], target.to);
        const end = j + 1 < nodes.length ? nodes[j + 1].to : target.to;
        clauses.push({ kind: 'for', target, expression: iterable, isAsync, from: start.from, to: end });
        i = j + 2;
      } else if (keyword?.name === 'if') {
        const test = this.expressionAt(nodes[i + 1], keyword.to);
        clauses.push({ kind: 'if', expression: test, isAsync: false, from: keyword.from, to: test.to });
        i += 2;
      } else {
        i++;
      }
    }
    return clauses;
  }

  private yieldFrom(children: LezerNode[], from: number, to: number): Expression {
    const isFrom = children[1]?.name === 'from';
    const valueNodes = children.slice(isFrom ? 2 : 1);
    const value = valueNodes.length > 0 ? this.expressionList(valueNodes, to) : undefined;
    return { kind: 'Yield', value, isFrom, from, to };
  }

  private stringToken(node: LezerNode): StringExpression {
    const decoded = decodeStringLiteral(this.slice(node));
    const interpolations: Expression[] = [];
    const visit = (parent: LezerNode): void => {
      for (const child of kids(parent)) {
        if (child.name === 'FormatReplacement' || child.name === 'FormatSpec') visit(child);
        else if (EXPRESSION_NODES.has(child.name)) interpolations.push(this.expression(child));
      }
    };
    if (node.name === 'FormatString') visit(node);
    return {
      kind: 'String',
      value: decoded.value,
      isBytes: decoded.isBytes,
      interpolations,
      from: node.from,
      to: node.to,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  /** One comma-separated item: an expression, possibly starred. */
  private item(nodes: readonly LezerNode[]): Expression {
    const head = nodes[0];
    if (head === undefined) return this.missing(0);
    if (head.name === '*') {
      const value = this.expressionAt(nodes[1], head.to);
      return { kind: 'Starred', value, from: head.from, to: value.to };
    }
    return this.expressionAt(head, head.to);
  }

  /** A comma-separated list that is one expression, or a bare tuple when there are commas. */
  private expressionList(nodes: readonly LezerNode[], missingAt: number): Expression {
    const items = splitAtCommas(nodes);
    const hasComma = nodes.some((node) => node.name === ',');
    if (items.length === 0) return this.missing(missingAt);
    if (items.length === 1 && !hasComma) return this.item(items[0]);
    const elements = items.map((item) => this.item(item));
    return {
      kind: 'Tuple',
      elements,
      parenthesized: false,
      from: nodes[0].from,
      to: nodes[nodes.length - 1].to,
    };
  }

  private expressionAfter(children: LezerNode[], keyword: string, fallback: number): Expression {
    const index = children.findIndex((child) => child.name === keyword);
    return this.expressionAt(index >= 0 ? children[index + 1] : undefined, index >= 0 ? children[index].to : fallback);
  }

  private expressionAt(node: LezerNode | undefined, missingAt: number): Expression {
    if (node === undefined || !EXPRESSION_NODES.has(node.name)) return this.missing(node?.from ?? missingAt);
    return this.expression(node);
  }

  private missing(at: number): Expression {
    return { kind: 'Error', from: at, to: at };
  }

  private identifier(node: LezerNode): Identifier {
    return { name: this.slice(node), from: node.from, to: node.to };
  }

  private slice(node: LezerNode): string {
    return this.text.slice(node.from, node.to);
  }

  /** Statement nodes end after their newline (and, for suites, after trailing blank lines). */
  private trimEnd(from: number, to: number): number {
    let end = to;
    while (end > from && /\s/.test(this.text[end - 1])) end--;
    return end;
  }
}

interface OpenSuite {
  readonly suite: Block;
  /** Statements whose span ends with the suite and must grow with it. */
  readonly owners: readonly Statement[];
}

/** The last suite of a compound statement, when the parser found no suite there. */
function openRecoveredSuite(statement: Statement): OpenSuite | undefined {
  const owners: Statement[] = [statement];
  let suite: Block | undefined;
  switch (statement.kind) {
    case 'If': {
      let current: IfStatement = statement;
      for (;;) {
        const orElse = current.orElse;
        if (orElse && orElse.statements.length === 1 && orElse.statements[0].kind === 'If' && orElse.statements[0].isElif) {
          current = orElse.statements[0];
          owners.push(current);
          continue;
        }
        suite = orElse ?? current.body;
        break;
      }
      break;
    }
    case 'While':
    case 'For':
      suite = statement.orElse ?? statement.body;
      break;
    case 'Try':
      suite = statement.finalBody ?? statement.orElse ?? statement.handlers[statement.handlers.length - 1]?.body ?? statement.body;
      break;
    case 'With':
    case 'FunctionDef':
    case 'ClassDef':
      suite = statement.body;
      break;
    case 'Match':
      suite = statement.cases[statement.cases.length - 1]?.body;
      break;
    default:
      return undefined;
  }
  return suite?.recovered ? { suite, owners } : undefined;
}

// Generic traversal of the syntax view: the direct children of each node kind in one place, so
// analyses do not each re-enumerate every statement and expression shape.

import type { Block, Expression, Statement } from './syntax';

/** Expressions that belong directly to a statement (not to its nested suites), in source order. */
export function statementExpressions(statement: Statement): Expression[] {
  switch (statement.kind) {
    case 'Expression':
      return [statement.value];
    case 'Assign':
      return [...statement.targets, ...optional(statement.annotation), ...optional(statement.value)];
    case 'AugAssign':
      return [statement.target, statement.value];
    case 'Import':
    case 'ImportFrom':
    case 'Global':
    case 'Nonlocal':
    case 'Pass':
    case 'Break':
    case 'Continue':
      return [];
    case 'If':
    case 'While':
      return [statement.test];
    case 'For':
      return [statement.target, statement.iterable];
    case 'With':
      return statement.items.flatMap((item) => [item.context, ...optional(item.target)]);
    case 'Try':
      return statement.handlers.flatMap((handler) => optional(handler.type));
    case 'FunctionDef':
      return [
        ...statement.decorators,
        ...statement.parameters.flatMap((parameter) => [...optional(parameter.annotation), ...optional(parameter.defaultValue)]),
        ...optional(statement.returns),
      ];
    case 'ClassDef':
      return [...statement.decorators, ...statement.bases.map((base) => base.value)];
    case 'Return':
      return optional(statement.value);
    case 'Delete':
      return [...statement.targets];
    case 'Raise':
      return [...optional(statement.exception), ...optional(statement.cause)];
    case 'Assert':
      return [statement.test, ...optional(statement.message)];
    case 'Match':
      return [statement.subject, ...statement.cases.flatMap((matchCase) => optional(matchCase.guard))];
    case 'TypeAlias':
      return [statement.value];
    case 'Error':
      return [...statement.expressions];
  }
}

/**
 * Calls `each` with the expressions that belong directly to a statement, in the order of
 * `statementExpressions`, without building an array (the walks over every statement of a
 * module use this).
 */
export function forEachStatementExpression(statement: Statement, each: (expression: Expression) => void): void {
  switch (statement.kind) {
    case 'Expression':
      each(statement.value);
      return;
    case 'Assign':
      for (const target of statement.targets) each(target);
      if (statement.annotation) each(statement.annotation);
      if (statement.value) each(statement.value);
      return;
    case 'AugAssign':
      each(statement.target);
      each(statement.value);
      return;
    case 'If':
    case 'While':
      each(statement.test);
      return;
    case 'For':
      each(statement.target);
      each(statement.iterable);
      return;
    case 'With':
      for (const item of statement.items) {
        each(item.context);
        if (item.target) each(item.target);
      }
      return;
    case 'Try':
      for (const handler of statement.handlers) if (handler.type) each(handler.type);
      return;
    case 'FunctionDef':
      for (const decorator of statement.decorators) each(decorator);
      for (const parameter of statement.parameters) {
        if (parameter.annotation) each(parameter.annotation);
        if (parameter.defaultValue) each(parameter.defaultValue);
      }
      if (statement.returns) each(statement.returns);
      return;
    case 'ClassDef':
      for (const decorator of statement.decorators) each(decorator);
      for (const base of statement.bases) each(base.value);
      return;
    case 'Return':
      if (statement.value) each(statement.value);
      return;
    case 'Delete':
      for (const target of statement.targets) each(target);
      return;
    case 'Raise':
      if (statement.exception) each(statement.exception);
      if (statement.cause) each(statement.cause);
      return;
    case 'Assert':
      each(statement.test);
      if (statement.message) each(statement.message);
      return;
    case 'Match':
      each(statement.subject);
      for (const matchCase of statement.cases) if (matchCase.guard) each(matchCase.guard);
      return;
    case 'TypeAlias':
      each(statement.value);
      return;
    case 'Error':
      for (const expression of statement.expressions) each(expression);
      return;
    default:
      return;
  }
}

/**
 * Calls `each` with the suites nested directly in a statement, in the order of
 * `statementBlocks`, without building an array.
 */
export function forEachStatementBlock(statement: Statement, each: (block: Block) => void): void {
  switch (statement.kind) {
    case 'If':
    case 'While':
    case 'For':
      each(statement.body);
      if (statement.orElse) each(statement.orElse);
      return;
    case 'With':
    case 'FunctionDef':
    case 'ClassDef':
      each(statement.body);
      return;
    case 'Try':
      each(statement.body);
      for (const handler of statement.handlers) each(handler.body);
      if (statement.orElse) each(statement.orElse);
      if (statement.finalBody) each(statement.finalBody);
      return;
    case 'Match':
      for (const matchCase of statement.cases) each(matchCase.body);
      return;
    default:
      return;
  }
}

/** Suites nested directly in a statement, in source order. */
export function statementBlocks(statement: Statement): Block[] {
  switch (statement.kind) {
    case 'If':
    case 'While':
    case 'For':
      return [statement.body, ...optional(statement.orElse)];
    case 'With':
    case 'FunctionDef':
    case 'ClassDef':
      return [statement.body];
    case 'Try':
      return [
        statement.body,
        ...statement.handlers.map((handler) => handler.body),
        ...optional(statement.orElse),
        ...optional(statement.finalBody),
      ];
    case 'Match':
      return statement.cases.map((matchCase) => matchCase.body);
    default:
      return [];
  }
}

/** Direct sub-expressions, in source order. */
export function expressionChildren(expression: Expression): Expression[] {
  switch (expression.kind) {
    case 'Name':
    case 'Number':
    case 'Constant':
    case 'Error':
      return [];
    case 'String':
      return [...expression.interpolations];
    case 'Attribute':
      return [expression.object];
    case 'Call':
      return [expression.callee, ...expression.args.map((argument) => argument.value)];
    case 'Subscript':
      return [expression.object, ...expression.indices];
    case 'Slice':
      return [...optional(expression.lower), ...optional(expression.upper), ...optional(expression.step)];
    case 'Tuple':
    case 'List':
    case 'Set':
      return [...expression.elements];
    case 'Dict':
      return expression.entries.flatMap((entry) => [...optional(entry.key), entry.value]);
    case 'Comprehension':
      return [
        expression.element,
        ...optional(expression.value),
        ...expression.clauses.flatMap((clause) => [...optional(clause.target), clause.expression]),
      ];
    case 'Lambda':
      return [
        ...expression.parameters.flatMap((parameter) => optional(parameter.defaultValue)),
        expression.body,
      ];
    case 'Binary':
      return [expression.left, expression.right];
    case 'Unary':
      return [expression.operand];
    case 'Conditional':
      return [expression.body, expression.test, expression.orElse];
    case 'Named':
      return [expression.target, expression.value];
    case 'Await':
    case 'Starred':
      return [expression.value];
    case 'Yield':
      return optional(expression.value);
    case 'Parenthesized':
      return [expression.inner];
  }
}

/**
 * Visits `expression` and its descendants depth-first in source order. Returning `false` from
 * `visit` skips the node's children.
 */
export function walkExpression(expression: Expression, visit: (node: Expression) => boolean | void): void {
  const walk = (node: Expression): void => {
    if (visit(node) !== false) forEachExpressionChild(node, walk);
  };
  walk(expression);
}

/**
 * Calls `each` with the direct sub-expressions, in source order: `expressionChildren` without
 * building an array (every analysis walks every expression, so this is hot).
 */
export function forEachExpressionChild(expression: Expression, each: (child: Expression) => void): void {
  switch (expression.kind) {
    case 'Name':
    case 'Number':
    case 'Constant':
    case 'Error':
      return;
    case 'String':
      for (const child of expression.interpolations) each(child);
      return;
    case 'Attribute':
      each(expression.object);
      return;
    case 'Call':
      each(expression.callee);
      for (const argument of expression.args) each(argument.value);
      return;
    case 'Subscript':
      each(expression.object);
      for (const index of expression.indices) each(index);
      return;
    case 'Slice':
      if (expression.lower) each(expression.lower);
      if (expression.upper) each(expression.upper);
      if (expression.step) each(expression.step);
      return;
    case 'Tuple':
    case 'List':
    case 'Set':
      for (const element of expression.elements) each(element);
      return;
    case 'Dict':
      for (const entry of expression.entries) {
        if (entry.key) each(entry.key);
        each(entry.value);
      }
      return;
    case 'Comprehension':
      each(expression.element);
      if (expression.value) each(expression.value);
      for (const clause of expression.clauses) {
        if (clause.target) each(clause.target);
        each(clause.expression);
      }
      return;
    case 'Lambda':
      for (const parameter of expression.parameters) if (parameter.defaultValue) each(parameter.defaultValue);
      each(expression.body);
      return;
    case 'Binary':
      each(expression.left);
      each(expression.right);
      return;
    case 'Unary':
      each(expression.operand);
      return;
    case 'Conditional':
      each(expression.body);
      each(expression.test);
      each(expression.orElse);
      return;
    case 'Named':
      each(expression.target);
      each(expression.value);
      return;
    case 'Await':
    case 'Starred':
      each(expression.value);
      return;
    case 'Yield':
      if (expression.value) each(expression.value);
      return;
    case 'Parenthesized':
      each(expression.inner);
      return;
  }
}

/** Visits every statement in `block`, nested suites included, depth-first in source order. */
export function walkStatements(block: Block, visit: (statement: Statement) => boolean | void): void {
  for (const statement of block.statements) {
    if (visit(statement) === false) continue;
    if (statement.kind === 'Error') {
      for (const inner of statement.statements) walkStatements({ ...block, statements: [inner] }, visit);
    }
    for (const nested of statementBlocks(statement)) walkStatements(nested, visit);
  }
}

/** Removes any number of enclosing parentheses: `((x))` → `x`. */
export function unparenthesize(expression: Expression): Expression {
  let current = expression;
  while (current.kind === 'Parenthesized') current = current.inner;
  return current;
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

/**
 * Calls `each` with every name a statement (nested suites, lambdas and comprehensions
 * included) reads or writes as a name expression, and every name it declares `global` or
 * `nonlocal`. Hand-written recursion: it runs over whole modules.
 */
export function forEachStatementName(statement: Statement, each: (name: string) => void): void {
  const expression = (node: Expression): void => {
    if (node.kind === 'Name') each(node.name);
    else if (node.kind === 'Named') {
      each(node.target.name);
      expression(node.value);
    } else forEachExpressionChild(node, expression);
  };
  const visit = (node: Statement): void => {
    switch (node.kind) {
      case 'Global':
      case 'Nonlocal':
        for (const name of node.names) each(name.name);
        return;
      case 'Error':
        for (const inner of node.expressions) expression(inner);
        for (const inner of node.statements) visit(inner);
        return;
      default:
        for (const inner of statementExpressions(node)) expression(inner);
        for (const block of statementBlocks(node)) for (const inner of block.statements) visit(inner);
    }
  };
  visit(statement);
}

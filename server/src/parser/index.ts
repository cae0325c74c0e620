// The parser adapter's public surface. Nothing outside this folder imports @lezer.

export { IncrementalParser, parseSource, type SourceFile } from './parse';
export { LineIndex, type Position } from './lineIndex';
export * from './syntax';
export {
  expressionChildren,
  forEachExpressionChild,
  forEachStatementBlock,
  forEachStatementExpression,
  statementBlocks,
  statementExpressions,
  unparenthesize,
  walkExpression,
  walkStatements,
} from './visit';

// The rule engine's public surface, shared by the language server and the CLI.

export { lint, toRange } from './lint';
export { selectRules, type LintOptions } from './options';
export { parseSuppressionComment } from './suppressions';
export type { Finding, Fix, Range, Severity, TextEdit } from './types';

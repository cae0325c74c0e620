// The typed syntax view the rest of the server works with. It is shaped like Python's own `ast`
// module (statements, expressions, blocks) so that rule authors can think in Python terms, and
// it is produced from the @lezer/python tree by `convert.ts`: no other module sees lezer types.
//
// Every node carries `from`/`to`: UTF-16 offsets into the source text (the units JavaScript
// strings and LSP positions use), `to` exclusive and never including a trailing newline.

export interface Span {
  readonly from: number;
  readonly to: number;
}

export interface Identifier extends Span {
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expression =
  | NameExpression
  | AttributeExpression
  | CallExpression
  | SubscriptExpression
  | SliceExpression
  | StringExpression
  | NumberExpression
  | ConstantExpression
  | TupleExpression
  | ListExpression
  | SetExpression
  | DictExpression
  | ComprehensionExpression
  | LambdaExpression
  | BinaryExpression
  | UnaryExpression
  | ConditionalExpression
  | NamedExpression
  | AwaitExpression
  | YieldExpression
  | StarredExpression
  | ParenthesizedExpression
  | ErrorExpression;

export interface NameExpression extends Span {
  readonly kind: 'Name';
  readonly name: string;
}

/** `object.name`; `name` is undefined while the user is still typing (`mp.`). */
export interface AttributeExpression extends Span {
  readonly kind: 'Attribute';
  readonly object: Expression;
  readonly name: Identifier | undefined;
}

export interface CallExpression extends Span {
  readonly kind: 'Call';
  readonly callee: Expression;
  readonly args: readonly Argument[];
  /** The parenthesised argument list, `(` to `)` (or to where recovery stopped). */
  readonly argList: Span;
}

export type Argument =
  | { readonly kind: 'Positional'; readonly value: Expression; readonly from: number; readonly to: number }
  | { readonly kind: 'Keyword'; readonly name: Identifier; readonly value: Expression; readonly from: number; readonly to: number }
  /** `*iterable` */
  | { readonly kind: 'Star'; readonly value: Expression; readonly from: number; readonly to: number }
  /** `**mapping` */
  | { readonly kind: 'DoubleStar'; readonly value: Expression; readonly from: number; readonly to: number };

export interface SubscriptExpression extends Span {
  readonly kind: 'Subscript';
  readonly object: Expression;
  /** One entry per comma-separated item inside the brackets. */
  readonly indices: readonly Expression[];
}

/** `lower:upper:step` inside a subscript. */
export interface SliceExpression extends Span {
  readonly kind: 'Slice';
  readonly lower: Expression | undefined;
  readonly upper: Expression | undefined;
  readonly step: Expression | undefined;
}

export interface StringExpression extends Span {
  readonly kind: 'String';
  /**
   * The decoded value of a plain (possibly implicitly concatenated) literal; undefined for
   * f-strings and for escapes this decoder does not handle.
   */
  readonly value: string | undefined;
  readonly isBytes: boolean;
  /** Expressions inside f-string replacement fields (they run when the string is built). */
  readonly interpolations: readonly Expression[];
}

export interface NumberExpression extends Span {
  readonly kind: 'Number';
  readonly text: string;
}

export interface ConstantExpression extends Span {
  readonly kind: 'Constant';
  readonly value: 'None' | 'True' | 'False' | 'Ellipsis';
}

export interface TupleExpression extends Span {
  readonly kind: 'Tuple';
  readonly elements: readonly Expression[];
  /** False for a bare tuple such as the right-hand side of `a = 1, 2`. */
  readonly parenthesized: boolean;
}

export interface ListExpression extends Span {
  readonly kind: 'List';
  readonly elements: readonly Expression[];
}

export interface SetExpression extends Span {
  readonly kind: 'Set';
  readonly elements: readonly Expression[];
}

export interface DictExpression extends Span {
  readonly kind: 'Dict';
  /** `key` is undefined for a `**mapping` entry. */
  readonly entries: readonly { readonly key: Expression | undefined; readonly value: Expression }[];
}

export interface ComprehensionClause extends Span {
  readonly kind: 'for' | 'if';
  /** `for` clauses: the loop target. */
  readonly target?: Expression;
  /** `for` clauses: the iterable; `if` clauses: the condition. */
  readonly expression: Expression;
  readonly isAsync: boolean;
}

export interface ComprehensionExpression extends Span {
  readonly kind: 'Comprehension';
  readonly form: 'list' | 'set' | 'dict' | 'generator';
  /** The element (for dicts: the key). */
  readonly element: Expression;
  /** Dict comprehensions: the value. */
  readonly value: Expression | undefined;
  readonly clauses: readonly ComprehensionClause[];
}

export interface Parameter extends Span {
  /** `positional` covers ordinary parameters; `slash` and `star` are the bare `/` and `*` markers. */
  readonly kind: 'positional' | 'varargs' | 'kwargs' | 'slash' | 'star';
  readonly name: Identifier | undefined;
  readonly annotation: Expression | undefined;
  readonly defaultValue: Expression | undefined;
}

export interface LambdaExpression extends Span {
  readonly kind: 'Lambda';
  readonly parameters: readonly Parameter[];
  readonly body: Expression;
}

export interface BinaryExpression extends Span {
  readonly kind: 'Binary';
  /** The operator as written, whitespace normalised: `+`, `==`, `and`, `not in`, `is not`… */
  readonly operator: string;
  readonly left: Expression;
  readonly right: Expression;
}

export interface UnaryExpression extends Span {
  readonly kind: 'Unary';
  readonly operator: 'not' | '-' | '+' | '~';
  readonly operand: Expression;
}

/** `body if test else orElse` */
export interface ConditionalExpression extends Span {
  readonly kind: 'Conditional';
  readonly body: Expression;
  readonly test: Expression;
  readonly orElse: Expression;
}

/** `target := value` */
export interface NamedExpression extends Span {
  readonly kind: 'Named';
  readonly target: NameExpression;
  readonly value: Expression;
}

export interface AwaitExpression extends Span {
  readonly kind: 'Await';
  readonly value: Expression;
}

export interface YieldExpression extends Span {
  readonly kind: 'Yield';
  readonly value: Expression | undefined;
  readonly isFrom: boolean;
}

/** `*value` inside a display, a target list or a subscript. */
export interface StarredExpression extends Span {
  readonly kind: 'Starred';
  readonly value: Expression;
}

/**
 * `(inner)`. Kept (unlike Python's `ast`) because `args=(x)` and `args=(x,)` differ in exactly
 * this node, and fixes need the parentheses' positions.
 */
export interface ParenthesizedExpression extends Span {
  readonly kind: 'Parenthesized';
  readonly inner: Expression;
}

/** Text the parser could not make sense of. */
export interface ErrorExpression extends Span {
  readonly kind: 'Error';
}

// ---------------------------------------------------------------------------------------------
// Statements

export type Statement =
  | ExpressionStatement
  | AssignStatement
  | AugAssignStatement
  | ImportStatement
  | ImportFromStatement
  | IfStatement
  | WhileStatement
  | ForStatement
  | WithStatement
  | TryStatement
  | FunctionDefinition
  | ClassDefinition
  | ReturnStatement
  | DeleteStatement
  | RaiseStatement
  | AssertStatement
  | ScopeStatement
  | SimpleKeywordStatement
  | MatchStatement
  | TypeAliasStatement
  | ErrorStatement;

/** The statements of a module or of a compound statement's suite. */
export interface Block extends Span {
  readonly statements: readonly Statement[];
  /** The suite sits on the header's line (`if x: y()`). */
  readonly inline: boolean;
  /**
   * The parser found no suite (e.g. a missing colon) and the statements here were adopted from
   * the lines indented below the header, or there were none.
   */
  readonly recovered: boolean;
}

export interface ExpressionStatement extends Span {
  readonly kind: 'Expression';
  readonly value: Expression;
}

/** `a = b = value`, `a: T = value`, or a bare annotation `a: T` (value undefined). */
export interface AssignStatement extends Span {
  readonly kind: 'Assign';
  readonly targets: readonly Expression[];
  readonly value: Expression | undefined;
  readonly annotation: Expression | undefined;
}

export interface AugAssignStatement extends Span {
  readonly kind: 'AugAssign';
  readonly target: Expression;
  /** `+=`, `|=`… */
  readonly operator: string;
  readonly value: Expression;
}

export interface ImportAlias extends Span {
  /** Dotted name as written: `multiprocessing.pool`. */
  readonly name: string;
  readonly asName: Identifier | undefined;
}

/** `import a.b as c, d` */
export interface ImportStatement extends Span {
  readonly kind: 'Import';
  readonly names: readonly ImportAlias[];
}

/** `from ..pkg.mod import a as b` — `module` undefined for `from . import x`. */
export interface ImportFromStatement extends Span {
  readonly kind: 'ImportFrom';
  readonly module: string | undefined;
  /** Number of leading dots. */
  readonly level: number;
  /** `'*'` for a star import. */
  readonly names: readonly ImportAlias[] | '*';
}

/**
 * `if`/`elif`/`else`. An `elif` appears as an IfStatement (with `isElif`) alone in the
 * `orElse` block of the statement before it, as in Python's `ast`.
 */
export interface IfStatement extends Span {
  readonly kind: 'If';
  readonly test: Expression;
  readonly body: Block;
  readonly orElse: Block | undefined;
  readonly isElif: boolean;
}

export interface WhileStatement extends Span {
  readonly kind: 'While';
  readonly test: Expression;
  readonly body: Block;
  readonly orElse: Block | undefined;
}

export interface ForStatement extends Span {
  readonly kind: 'For';
  readonly target: Expression;
  readonly iterable: Expression;
  readonly body: Block;
  readonly orElse: Block | undefined;
  readonly isAsync: boolean;
}

export interface WithItem extends Span {
  readonly context: Expression;
  readonly target: Expression | undefined;
}

export interface WithStatement extends Span {
  readonly kind: 'With';
  readonly items: readonly WithItem[];
  readonly body: Block;
  readonly isAsync: boolean;
}

export interface ExceptHandler extends Span {
  readonly type: Expression | undefined;
  readonly name: Identifier | undefined;
  readonly body: Block;
  /** `except*` */
  readonly isGroup: boolean;
}

export interface TryStatement extends Span {
  readonly kind: 'Try';
  readonly body: Block;
  readonly handlers: readonly ExceptHandler[];
  readonly orElse: Block | undefined;
  readonly finalBody: Block | undefined;
}

/** The span starts at the first decorator, when there is one. */
export interface FunctionDefinition extends Span {
  readonly kind: 'FunctionDef';
  readonly name: Identifier;
  readonly decorators: readonly Expression[];
  readonly parameters: readonly Parameter[];
  readonly returns: Expression | undefined;
  readonly body: Block;
  readonly isAsync: boolean;
}

/** The span starts at the first decorator, when there is one. */
export interface ClassDefinition extends Span {
  readonly kind: 'ClassDef';
  readonly name: Identifier;
  readonly decorators: readonly Expression[];
  /** Base classes and keywords (`metaclass=`), as call arguments. */
  readonly bases: readonly Argument[];
  readonly body: Block;
}

export interface ReturnStatement extends Span {
  readonly kind: 'Return';
  readonly value: Expression | undefined;
}

export interface DeleteStatement extends Span {
  readonly kind: 'Delete';
  readonly targets: readonly Expression[];
}

export interface RaiseStatement extends Span {
  readonly kind: 'Raise';
  readonly exception: Expression | undefined;
  readonly cause: Expression | undefined;
}

export interface AssertStatement extends Span {
  readonly kind: 'Assert';
  readonly test: Expression;
  readonly message: Expression | undefined;
}

/** `global a, b` / `nonlocal a` */
export interface ScopeStatement extends Span {
  readonly kind: 'Global' | 'Nonlocal';
  readonly names: readonly Identifier[];
}

export interface SimpleKeywordStatement extends Span {
  readonly kind: 'Pass' | 'Break' | 'Continue';
}

export interface MatchCase extends Span {
  /** Names bound by capture patterns (`case Point(x=px)` binds `px`). */
  readonly captures: readonly Identifier[];
  readonly guard: Expression | undefined;
  readonly body: Block;
}

export interface MatchStatement extends Span {
  readonly kind: 'Match';
  readonly subject: Expression;
  readonly cases: readonly MatchCase[];
}

/** `type Alias = value` (3.12) */
export interface TypeAliasStatement extends Span {
  readonly kind: 'TypeAlias';
  readonly name: Identifier;
  readonly value: Expression;
}

/**
 * Something that is not a valid statement where it stands: a Python 2 `print x`, or statements
 * indented below nothing (an "unexpected indent"). Their position in the program is not known,
 * so rules that depend on where code runs must not treat `statements` as running here.
 */
export interface ErrorStatement extends Span {
  readonly kind: 'Error';
  readonly reason: 'unexpected-indent' | 'python2-print' | 'unparsed';
  readonly statements: readonly Statement[];
  readonly expressions: readonly Expression[];
}

export type CompoundStatement =
  | IfStatement
  | WhileStatement
  | ForStatement
  | WithStatement
  | TryStatement
  | FunctionDefinition
  | ClassDefinition
  | MatchStatement;

export type SyntaxNode = Statement | Expression;

// ---------------------------------------------------------------------------------------------
// Module

export interface Comment extends Span {
  /** The comment's text including the leading `#`. */
  readonly text: string;
}

export interface Module {
  readonly body: Block;
}

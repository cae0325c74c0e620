// The command ids the extension registers, read from its sources with the TypeScript compiler:
// every `registerCommand(id, …)` / `registerTextEditorCommand(id, …)` call under client/src,
// with `id` resolved through constants and imports by the type checker (a `const` holding a
// string literal has that literal as its type). An id the checker cannot pin to literals is
// reported, so the caller can fail instead of silently missing a command.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export interface RegisteredCommands {
  /** Command id → where it is registered (`file:line`). */
  readonly ids: ReadonlyMap<string, string>;
  /** Registrations whose id is not a string literal type, as `file:line: text`. */
  readonly unresolved: readonly string[];
}

const REGISTER_FUNCTIONS = new Set(['registerCommand', 'registerTextEditorCommand']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/** The string literals a type stands for, or undefined when it is not made only of them. */
function literalsOf(type: ts.Type): string[] | undefined {
  const parts = type.isUnion() ? type.types : [type];
  const values: string[] = [];
  for (const part of parts) {
    if (!part.isStringLiteral()) return undefined;
    values.push(part.value);
  }
  return values;
}

/** `sourceRoot`: the extension's sources (client/src); `tsconfig`: the project's tsconfig.json. */
export function registeredCommands(sourceRoot: string, tsconfig: string): RegisteredCommands {
  const config = ts.readConfigFile(tsconfig, (file) => fs.readFileSync(file, 'utf8'));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(tsconfig));
  const files = sourceFiles(sourceRoot);
  // The webview sources have their own tsconfig and register no commands.
  const program = ts.createProgram(files.filter((file) => !file.includes(`${path.sep}webview${path.sep}`)), { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const ids = new Map<string, string>();
  const unresolved: string[] = [];

  for (const file of program.getSourceFiles()) {
    if (!path.resolve(file.fileName).startsWith(path.resolve(sourceRoot) + path.sep)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
        const [first] = node.arguments;
        if (name && REGISTER_FUNCTIONS.has(name) && first) {
          const { line } = file.getLineAndCharacterOfPosition(node.getStart());
          const where = `${path.relative(path.dirname(sourceRoot), file.fileName)}:${line + 1}`;
          const literals = literalsOf(checker.getTypeAtLocation(first));
          if (literals) {
            for (const id of literals) ids.set(id, where);
          } else {
            unresolved.push(`${where}: ${first.getText(file)}`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { ids, unresolved };
}

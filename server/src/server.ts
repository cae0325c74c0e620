// Entry point of the language server (bundled to dist/server.js). The transport comes from the
// command line, as vscode-languageserver reads it: `--stdio`, `--node-ipc`, `--socket=PORT` or
// `--pipe=NAME`.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LanguageServer } from './lsp/languageServer';

const connection = createConnection(ProposedFeatures.all);
new LanguageServer(connection);

// A bug must not take the editor's diagnostics down with it: log and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`mpscope: uncaught error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`mpscope: unhandled rejection: ${String(reason)}`));

connection.listen();

// The bundles, as the extension ships them: the client (loaded by VS Code's extension host),
// the server side (the language server and the mpscope-lint CLI, which share one engine), and
// the Timeline webview's script (runs in the webview's browser frame).
// `vscode` is provided by the extension host at run time, so it is never bundled.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  logLevel: 'warning',
};

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    entryPoints: { client: 'client/src/extension.ts' },
    outdir: 'dist',
  }),
  esbuild.context({
    ...common,
    entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // The Timeline's webview script runs in the browser frame of a webview: one self-contained
  // script in media/ (the only folder the webview may load from), source map inlined in
  // development so no stray .map file ends up in the package.
  esbuild.context({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    external: [],
    sourcemap: production ? false : 'inline',
    entryPoints: { timeline: 'client/src/views/timeline/webview/main.ts' },
    outdir: 'media',
  }),
]);

if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log('esbuild: watching client and server');
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

// URLs of code-server's web workbench. Paths on the server side are `vscode-remote://` URIs
// whose authority is the host:port the browser reached code-server on.
import * as path from 'node:path';

export function remoteUri(host, absolutePath) {
  const segments = path.resolve(absolutePath).split(path.sep).map(encodeURIComponent);
  return `vscode-remote://${host}${segments.join('/')}`;
}

/**
 * The workbench URL for a folder, optionally with the `payload` parameter VS Code's own browser
 * integration tests use to load an extension under development and run its tests.
 */
export function workbenchUrl({ baseUrl, host, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const url = new URL(baseUrl);
  if (folder) url.searchParams.set('folder', remoteUri(host, folder));
  const payload = [];
  // One only: the workbench reads the payload into a Map, so a second entry would replace the
  // first. Other extensions a test needs are installed into the extensions folder instead.
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(host, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(host, extensionTestsPath)]);
  if (payload.length > 0) url.searchParams.set('payload', JSON.stringify(payload));
  // URLSearchParams encodes with `+` for spaces, which the workbench decodes as-is; encode
  // each value with encodeURIComponent instead so the URIs survive exactly.
  const query = [...url.searchParams].map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
}

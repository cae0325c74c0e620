// The Timeline webview's page. It holds no data: the script fills it from messages, with
// textContent only. The Content-Security-Policy allows nothing but the extension's own style
// sheet and the one script carrying this page's nonce: no inline styles, no eval, no network.
import { randomBytes } from 'node:crypto';

export interface TimelinePageInputs {
  /** `webview.cspSource`: where the webview may load the extension's media from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

// Hex, not base64 with `+/=` stripped: stripping left 19 characters now and then (one nonce in a
// few hundred), below the length the CSP test asks for.
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function timelineHtml(inputs: TimelinePageInputs): string {
  const csp = contentSecurityPolicy(inputs.cspSource, inputs.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(inputs.styleUri)}">
<title>mpscope Timeline</title>
</head>
<body>
<div class="toolbar" role="toolbar" aria-label="Timeline">
<label for="session">Session</label>
<select id="session" disabled></select>
<button id="zoom-in" type="button" title="Zoom in (+ or Ctrl+wheel)" aria-label="Zoom in">+</button>
<button id="zoom-out" type="button" title="Zoom out (− or Ctrl+wheel)" aria-label="Zoom out">−</button>
<button id="fit" type="button" title="Show the whole session (0)">Fit</button>
<button id="follow" type="button" title="Keep the whole run in view while it grows (F)" aria-pressed="true">Follow</button>
<span id="status" class="status" aria-live="polite"></span>
</div>
<div id="chart" class="chart" tabindex="0" role="application" aria-roledescription="timeline" aria-label="Processes over time. Arrow keys: left and right pan, up and down select a process, Enter reveals it in the Processes view; plus and minus zoom." aria-describedby="help">
<canvas id="canvas"></canvas>
<div id="empty" class="empty"></div>
<div id="tooltip" class="tooltip" role="tooltip" hidden></div>
</div>
<p id="help" class="help">Ctrl+wheel or + − zoom · drag, Shift+wheel or ← → pan · ↑ ↓ select · click or Enter reveals the process in the tree</p>
<div id="announce" class="visually-hidden" aria-live="polite"></div>
<script nonce="${attribute(inputs.nonce)}" src="${attribute(inputs.scriptUri)}"></script>
</body>
</html>
`;
}

/** Escapes a value for a double-quoted HTML attribute. */
export function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

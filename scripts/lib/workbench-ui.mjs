// Driving code-server's workbench the way a user does (keyboard, Command Palette, Quick Open,
// views), with Playwright selectors. Every step waits for the state it needs with a generous
// timeout; nothing sleeps a fixed time. The selectors are VS Code's own DOM (1.100): roles and
// accessible names where the workbench provides them, its class names otherwise.

/** Long enough for a cold extension host, a language server start or a Python run. */
export const UI_TIMEOUT_MS = 60_000;

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function quickInput(page) {
  return page.locator('.quick-input-widget');
}

function quickInputBox(page) {
  return quickInput(page).locator('.quick-input-box input');
}

/** An entry of the open quick pick whose accessible name starts with `label`. */
function quickPickEntry(page, label) {
  return quickInput(page).getByRole('option', { name: new RegExp(`^${escapeRegExp(label)}`) }).first();
}

/**
 * Accepts `option` of the open quick pick with the keyboard: moves the list's focus to it, then
 * Enter. Not with the mouse: the hover of an entry clicked a moment ago can cover the list.
 */
export async function chooseOption(page, option) {
  await option.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const rows = await quickInput(page).getByRole('option').count();
  for (let step = 0; step <= rows; step++) {
    if (await option.evaluate((row) => row.classList.contains('focused'))) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not move the quick pick's focus to ${await option.getAttribute('aria-label')}`);
}

/**
 * Opens the quick input with `key`, types `text`, and accepts the entry whose name starts with
 * `entry` (not just the first one).
 */
async function pickFromQuickInput(page, key, text, entry) {
  await page.keyboard.press(key);
  const input = quickInputBox(page);
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await input.fill(text);
  await chooseOption(page, quickPickEntry(page, entry));
}

/** Runs a command from the Command Palette by its full title ("mpscope: Show Timeline"). */
export async function runCommand(page, title) {
  await pickFromQuickInput(page, 'F1', `>${title}`, title);
  // The palette is gone once the command ran; a command may open a quick pick of its own in the
  // same widget, whose input then no longer holds the palette's `>` text.
  await page.waitForFunction(() => {
    const widget = document.querySelector('.quick-input-widget');
    const input = widget?.querySelector('.quick-input-box input');
    return !widget || !widget.checkVisibility() || !input || !input.value.startsWith('>');
  }, undefined, { timeout: UI_TIMEOUT_MS });
}

/** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor is the active one. */
export async function openFile(page, name) {
  await pickFromQuickInput(page, 'Control+P', name, name);
  await activeEditorTab(page, name).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

export function activeEditorTab(page, name) {
  return page.locator('.tabs-container .tab.active', { hasText: name });
}

/** The workbench is usable: the status bar is drawn and the Explorer lists the workspace's files. */
export async function waitForWorkbench(page, someFile) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 120_000 });
  await page.getByRole('treeitem', { name: someFile }).first().waitFor({ state: 'visible', timeout: 120_000 });
}

/**
 * Selects a color theme by its label in "Preferences: Color Theme" ("Dark Modern"). A `workbench.colorTheme` written to
 * settings.json before start is not applied by code-server 4.100's web workbench (it stays on
 * its built-in Light+ fallback), so the test picks the theme the way a user does.
 */
export async function selectColorTheme(page, theme, kind) {
  const workbench = page.locator(`.monaco-workbench.${kind}`);
  // The picker lists the themes registered when it opens. They come from built-in extensions;
  // the workbench's class names the theme's extension once the first one was loaded from there.
  await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  await runCommand(page, 'Preferences: Color Theme');
  const input = quickInputBox(page);
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await input.fill(theme);
  await chooseOption(page, quickInput(page).getByRole('option', { name: new RegExp(`^${escapeRegExp(theme)}\\b`) }).first());
  await workbench.waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
}

/** Do Not Disturb: information notifications (e.g. code-server's terminal tip) stay hidden. */
export async function silenceNotifications(page) {
  await runCommand(page, 'Notifications: Toggle Do Not Disturb Mode');
  await page.locator('.part.statusbar .codicon-bell-slash').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/** A view pane of the side bar, found by its header ("Processes", "Run"). */
export function viewPane(page, title) {
  return page.locator('.pane').filter({ has: page.locator(`.pane-header[aria-label="${title} Section"]`) });
}

/** Collapses a side bar section (e.g. "Run") so the sections below it get its height. */
export async function collapseSection(page, title) {
  const header = page.locator(`.pane-header[aria-label="${title} Section"]`);
  await header.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  if ((await header.getAttribute('aria-expanded')) === 'true') {
    await header.click();
    await page.locator(`.pane-header[aria-label="${title} Section"][aria-expanded="false"]`).waitFor({ timeout: UI_TIMEOUT_MS });
  }
}

/** Moves the keyboard focus (and the mouse) to the active editor, e.g. away from a hovered row. */
export async function focusEditor(page) {
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const box = await editor.boundingBox();
  if (!box) throw new Error('the active editor has no size');
  // Far right of the second line (blank in the samples): inside the text, away from the gutter
  // and any widget, on no word the editor would highlight.
  await page.mouse.click(box.x + box.width - 40, box.y + 30);
  await page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
}

/** Widens the primary side bar to about `width` pixels by dragging its sash. */
export async function resizeSideBar(page, width) {
  const sideBar = page.locator('.part.sidebar');
  const box = await sideBar.boundingBox();
  if (!box) throw new Error('the side bar is not visible');
  const y = box.y + box.height / 2;
  const from = box.x + box.width;
  await page.mouse.move(from - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(
    ([selector, expected]) => Math.abs(document.querySelector(selector).getBoundingClientRect().width - expected) < 40,
    ['.part.sidebar', width],
    { timeout: UI_TIMEOUT_MS },
  );
}

/** A tree view (by its accessible name) and its rows. */
export function treeView(page, name) {
  return page.getByRole('tree', { name, exact: true });
}

/** Rows of a tree whose accessible name (label and description) matches `pattern`. */
export function treeRows(tree, pattern) {
  return tree.getByRole('treeitem', { name: pattern });
}

/** The accessible names of every rendered row of a tree, for failure messages. */
export async function treeRowNames(tree) {
  return tree.getByRole('treeitem').evaluateAll((rows) => rows.map((row) => `${'  '.repeat(Number(row.getAttribute('aria-level') ?? 1) - 1)}${row.getAttribute('aria-label')}`));
}

/**
 * The document of a webview editor or panel. VS Code nests each webview in two frames: the
 * host iframe (class `webview`, marked `ready` once loaded) and the content frame `#active-frame`.
 */
export function webviewContent(page) {
  // Hidden editors keep their webviews in the page: only the visible one is wanted.
  const host = page.locator('iframe.webview.ready').filter({ visible: true }).first();
  return host.contentFrame().locator('iframe#active-frame').contentFrame();
}

/** The Problems panel's rows. */
export function problemRows(page) {
  return page.locator('.markers-panel .monaco-list-row');
}

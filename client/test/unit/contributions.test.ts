// What package.json promises the Marketplace and VS Code, checked against the code and the files:
// every command has a title and the "mpscope" category and is registered by the extension, every
// setting is described, everything the menus, welcome views and walkthrough name exists, the icon
// is a 128×128 PNG, and the README documents every command and setting and shows images that exist.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { registeredCommands, RegisteredCommands } from './helpers/registeredCommands';

const repo = path.resolve(__dirname, '../../../..');

interface CommandContribution {
  readonly command: string;
  readonly title?: unknown;
  readonly category?: unknown;
}

interface SettingContribution {
  readonly type?: unknown;
  readonly description?: unknown;
  readonly markdownDescription?: unknown;
}

interface WalkthroughStep {
  readonly id: string;
  readonly title?: unknown;
  readonly description?: unknown;
  readonly media?: { readonly image?: unknown; readonly markdown?: unknown; readonly altText?: unknown };
  readonly completionEvents?: readonly string[];
}

interface Manifest {
  readonly icon?: string;
  readonly galleryBanner?: { readonly color?: string; readonly theme?: string };
  readonly categories?: readonly string[];
  readonly keywords?: readonly string[];
  readonly contributes: {
    readonly commands: readonly CommandContribution[];
    readonly configuration: { readonly properties: Readonly<Record<string, SettingContribution>> };
    readonly views?: Readonly<Record<string, readonly { readonly id: string }[]>>;
    readonly viewsWelcome?: readonly { readonly view: string; readonly contents: string }[];
    readonly menus?: Readonly<Record<string, readonly { readonly command: string; readonly when?: string }[]>>;
    readonly walkthroughs?: readonly { readonly id: string; readonly steps: readonly WalkthroughStep[] }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;
const commandIds = new Set(contributes.commands.map((command) => command.command));
const viewIds = new Set(Object.values(contributes.views ?? {}).flat().map((view) => view.id));

/** Commands VS Code makes for each contributed view (`<view id>.focus` and friends). */
function isViewCommand(id: string): boolean {
  return [...viewIds].some((view) => id === `${view}.focus` || id === `${view}.open` || id === `${view}.removeView`);
}

/** `command:` links in Markdown-ish text (welcome views, walkthrough descriptions). */
function linkedCommands(text: string): string[] {
  return [...text.matchAll(/\(command:([\w.-]+)(?:\?[^)]*)?\)/g)].map((match) => match[1] as string);
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Width and height from a PNG's header (the IHDR chunk comes first). */
function pngSize(file: string): { width: number; height: number } {
  const data = fs.readFileSync(file);
  assert.equal(data.subarray(1, 4).toString('latin1'), 'PNG', `${file} is not a PNG`);
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('package.json contributions', () => {
  let registered: RegisteredCommands;
  before(() => {
    registered = registeredCommands(path.join(repo, 'client', 'src'), path.join(repo, 'tsconfig.json'));
  });

  it('gives every command a title and the category "mpscope"', () => {
    for (const command of contributes.commands) {
      assert.match(command.command, /^mpscope\.[a-zA-Z][\w.]*$/, `command id ${command.command}`);
      assert.ok(nonEmptyString(command.title), `${command.command} has no title`);
      assert.equal(command.category, 'mpscope', `${command.command} must have the category "mpscope"`);
    }
    assert.equal(commandIds.size, contributes.commands.length, 'a command is contributed twice');
  });

  it('registers every contributed command in the extension (client/src)', () => {
    assert.deepEqual(registered.unresolved, [], 'registerCommand calls whose id is not a constant string (use a const)');
    const missing = [...commandIds].filter((id) => !registered.ids.has(id));
    assert.deepEqual(missing, [], 'contributed in package.json but never registered');
  });

  it('finds the registrations it should (the check itself works)', () => {
    assert.equal(registered.ids.get('mpscope.runFile')?.startsWith('src/'), true, `mpscope.runFile: ${registered.ids.get('mpscope.runFile')}`);
    assert.ok(registered.ids.size >= 5, `only ${registered.ids.size} registrations found`);
  });

  it('describes every setting, under the mpscope. prefix', () => {
    const settings = Object.entries(contributes.configuration.properties);
    assert.ok(settings.length > 0);
    for (const [key, setting] of settings) {
      assert.match(key, /^mpscope\.[a-zA-Z][\w.]*$/, `setting ${key}`);
      assert.ok(nonEmptyString(setting.description) || nonEmptyString(setting.markdownDescription), `${key} has no description`);
      assert.ok(setting.type !== undefined, `${key} has no type`);
    }
  });

  it('names only existing commands in menus and welcome views', () => {
    for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
      for (const item of items) {
        assert.ok(commandIds.has(item.command), `menu ${menu} names ${item.command}, which is not contributed`);
      }
    }
    for (const welcome of contributes.viewsWelcome ?? []) {
      assert.ok(viewIds.has(welcome.view), `welcome content for unknown view ${welcome.view}`);
      for (const id of linkedCommands(welcome.contents)) {
        assert.ok(commandIds.has(id) || isViewCommand(id), `welcome content links ${id}, which is not contributed`);
      }
    }
  });

  it('has a walkthrough whose steps have text, existing media and completion events', () => {
    const walkthroughs = contributes.walkthroughs ?? [];
    assert.ok(walkthroughs.length > 0, 'no walkthrough');
    for (const walkthrough of walkthroughs) {
      assert.ok(walkthrough.steps.length >= 3, `${walkthrough.id}: too few steps`);
      for (const step of walkthrough.steps) {
        const where = `${walkthrough.id}/${step.id}`;
        assert.ok(nonEmptyString(step.title) && nonEmptyString(step.description), `${where}: title and description`);
        const media = step.media?.image ?? step.media?.markdown;
        assert.ok(typeof media === 'string', `${where}: no media`);
        assert.ok(fs.existsSync(path.join(repo, media)), `${where}: ${media} does not exist`);
        if (step.media?.image !== undefined) assert.ok(nonEmptyString(step.media.altText), `${where}: an image needs altText`);
        assert.ok((step.completionEvents ?? []).length > 0, `${where}: no completion event`);
        for (const event of step.completionEvents ?? []) {
          const [kind, argument = ''] = event.split(/:(.*)/s);
          if (kind === 'onCommand' && argument.startsWith('mpscope.')) assert.ok(commandIds.has(argument), `${where}: ${event}`);
          if (kind === 'onView') assert.ok(viewIds.has(argument), `${where}: ${event}`);
        }
        for (const id of linkedCommands(String(step.description))) {
          if (id.startsWith('mpscope.')) assert.ok(commandIds.has(id) || isViewCommand(id), `${where}: links ${id}`);
        }
      }
    }
  });

  it('has a 128×128 PNG icon, a gallery banner, categories and keywords', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    assert.deepEqual(pngSize(path.join(repo, manifest.icon)), { width: 128, height: 128 });
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-fA-F]{6}$/);
    assert.ok(manifest.galleryBanner?.theme === 'dark' || manifest.galleryBanner?.theme === 'light');
    assert.ok((manifest.categories ?? []).length > 0);
    // The Marketplace accepts at most 30 keywords.
    assert.ok((manifest.keywords ?? []).length > 0 && (manifest.keywords ?? []).length <= 30);
  });
});

describe('README.md', () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');

  it('documents every setting', () => {
    const missing = Object.keys(contributes.configuration.properties).filter((key) => !readme.includes(`\`${key}\``));
    assert.deepEqual(missing, [], 'settings missing from the README (write them as `mpscope.…`)');
  });

  it('documents every command a user can run from the Command Palette', () => {
    const hidden = new Set((contributes.menus?.commandPalette ?? []).filter((item) => item.when === 'false').map((item) => item.command));
    const missing = contributes.commands
      .filter((command) => !hidden.has(command.command))
      .filter((command) => !readme.includes(`mpscope: ${String(command.title)}`))
      .map((command) => `mpscope: ${String(command.title)}`);
    assert.deepEqual(missing, [], 'commands missing from the README (write them as they show in the palette)');
  });

  it('shows only images that exist in the repository', () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((match) => match[1] as string);
    assert.ok(images.length >= 3, 'the README should show the tree, the timeline and the diagnostics');
    for (const image of images) {
      assert.ok(!/^[a-z]+:/i.test(image), `${image}: use a path in the repository (vsce makes it absolute)`);
      assert.ok(fs.existsSync(path.join(repo, image)), `${image} does not exist`);
    }
  });
});

// The Processes view as the user would read it: every node's label, description and tooltip,
// obtained through the same TreeDataProvider calls VS Code makes.
import * as vscode from 'vscode';

export interface RenderedNode {
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  readonly children: readonly RenderedNode[];
}

function labelText(label: string | vscode.TreeItemLabel | undefined): string {
  if (label === undefined) return '';
  return typeof label === 'string' ? label : label.label;
}

function tooltipText(tooltip: string | vscode.MarkdownString | undefined): string {
  if (tooltip === undefined) return '';
  return typeof tooltip === 'string' ? tooltip : tooltip.value;
}

async function render<T>(provider: vscode.TreeDataProvider<T>, element: T, depth: number): Promise<RenderedNode> {
  let item = await provider.getTreeItem(element);
  // VS Code lets a provider fill in a tooltip lazily; the view calls resolveTreeItem on hover.
  if (item.tooltip === undefined && provider.resolveTreeItem) {
    const source = new vscode.CancellationTokenSource();
    item = (await provider.resolveTreeItem(item, element, source.token)) ?? item;
    source.dispose();
  }
  const children = depth < 12 ? (await provider.getChildren(element)) ?? [] : [];
  return {
    label: labelText(item.label),
    description: typeof item.description === 'string' ? item.description : '',
    tooltip: tooltipText(item.tooltip),
    children: await Promise.all(children.map((child) => render(provider, child, depth + 1))),
  };
}

export async function renderTree<T>(provider: vscode.TreeDataProvider<T>): Promise<RenderedNode[]> {
  const roots = (await provider.getChildren(undefined)) ?? [];
  return Promise.all(roots.map((root) => render(provider, root, 0)));
}

/** Every node whose label or description names this pid. */
export function findByPid(nodes: readonly RenderedNode[], pid: number): RenderedNode[] {
  const pattern = new RegExp(`\\b${pid}\\b`);
  const found: RenderedNode[] = [];
  const visit = (node: RenderedNode): void => {
    if (pattern.test(`${node.label} ${node.description}`)) found.push(node);
    node.children.forEach(visit);
  };
  nodes.forEach(visit);
  return found;
}

export function contains(ancestor: RenderedNode, descendant: RenderedNode): boolean {
  return ancestor.children.some((child) => child === descendant || contains(child, descendant));
}

export function formatTree(nodes: readonly RenderedNode[], indent = ''): string {
  return nodes
    .map((node) => `${indent}${node.label}${node.description ? ` — ${node.description}` : ''}\n${formatTree(node.children, `${indent}  `)}`)
    .join('');
}

// The one place that knows where rule documentation is published.

export const RULE_DOCS_BASE_URL = 'https://github.com/mpscope/mpscope/blob/main/docs/rules/';

export function ruleDocsUrl(code: string): string {
  return `${RULE_DOCS_BASE_URL}${code}.md`;
}

// Checks a SARIF log against the constraints of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0)
// for the objects mpscope writes: required properties, enumerations and minimums. Returns the
// problems found, each with its JSON path, so that a failing test says exactly what is wrong.

type Json = unknown;

const LEVELS = ['none', 'note', 'warning', 'error'];
const COLUMN_KINDS = ['utf16CodeUnits', 'unicodeCodePoints'];

export function sarifProblems(log: Json): string[] {
  const problems: string[] = [];
  const fail = (where: string, what: string): void => {
    problems.push(`${where}: ${what}`);
  };
  const object = (value: Json, where: string): Record<string, Json> | undefined => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, Json>;
    fail(where, 'must be an object');
    return undefined;
  };
  const array = (value: Json, where: string): Json[] => {
    if (Array.isArray(value)) return value;
    fail(where, 'must be an array');
    return [];
  };
  const string = (value: Json, where: string, required = true): void => {
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value.length === 0) fail(where, 'must be a non-empty string');
  };
  const integer = (value: Json, where: string, minimum: number, required = false): void => {
    if (value === undefined && !required) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) fail(where, `must be an integer >= ${minimum}`);
  };
  const oneOf = (value: Json, where: string, allowed: readonly string[]): void => {
    if (value !== undefined && !allowed.includes(value as string)) fail(where, `must be one of ${allowed.join(', ')}`);
  };
  const uri = (value: Json, where: string): void => {
    string(value, where);
    if (typeof value === 'string' && /[\s\\]/.test(value)) fail(where, 'must be a URI reference (no spaces or backslashes)');
  };
  const message = (value: Json, where: string): void => {
    const node = object(value, where);
    if (node && typeof node.text !== 'string' && typeof node.id !== 'string') fail(where, 'needs "text" or "id"');
  };

  const root = object(log, '$');
  if (!root) return problems;
  if (root.version !== '2.1.0') fail('$.version', 'must be "2.1.0"');
  if (root.$schema !== undefined) uri(root.$schema, '$.$schema');
  array(root.runs, '$.runs').forEach((runValue, runIndex) => {
    const at = `$.runs[${runIndex}]`;
    const run = object(runValue, at);
    if (!run) return;
    oneOf(run.columnKind, `${at}.columnKind`, COLUMN_KINDS);
    const tool = object(run.tool, `${at}.tool`);
    const driver = tool && object(tool.driver, `${at}.tool.driver`);
    let ruleCount = 0;
    const ruleIds: string[] = [];
    if (driver) {
      string(driver.name, `${at}.tool.driver.name`);
      if (driver.informationUri !== undefined) uri(driver.informationUri, `${at}.tool.driver.informationUri`);
      const rules = driver.rules === undefined ? [] : array(driver.rules, `${at}.tool.driver.rules`);
      ruleCount = rules.length;
      rules.forEach((ruleValue, ruleIndex) => {
        const where = `${at}.tool.driver.rules[${ruleIndex}]`;
        const rule = object(ruleValue, where);
        if (!rule) return;
        string(rule.id, `${where}.id`);
        ruleIds.push(rule.id as string);
        for (const key of ['shortDescription', 'fullDescription', 'help']) {
          if (rule[key] === undefined) continue;
          const text = object(rule[key], `${where}.${key}`);
          if (text) string(text.text, `${where}.${key}.text`);
        }
        if (rule.helpUri !== undefined) uri(rule.helpUri, `${where}.helpUri`);
        if (rule.defaultConfiguration !== undefined) {
          const configuration = object(rule.defaultConfiguration, `${where}.defaultConfiguration`);
          if (configuration) oneOf(configuration.level, `${where}.defaultConfiguration.level`, LEVELS);
        }
      });
      if (new Set(ruleIds).size !== ruleIds.length) fail(`${at}.tool.driver.rules`, 'rule ids must be unique');
    }
    const bases = run.originalUriBaseIds === undefined ? {} : (object(run.originalUriBaseIds, `${at}.originalUriBaseIds`) ?? {});
    for (const [name, value] of Object.entries(bases)) {
      const base = object(value, `${at}.originalUriBaseIds.${name}`);
      if (base) {
        uri(base.uri, `${at}.originalUriBaseIds.${name}.uri`);
        if (typeof base.uri === 'string' && !base.uri.endsWith('/')) fail(`${at}.originalUriBaseIds.${name}.uri`, 'must end with a slash');
      }
    }
    for (const [index, invocationValue] of (run.invocations === undefined ? [] : array(run.invocations, `${at}.invocations`)).entries()) {
      const invocation = object(invocationValue, `${at}.invocations[${index}]`);
      if (invocation && typeof invocation.executionSuccessful !== 'boolean') fail(`${at}.invocations[${index}].executionSuccessful`, 'is required (boolean)');
    }
    (run.results === undefined ? [] : array(run.results, `${at}.results`)).forEach((resultValue, resultIndex) => {
      const where = `${at}.results[${resultIndex}]`;
      const result = object(resultValue, where);
      if (!result) return;
      message(result.message, `${where}.message`);
      oneOf(result.level, `${where}.level`, LEVELS);
      if (result.ruleIndex !== undefined) {
        integer(result.ruleIndex, `${where}.ruleIndex`, -1);
        if (typeof result.ruleIndex === 'number' && result.ruleIndex >= ruleCount) fail(`${where}.ruleIndex`, 'points past tool.driver.rules');
        else if (typeof result.ruleIndex === 'number' && ruleIds[result.ruleIndex] !== result.ruleId) fail(`${where}.ruleIndex`, 'names a different rule than ruleId');
      }
      array(result.locations, `${where}.locations`).forEach((locationValue, locationIndex) => {
        const locationAt = `${where}.locations[${locationIndex}]`;
        const location = object(locationValue, locationAt);
        const physical = location && object(location.physicalLocation, `${locationAt}.physicalLocation`);
        if (!physical) return;
        const artifact = object(physical.artifactLocation, `${locationAt}.physicalLocation.artifactLocation`);
        if (artifact) {
          uri(artifact.uri, `${locationAt}.physicalLocation.artifactLocation.uri`);
          if (artifact.uriBaseId !== undefined && !(String(artifact.uriBaseId) in bases)) {
            fail(`${locationAt}.physicalLocation.artifactLocation.uriBaseId`, 'is not declared in originalUriBaseIds');
          }
        }
        const region = object(physical.region, `${locationAt}.physicalLocation.region`);
        if (!region) return;
        integer(region.startLine, `${locationAt}.physicalLocation.region.startLine`, 1, true);
        integer(region.startColumn, `${locationAt}.physicalLocation.region.startColumn`, 1);
        integer(region.endLine, `${locationAt}.physicalLocation.region.endLine`, 1);
        integer(region.endColumn, `${locationAt}.physicalLocation.region.endColumn`, 1);
        const start = [region.startLine as number, (region.startColumn as number | undefined) ?? 1];
        const end = [(region.endLine as number | undefined) ?? start[0], (region.endColumn as number | undefined) ?? Infinity];
        if (end[0] < start[0] || (end[0] === start[0] && end[1] < start[1])) fail(`${locationAt}.physicalLocation.region`, 'ends before it starts');
      });
    });
  });
  return problems;
}

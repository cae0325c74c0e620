// Project configuration: `[tool.mpscope]` in pyproject.toml, shared by the CLI and the server.

export { ProjectConfigFinder, PYPROJECT } from './configFinder';
export { effectiveLintOptions, isExcluded, type OptionOverrides, type RuleOptions } from './effectiveOptions';
export { GlobPattern } from './glob';
export { ConfigError, parseProjectConfig, type ProjectConfig, readProjectConfig, SEVERITY_SETTINGS, type SeveritySetting } from './projectConfig';
export { isTomlTable, parseToml, readToml, TomlDateTime, TomlError, type TomlTable, type TomlValue } from './toml';

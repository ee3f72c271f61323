import { defineErrors } from '../core/errors.ts';

/**
 * A config problem pinned to its place in a YAML file. Every loader in Banyan reports these,
 * so `banyan validate` can print all of them at once as `file:line:col: rule: message`.
 */
export interface ConfigIssue {
  readonly file: string;
  /** 1-based, like editors and compilers. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
  /** Short stable name of the rule broken, e.g. `yaml-syntax`, `required`, `type`, `unknown-key`, `env-missing`. */
  readonly rule: string;
  readonly message: string;
  /** Dotted path of the offending value inside the document, when there is one. */
  readonly path?: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.path ? ` (at ${issue.path})` : '';
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.rule}: ${issue.message}${where}`;
}

// Registered so errorCatalog() (and docs/errors.md) lists it; ConfigError carries its own issues list.
defineErrors({ BANYAN_ERR_CONFIG_INVALID: { message: 'invalid configuration: %s' } });

/** Thrown when a config file cannot be loaded; carries every issue found, not only the first. */
export class ConfigError extends Error {
  readonly code = 'BANYAN_ERR_CONFIG_INVALID';
  readonly retriable = false;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(`invalid configuration:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

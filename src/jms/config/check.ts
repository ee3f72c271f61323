/**
 * `banyan validate` for mappings/jms.yaml, and the loader the gateway uses: the file checked
 * against the jms-mapping spec (spec.ts), every issue with file:line:col and the rule broken.
 */
import { checkConfigText, loadConfigFile, type LoadOptions } from '../../config/load.ts';
import type { ConfigIssue } from '../../config/issues.ts';
import { jmsMappingSchema, type JmsMapping } from './spec.ts';

export function checkJmsMapping(file: string, text: string, options: LoadOptions = {}): ConfigIssue[] {
  const result = checkConfigText(file, text, jmsMappingSchema, options);
  return result.ok ? [] : result.issues;
}

/** Loads and validates a jms-mapping file; throws a ConfigError listing every issue. */
export function loadJmsMapping(file: string, options: LoadOptions = {}): JmsMapping {
  return loadConfigFile(file, jmsMappingSchema, options).value;
}

/**
 * Validates a whole Banyan project: banyan.yaml plus every file under the bridges and mappings
 * directories that a catalog kind matches. Collects every issue instead of stopping at the first, so
 * `banyan validate` can list them all (like a compiler).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { checkBridgeNamesUnique } from './bridge-schema.ts';
import { CONFIG_KINDS, kindOf, type ConfigKind } from './catalog.ts';
import { loadConfigText } from './load.ts';
import { gatewaySchema } from './gateway-schema.ts';
import type { ConfigIssue } from './issues.ts';

export interface ValidateProjectOptions {
  /** Project root; bridges/ and mappings/ are found from here (or from banyan.yaml's `paths`). */
  readonly rootDir: string;
  /** banyan.yaml to check; default `<rootDir>/banyan.yaml`, which may be absent (defaults apply). */
  readonly configFile?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Issues name files relative to this directory (the user's cwd). */
  readonly displayDir: string;
}

export interface ValidatedFile {
  readonly file: string;
  readonly kind: string;
  readonly issues: number;
}

export interface ProjectReport {
  readonly files: readonly ValidatedFile[];
  readonly issues: readonly ConfigIssue[];
  /** YAML files under bridges/ or mappings/ that no config kind matches (often a misplaced file). */
  readonly skipped: readonly string[];
}

export function validateProject(options: ValidateProjectOptions): ProjectReport {
  const rootDir = resolve(options.rootDir);
  const files: ValidatedFile[] = [];
  const issues: ConfigIssue[] = [];
  const skipped: string[] = [];
  const bridges: Array<{ file: string; text: string }> = [];
  const display = (abs: string) => relative(options.displayDir, abs) || abs;

  const check = (abs: string, kind: ConfigKind) => {
    const name = display(abs);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      issues.push({ file: name, line: 1, col: 1, rule: 'file-unreadable', message: (err as Error).message });
      files.push({ file: name, kind: kind.kind, issues: 1 });
      return;
    }
    const found = kind.check(name, text, { rootDir, env: options.env, filePath: abs });
    if (kind.kind === 'bridge') bridges.push({ file: name, text });
    issues.push(...found);
    files.push({ file: name, kind: kind.kind, issues: found.length });
  };

  const explicit = options.configFile !== undefined;
  const configFile = resolve(options.displayDir, options.configFile ?? join(rootDir, 'banyan.yaml'));
  const gatewayKind = CONFIG_KINDS.find((k) => k.kind === 'gateway')!;
  let dirs = { bridges: join(rootDir, 'bridges'), mappings: join(rootDir, 'mappings') };
  if (existsSync(configFile)) {
    check(configFile, gatewayKind);
    dirs = configuredDirs(configFile, options.env) ?? dirs;
  } else if (explicit) {
    issues.push({ file: display(configFile), line: 1, col: 1, rule: 'file-unreadable', message: 'file does not exist' });
  }

  for (const [logical, dir] of Object.entries(dirs)) {
    for (const abs of listFiles(dir)) {
      const relPath = `${logical}/${relative(dir, abs).split(sep).join('/')}`;
      const kind = kindOf(relPath);
      if (kind && kind.kind !== 'gateway') check(abs, kind);
      else if (/\.ya?ml$/.test(abs)) skipped.push(display(abs));
    }
  }
  for (const issue of checkBridgeNamesUnique(bridges)) {
    issues.push(issue);
    const entry = files.findIndex((f) => f.file === issue.file);
    if (entry >= 0) files[entry] = { ...files[entry]!, issues: files[entry]!.issues + 1 };
  }
  // Cross-file issues were found last: present everything by file, then position.
  issues.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
  return { files, issues, skipped };
}

/** banyan.yaml's `paths`, when the file is valid; otherwise the conventional directories are used. */
function configuredDirs(configFile: string, env: NodeJS.ProcessEnv): { bridges: string; mappings: string } | undefined {
  try {
    const { value } = loadConfigText(configFile, readFileSync(configFile, 'utf8'), gatewaySchema, { env });
    // Relative to banyan.yaml's directory, as when the gateway loads it (gateway-config.ts).
    const base = dirname(configFile);
    return { bridges: resolve(base, value.paths.bridges), mappings: resolve(base, value.paths.mappings) };
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

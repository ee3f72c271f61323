/**
 * Validates a whole project: the project file (banyan.yaml) plus every file under the directories it
 * names that a catalog kind matches. Collects every issue instead of stopping at the first, so
 * `banyan validate` can list them all (like a compiler). The catalog is handed in: the toolkit knows
 * no file kind of its own.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { kindOf, type ConfigCatalog, type ConfigKind } from './config-kind.ts';
import type { ConfigIssue } from './issues.ts';

export interface ValidateProjectOptions {
  readonly catalog: ConfigCatalog;
  /** Project root; the kinds' directories are found from here (or from the project file). */
  readonly rootDir: string;
  /** Project file to check; default `<rootDir>/<catalog.project.fileName>`, which may be absent (defaults apply). */
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
  /** YAML files under the kinds' directories that no kind matches (often a misplaced file). */
  readonly skipped: readonly string[];
}

export function validateProject(options: ValidateProjectOptions): ProjectReport {
  const { catalog } = options;
  const rootDir = resolve(options.rootDir);
  const files: ValidatedFile[] = [];
  const issues: ConfigIssue[] = [];
  const skipped: string[] = [];
  const texts = new Map<ConfigKind, Array<{ file: string; text: string }>>();
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
    texts.set(kind, [...(texts.get(kind) ?? []), { file: name, text }]);
    issues.push(...found);
    files.push({ file: name, kind: kind.kind, issues: found.length });
  };

  const explicit = options.configFile !== undefined;
  const configFile = resolve(options.displayDir, options.configFile ?? join(rootDir, catalog.project.fileName));
  const present = existsSync(configFile);
  if (present) check(configFile, catalog.project);
  else if (explicit) issues.push({ file: display(configFile), line: 1, col: 1, rule: 'file-unreadable', message: 'file does not exist' });
  const dirs = catalog.project.directories(rootDir, present ? configFile : undefined, options.env);

  for (const [logical, dir] of Object.entries(dirs)) {
    for (const abs of listFiles(dir)) {
      const relPath = `${logical}/${relative(dir, abs).split(sep).join('/')}`;
      const kind = kindOf(catalog, relPath);
      if (kind) check(abs, kind);
      else if (/\.ya?ml$/.test(abs)) skipped.push(display(abs));
    }
  }
  for (const kind of catalog.kinds) {
    for (const issue of kind.checkAcross?.(texts.get(kind) ?? []) ?? []) {
      issues.push(issue);
      const entry = files.findIndex((f) => f.file === issue.file);
      if (entry >= 0) files[entry] = { ...files[entry]!, issues: files[entry]!.issues + 1 };
    }
  }
  // Cross-file issues were found last: present everything by file, then position.
  issues.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
  return { files, issues, skipped };
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

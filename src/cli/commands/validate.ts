/**
 * `banyan validate [--config banyan.yaml] [--dir .]`: checks banyan.yaml and every file under
 * bridges/ and mappings/ that the config catalog knows, prints every issue as
 * `file:line:col: rule: message`, and exits 1 when there is any (0 and a summary otherwise).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CliIo } from '../io.ts';
import { formatIssue } from '../../config/issues.ts';
import { validateProject } from '../../config/validate-project.ts';
import { CONFIG_CATALOG } from '../../config-catalog.ts';

export async function run(argv: string[], io: CliIo): Promise<number> {
  let values: { config?: string; dir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string', short: 'c' }, dir: { type: 'string', short: 'd' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    io.stderr.write(`banyan validate: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }

  const rootDir = resolve(io.cwd, values.dir ?? '.');
  const report = validateProject({
    catalog: CONFIG_CATALOG,
    rootDir,
    configFile: values.config === undefined ? undefined : resolve(io.cwd, values.config),
    env: io.env,
    displayDir: io.cwd,
  });

  for (const issue of report.issues) io.stdout.write(`${formatIssue(issue)}\n`);
  for (const file of report.skipped) io.stderr.write(`note: ${file}: not a Banyan config file kind, not checked\n`);
  const bad = report.files.filter((f) => f.issues > 0).length;
  if (report.issues.length > 0) {
    io.stderr.write(`${report.issues.length} issue(s) in ${bad} of ${report.files.length} file(s)\n`);
    return 1;
  }
  const byKind = new Map<string, number>();
  for (const f of report.files) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${n} ${k}`).join(', ');
  io.stdout.write(`ok: ${report.files.length} file(s) valid${kinds ? ` (${kinds})` : ''}\n`);
  return 0;
}

const USAGE = `usage: banyan validate [--config banyan.yaml] [--dir .]

Checks banyan.yaml and every bridges/*.yaml, mappings/routes/*.yaml and mappings/records/*.yaml,
printing each issue as file:line:col: rule: message. Exit code 1 when any issue is found.
`;

/**
 * GnuCOBOL as an independent layout oracle. A generated program COPYs the copybook into
 * WORKING-STORAGE, sets every OCCURS DEPENDING ON counter to its maximum, and prints each named
 * item's offset (its address minus its 01 record's) and LENGTH OF. It is compiled with
 * `cobc -std=ibm`, whose storage rules (binary 2-4-8 bytes, packed, zoned, SIGN SEPARATE, tables,
 * REDEFINES) follow IBM Enterprise COBOL. The same COPY statement, REPLACING included, is parsed
 * by our parser, so both sides see the same text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCopybook } from '../../../../src/codec/copybook/index.ts';
import { walkFields, type CopybookLayout, type Field } from '../../../../src/codec/layout.ts';

export interface OracleItem {
  readonly path: string;
  readonly offset: number;
  readonly length: number;
}

export interface OracleComparison {
  readonly ours: readonly OracleItem[];
  readonly gnucobol: readonly OracleItem[];
}

export function cobcAvailable(): boolean {
  return spawnSync('cobc', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Lays `copybookFile` out with our parser and with GnuCOBOL. `replacing` pairs rename words that are
 * reserved in GnuCOBOL (RECORD, ADDRESS, ...) on both sides through COPY ... REPLACING.
 */
export function compareWithGnuCobol(copybookFile: string, replacing: ReadonlyArray<readonly [string, string]> = []): OracleComparison {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-cobc-'));
  try {
    copyFileSync(copybookFile, join(dir, 'CB.cpy'));
    const copy = ['COPY CB', ...(replacing.length > 0 ? ['REPLACING'] : []), ...replacing.map(([a, b]) => `==${a}== BY ==${b}==`)].join(' ');
    const layout = parseCopybook(fixedFormat([`${copy}.`]), { copybookDir: dir, source: 'oracle-wrapper' });
    const program = join(dir, 'layout.cob');
    writeFileSync(program, fixedFormat(programLines(copy, layout)));
    const exe = join(dir, 'layout');
    execFileSync('cobc', ['-x', '-std=ibm', '-I', dir, '-o', exe, program], { stdio: ['ignore', 'ignore', 'pipe'] });
    const gnucobol = execFileSync(exe, { encoding: 'utf8' }).trim().split('\n').map((line) => {
      const [path, offset, length] = line.split('|');
      return { path: path.trim(), offset: Number(offset), length: Number(length) };
    });
    const ours = layout.records.flatMap((r) => measurable(r.root).map((f) => ({ path: f.path, offset: f.offset, length: f.length })));
    return { ours, gnucobol };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The items the oracle can address: named ones, not under a FILLER group. */
function measurable(root: Field): Field[] {
  return [...walkFields(root)].filter((f) => !f.isFiller && !f.path.split('.').some((s) => /^FILLER_\d+$/.test(s)));
}

function programLines(copy: string, layout: CopybookLayout): string[] {
  const lines = [
    'IDENTIFICATION DIVISION.',
    'PROGRAM-ID. LAYOUT.',
    'DATA DIVISION.',
    'WORKING-STORAGE SECTION.',
    '01 BNY-P-BASE USAGE POINTER.',
    '01 BNY-P-BASE-N REDEFINES BNY-P-BASE PIC S9(18) COMP-5.',
    '01 BNY-P-FLD USAGE POINTER.',
    '01 BNY-P-FLD-N REDEFINES BNY-P-FLD PIC S9(18) COMP-5.',
    '01 BNY-OFF PIC 9(9).',
    '01 BNY-LEN PIC 9(9).',
    `${copy}.`,
    'PROCEDURE DIVISION.',
  ];
  for (const record of layout.records) {
    const byPath = new Map([...walkFields(record.root)].map((f) => [f.path, f]));
    for (const f of walkFields(record.root)) {
      const counter = f.occurs?.dependingOn ? byPath.get(f.occurs.dependingOn) : undefined;
      if (f.occurs && counter) lines.push(`MOVE ${f.occurs.max} TO ${reference(counter, byPath)}`);
    }
    lines.push(`SET BNY-P-BASE TO ADDRESS OF ${record.name}`);
    for (const f of measurable(record.root)) {
      const ref = reference(f, byPath);
      lines.push(`SET BNY-P-FLD TO ADDRESS OF ${ref}`);
      lines.push('COMPUTE BNY-OFF = BNY-P-FLD-N - BNY-P-BASE-N');
      lines.push(`MOVE LENGTH OF ${ref} TO BNY-LEN`);
      lines.push(`DISPLAY "${f.path}|" BNY-OFF "|" BNY-LEN`);
    }
  }
  lines.push('GOBACK.');
  return lines;
}

/** `F OF G OF REC (1, 1)`: fully qualified, first occurrence of every enclosing table. */
function reference(f: Field, byPath: ReadonlyMap<string, Field>): string {
  const segments = f.path.split('.');
  const names: string[] = [];
  let subscripts = 0;
  for (let i = segments.length; i >= 1; i--) {
    const g = byPath.get(segments.slice(0, i).join('.'));
    if (!g) continue;
    if (!g.isFiller) names.push(g.name);
    if (g.occurs) subscripts++;
  }
  const subs = subscripts > 0 ? ` (${Array(subscripts).fill('1').join(', ')})` : '';
  return names.join(' OF ') + subs;
}

/** Statements as fixed-format lines: code from column 8, wrapped at spaces before column 72. */
function fixedFormat(statements: readonly string[]): string {
  const out: string[] = [];
  for (const statement of statements) {
    let line = '';
    for (const word of statement.match(/"[^"]*"|\S+/g) ?? []) {
      if (line && line.length + 1 + word.length > 60) {
        out.push(line);
        line = `    ${word}`;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
  }
  return `${out.map((l) => `       ${l}`).join('\n')}\n`;
}

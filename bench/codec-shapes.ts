/**
 * The codec benchmark's three record shapes (the ones Cobrix's README "Performance Analysis" uses),
 * their copybooks, record mappings and generated data, shared by bench/codec.bench.ts (decode only)
 * and bench/bridge.bench.ts (file in, Kafka acknowledged):
 *   - multisegment: 60-64-byte V records (IBM RDWs), two segments sharing a layout through REDEFINES,
 *     the segment id choosing the branch (Cobrix `redefine-segment-id-map`, Banyan a REDEFINES rule);
 *   - wide-fixed: 1,341-byte fixed records of 167 fields (text, zoned, packed, binary);
 *   - occurs-16k: 16,068-byte fixed records, a header and a 250-entry OCCURS table.
 * Data is random valid values from a deterministic PRNG, encoded by Banyan's encoder: every run
 * decodes the same bytes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCopybook } from '../src/codec/copybook/index.ts';
import { compileRecordCodec } from '../src/codec/compile/index.ts';
import type { DecodedRecord, DecodedValue } from '../src/codec/compile/types.ts';
import { getCodePage } from '../src/codec/codepages/index.ts';
import { writeRecordsSync, type FramingOptions } from '../src/codec/framing/index.ts';
import type { Field } from '../src/codec/layout.ts';

export interface Shape {
  readonly name: string;
  readonly describe: string;
  readonly copybook: string;
  readonly records: number;
  readonly format: 'F' | 'V';
  /** Segment id -> REDEFINES branch (multisegment only). */
  readonly segments?: Readonly<Record<string, string>>;
}

export function multisegmentShape(): Shape {
  return {
    name: 'multisegment',
    describe: '60-64-byte V records with IBM RDWs, segments C (company) and P (contact) sharing 49 bytes through REDEFINES; 300,000 records',
    format: 'V',
    records: 300_000,
    segments: { C: 'STATIC-DETAILS', P: 'CONTACTS' },
    copybook: [
      '       01  COMPANY-DETAILS.',
      '           05  SEGMENT-ID           PIC X(5).',
      '           05  COMPANY-ID           PIC X(10).',
      '           05  STATIC-DETAILS.',
      '               10  COMPANY-NAME     PIC X(15).',
      '               10  ADDRESS          PIC X(25).',
      '               10  TAXPAYER.',
      '                   15  TAXPAYER-TYPE  PIC X(1).',
      '                   15  TAXPAYER-NUM   PIC 9(8) COMP.',
      '                   15  FILLER         PIC X(4).',
      '           05  CONTACTS REDEFINES STATIC-DETAILS.',
      '               10  PHONE-NUMBER     PIC X(17).',
      '               10  CONTACT-PERSON   PIC X(28).',
      '',
    ].join('\n'),
  };
}

/** 167 fields, 1,341 bytes: the shape of Cobrix's "fixed record length" benchmark. */
export function wideFixedShape(): Shape {
  const lines = ['       01  WIDE-RECORD.'];
  const kinds = [
    ['PIC X(12).', 12],
    ['PIC 9(7).', 7],
    ['PIC S9(9)V99 COMP-3.', 6],
    ['PIC S9(9) COMP.', 4],
    ['PIC X(8).', 8],
    ['PIC S9(5)V99.', 7],
    ['PIC 9(4) COMP.', 2],
  ] as const;
  let bytes = 0;
  for (let i = 1; i <= 166; i++) {
    const [pic, size] = kinds[i % kinds.length]!;
    lines.push(`           05  FIELD-${String(i).padStart(3, '0')}  ${pic}`);
    bytes += size;
  }
  lines.push(`           05  FIELD-167  PIC X(${1341 - bytes}).`, '');
  return { name: 'wide-fixed', describe: '1,341-byte fixed records, 167 fields (text, zoned, packed, binary); 60,000 records', format: 'F', records: 60_000, copybook: lines.join('\n') };
}

/** 16,068 bytes: a 68-byte header and a 250-entry table of 64-byte items (Cobrix's "wide" benchmark size). */
export function occursShape(): Shape {
  return {
    name: 'occurs-16k',
    describe: '16,068-byte fixed records: 68-byte header + OCCURS 250 TIMES of a 64-byte item (6 fields); 5,000 records',
    format: 'F',
    records: 5_000,
    copybook: [
      '       01  STATEMENT.',
      '           05  ACCOUNT-ID           PIC X(20).',
      '           05  STATEMENT-DATE       PIC 9(8).',
      '           05  OPENING-BALANCE      PIC S9(13)V99 COMP-3.',
      '           05  CLOSING-BALANCE      PIC S9(13)V99 COMP-3.',
      '           05  ENTRY-COUNT          PIC 9(4) COMP.',
      '           05  FILLER               PIC X(22).',
      '           05  ENTRY OCCURS 250 TIMES.',
      '               10  ENTRY-DATE       PIC 9(8).',
      '               10  ENTRY-TEXT       PIC X(30).',
      '               10  AMOUNT           PIC S9(11)V99 COMP-3.',
      '               10  ENTRY-TYPE       PIC X(2).',
      '               10  REFERENCE        PIC S9(9) COMP.',
      '               10  BRANCH           PIC 9(5)V99.',
      '               10  FILLER           PIC X(6).',
      '',
    ].join('\n'),
  };
}

/**
 * A record mapping for the shape: camelCase names, a key, a topic, the framing, and the segment
 * cases when it has segments. Written as `<name>.mapping.yaml` in `dir`.
 */
export function writeMapping(dir: string, shape: Shape, copybookFile: string, topic = `bench.${shape.name}.v1`, name = shape.name): string {
  const lines = [`copybook: ${copybookFile}`, `topic: ${topic}`, 'names: camelCase'];
  // IBM RDWs: big-endian, the length counting the 4-byte header (the framing's default).
  if (shape.format === 'V') lines.push('framing: { format: V }');
  lines.push(`key: ${entityKeyField(shape)}`);
  if (shape.segments) {
    lines.push('segments:', '  field: SEGMENT-ID', '  cases:');
    for (const [id, branch] of Object.entries(shape.segments)) lines.push(`    - { ids: [${id}], branch: ${branch} }`);
  }
  const file = join(dir, `${name}.mapping.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The entity key of the shape's events: the company id of a multisegment record, else the record's first text field. */
export function entityKeyField(shape: Shape): string {
  if (shape.segments) return 'COMPANY-ID';
  const record = parseCopybook(shape.copybook).records[0]!;
  const firstText = record.root.kind === 'group' ? record.root.children.find((c) => c.kind === 'alphanumeric' && !c.isFiller) : undefined;
  if (!firstText) throw new Error(`shape ${shape.name} has no text field to key by`);
  return firstText.name;
}

/** Writes the copybook and `records` (default `shape.records`) records of random valid values (encoded by Banyan's encoder). */
export function generate(dir: string, shape: Shape, count: number = shape.records): { copybookFile: string; dataFile: string; recordLength: number; fileBytes: number } {
  const copybookFile = join(dir, `${shape.name}.cpy`);
  writeFileSync(copybookFile, shape.copybook, 'latin1');
  const record = parseCopybook(shape.copybook).records[0]!;
  const codec = compileRecordCodec(record, { codePage: getCodePage('cp037') });
  const random = prng(0x5eed + shape.records);
  const distinct = Array.from({ length: 200 }, (_, i) => {
    const value = randomValue(record.root, random) as DecodedRecord;
    if (shape.segments) {
      // Alternate company and contact segments; a contact fills only its own branch.
      const isContact = i % 2 === 1;
      value['SEGMENT-ID'] = isContact ? 'P' : 'C';
      if (isContact) delete value['STATIC-DETAILS'];
      else delete value.CONTACTS;
    }
    const bytes = codec.encode(value);
    return shape.segments && i % 2 === 1 ? bytes.subarray(0, 60) : bytes;
  });
  const records = Array.from({ length: count }, (_, i) => distinct[i % distinct.length]!);
  const framing: FramingOptions = shape.format === 'F' ? { format: 'F', recordLength: record.length } : { format: 'V' };
  const data = writeRecordsSync(records, framing);
  const dataFile = join(dir, `${shape.name}.dat`);
  writeFileSync(dataFile, data);
  return { copybookFile, dataFile, recordLength: record.length, fileBytes: data.length };
}

function randomValue(field: Field, random: () => number): DecodedValue {
  const one = (): DecodedValue => {
    switch (field.kind) {
      case 'group': {
        const out: DecodedRecord = {};
        for (const child of field.children) if (!child.isFiller && !child.redefines) out[child.name] = randomValue(child, random);
        for (const child of field.children) if (child.redefines && field.children.some((c) => c.name === child.redefines)) out[child.name] = randomValue(child, random);
        return out;
      }
      case 'alphanumeric': {
        const words = ['ACME', 'Joan Q & Z', 'Sandton', 'Johannesburg', 'Park ave.', '10', 'Pear GMBH', 'Toronto'];
        let s = '';
        while (s.length < field.length) s += `${words[Math.floor(random() * words.length)]} `;
        return s.slice(0, Math.max(1, field.length - 1 - Math.floor(random() * 3))).trim() || 'X';
      }
      case 'zoned':
      case 'packed':
      case 'binary': {
        const digits = Math.min(field.digits, field.kind === 'binary' ? 9 : field.digits);
        let d = '';
        for (let i = 0; i < digits; i++) d += String(Math.floor(random() * 10));
        d = d.replace(/^0+(?=\d)/, '');
        const sign = field.signed && random() < 0.3 ? '-' : '';
        if (field.scale > 0) {
          const padded = d.padStart(field.scale + 1, '0');
          return `${sign}${padded.slice(0, padded.length - field.scale)}.${padded.slice(padded.length - field.scale)}`;
        }
        return field.kind === 'binary' || digits <= 15 ? Number(`${sign}${d}`) : `${sign}${d}`;
      }
      default:
        return null;
    }
  };
  if (!field.occurs) return one();
  return Array.from({ length: field.occurs.max }, one);
}

/** mulberry32: a small deterministic PRNG so every run decodes the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

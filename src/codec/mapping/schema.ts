/**
 * Schema of `mappings/records/*.yaml`: what a migration team writes to bind a copybook to a topic.
 * It is the single source for validation and for docs (Benthos `ConfigSpec` style): structure is
 * checked here by zod; the checks against the copybook itself (every named field exists, key fields
 * are elementary, segment branches are REDEFINES) live in check.ts so they can point at the same
 * file:line:col.
 *
 * Example:
 * ```yaml
 * copybook: ../copybooks/company.cpy     # relative to this file
 * record: COMPANY-DETAILS                # the 01 level; optional when the copybook has one
 * codepage: cp037
 * framing: { format: V, rdw: { byte_order: big } }
 * topic: legacy.company.v1
 * key: [COMPANY-ID]
 * names: camelCase                       # as-is | camelCase | snake_case
 * rename: { COMPANY-ID: companyId }
 * mask: { TAXPAYER-STR: { keep_last: 4 } }
 * segments:
 *   field: SEGMENT-ID
 *   cases:
 *     - { ids: [C], branch: STATIC-DETAILS, topic: legacy.company.v1 }
 *     - { ids: [P], branch: CONTACTS, topic: legacy.contact.v1 }
 * ```
 */
import { z } from 'zod';
import { boolean, fromEnv, nonNegativeInt, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';

export const CODEPAGE_NAME = z.string().regex(/^[A-Za-z0-9_-]+$/, 'not a code page name (e.g. cp037, cp1047, ascii)');

/** A field as named in a mapping: a COBOL name (`COMPANY-ID`) or a dotted path (`COMPANY.COMPANY-ID`). */
const fieldRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'not a COBOL field name or dotted path');


/** A 4-byte RDW or BDW (`LL LL 00 00` on z/OS). */
const descriptorWord = z.strictObject({
  /** z/OS writes big-endian words; some transfers produce little-endian ones (Cobrix `is_rdw_big_endian`). */
  byte_order: z.enum(['big', 'little']).default('big'),
  /** IBM: the length counts the word's own 4 bytes. Cobrix's test files exclude them. */
  includes_header: boolean.default(true),
  /** Added to the length read from the word (Cobrix `rdw_adjustment`). */
  adjustment: fromEnv(z.number().int()).default(0),
});

/**
 * Record framing (IBM z/OS DFSMS record formats): F fixed, FB fixed blocked, V variable with a
 * 4-byte RDW, VB variable blocked with a 4-byte BDW before each block.
 */
export const framingSchema = z
  .strictObject({
    format: z.enum(['F', 'FB', 'V', 'VB']),
    /** F/FB: bytes per record; defaults to the copybook record's length. */
    record_length: positiveInt.optional(),
    /** FB: bytes per block (a multiple of record_length); only needed to skip block padding. */
    block_length: positiveInt.optional(),
    rdw: descriptorWord.optional(),
    /** VB (and FB with block descriptors): the BDW before each block. */
    bdw: descriptorWord.optional(),
    /** Bytes to skip at the start / end of the file (headers and trailers that are not records). */
    file_header_bytes: nonNegativeInt.default(0),
    file_trailer_bytes: nonNegativeInt.default(0),
  })
  .superRefine((f, ctx) => {
    if (f.rdw && (f.format === 'F' || f.format === 'FB')) {
      ctx.addIssue({ code: 'custom', path: ['rdw'], message: `rdw options apply to V and VB only, not ${f.format}` });
    }
    if (f.bdw && f.format !== 'VB' && f.format !== 'FB') {
      ctx.addIssue({ code: 'custom', path: ['bdw'], message: `bdw options apply to VB and FB only, not ${f.format}` });
    }
    if (f.record_length !== undefined && f.block_length !== undefined && f.block_length % f.record_length !== 0) {
      ctx.addIssue({ code: 'custom', path: ['block_length'], message: `block_length ${f.block_length} is not a multiple of record_length ${f.record_length}` });
    }
  });

/** How a sensitive field is hidden before it leaves the gateway. */
export const maskSchema = z.union([
  /** Replace the value by null. */
  z.literal('redact'),
  /** sha256 hex of the text (HMAC-SHA256 when `mask_hash_key` is set), stable for joins. */
  z.literal('hash'),
  z.strictObject({ keep_last: positiveInt }),
  z.strictObject({ keep_first: positiveInt }),
]);

const segmentCase = z.strictObject({
  /** Values of the segment-id field (compared after trimming trailing spaces). */
  ids: z.array(z.preprocess(String, z.string())).min(1),
  /** The REDEFINES branch that holds this segment's data; its siblings are dropped. */
  branch: fieldRef.optional(),
  /** Another 01 record of the same copybook to decode this segment with. */
  record: fieldRef.optional(),
  topic: z.string().min(1).optional(),
  key: z.array(fieldRef).min(1).optional(),
});

export const segmentsSchema = z.strictObject({
  /** The segment-id field, e.g. `SEGMENT-ID` (Cobrix `segment_field`). */
  field: fieldRef,
  cases: z.array(segmentCase).min(1),
  /** A record whose id matches no case: dead-letter it (default), skip it, or decode every branch. */
  otherwise: z.enum(['dlq', 'skip', 'all']).default('dlq'),
});

/** Choose one branch of a REDEFINES by the value of another field (not a segment id). */
const redefinesRule = z.strictObject({
  /** The redefined item (first of the REDEFINES siblings). */
  field: fieldRef,
  /** The field whose value selects the branch. */
  by: fieldRef,
  /** value -> branch name. */
  cases: z.record(z.string(), fieldRef),
  /** Value matching no case: decode all branches (default) or none. */
  otherwise: z.enum(['all', 'none']).default('all'),
});

export const recordMappingSchema = z
  .strictObject({
    /** Path of the copybook, relative to the mapping file. */
    copybook: z.string().min(1),
    /** Directory where `COPY member` statements are resolved; defaults to the copybook's directory. */
    copybook_dir: z.string().min(1).optional(),
    /** The 01-level record; optional when the copybook has only one. */
    record: fieldRef.optional(),
    codepage: CODEPAGE_NAME.default('cp037'),
    /** Per-field code page overrides (e.g. a name field kept in cp273). */
    field_codepages: z.record(fieldRef, CODEPAGE_NAME).default({}),
    framing: framingSchema.optional(),
    topic: z.string().min(1).optional(),
    /** Entity key field(s): events of one entity share a partition and keep their order. */
    key: z.union([fieldRef, z.array(fieldRef).min(1)]).optional(),
    names: z.enum(['as-is', 'camelCase', 'snake_case']).default('camelCase'),
    /** Explicit output names, applied after `names`. */
    rename: z.record(fieldRef, z.string().min(1)).default({}),
    mask: z.record(fieldRef, maskSchema).default({}),
    /** HMAC key for `hash` masks; use `${ENV}` so it stays out of git. */
    mask_hash_key: secret(z.string().min(1)).optional(),
    segments: segmentsSchema.optional(),
    redefines: z.array(redefinesRule).default([]),
    fillers: z.enum(['drop', 'keep']).default('drop'),
    trimming: z.enum(['both', 'left', 'right', 'none', 'keep_all']).default('both'),
    /**
     * `null`: a numeric field of all spaces (or low-values, for DISPLAY and packed) decodes to null,
     * never to garbage like 1077952576 (Cobrix issue #495). `strict`: such bytes fail the record.
     */
    blank_numbers: z.enum(['null', 'strict']).default('null'),
    /** `string` keeps every decimal exact; `number` only where the precision fits 15 digits. */
    decimals: z.enum(['string', 'number']).default('string'),
    /** A record that cannot be decoded: to the dead-letter topic with its raw bytes, or null the field and flag it. */
    on_error: z.enum(['dlq', 'null']).default('dlq'),
    /** Non-z/OS dialects: byte order of COMP-5 and COMP-1/2; IBM hex or IEEE floats. */
    binary_byte_order: z.enum(['big', 'little']).default('big'),
    float_format: z.enum(['ibm-hex', 'ieee754']).default('ibm-hex'),
    /** Tables after OCCURS DEPENDING ON are physically variable (Cobrix `variable_size_occurs`). */
    variable_occurs: boolean.default(false),
    /**
     * OCCURS DEPENDING ON a text field: per table, counter value -> element count (Cobrix
     * `occurs_mappings`), e.g. `{ DETAIL1: { A: 0, B: 1 } }`.
     */
    occurs_mappings: z.record(fieldRef, z.record(z.string(), nonNegativeInt)).default({}),
  })
  .superRefine((m, ctx) => {
    if (m.segments) {
      const seen = new Map<string, number>();
      m.segments.cases.forEach((c, i) => {
        c.ids.forEach((id, j) => {
          const prev = seen.get(id);
          if (prev !== undefined) {
            ctx.addIssue({ code: 'custom', path: ['segments', 'cases', i, 'ids', j], message: `segment id "${id}" is already used by case ${prev}` });
          }
          seen.set(id, i);
        });
      });
    }
  });

export type RecordMappingConfig = z.output<typeof recordMappingSchema>;
export type FramingConfig = z.output<typeof framingSchema>;
export type MaskConfig = z.output<typeof maskSchema>;
export type SegmentsConfig = z.output<typeof segmentsSchema>;

/**
 * Writes samples/company-details/COMPANY.SAMPLE.DAT, the file the README's "First run" drops into
 * the shipped bridge's inbox: a company master file as the mainframe would send it, laid out by
 * mappings/copybooks/company-details.cpy, EBCDIC cp037, V format (each record after a 4-byte IBM
 * RDW), written with Banyan's own encoder through the shipped mapping so it is reproducible:
 *
 *   node bin/run-ts.js scripts/make-sample-company-file.ts
 *
 * Every company record (segment C) is followed by its contacts (segment P). Exactly one record is
 * broken on purpose: record BROKEN_RECORD_NUMBER carries segment id "X", which the mapping's
 * `segments.cases` do not list (`otherwise: dlq`), so it goes to the dead-letter topic with its raw
 * bytes and reason while the records after it are still delivered.
 * test/unit/samples/company-sample.test.ts checks that the committed file is this script's output.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openRecordCodec, type DecodedRecord } from '../src/codec/index.ts';
import { writeRecordsSync } from '../src/codec/framing/writer.ts';

export const SAMPLE_FILE = fileURLToPath(new URL('../samples/company-details/COMPANY.SAMPLE.DAT', import.meta.url));
export const SHIPPED_MAPPING = fileURLToPath(new URL('../mappings/records/company-details.yaml', import.meta.url));

/** 1-based number of the deliberately broken record. */
export const BROKEN_RECORD_NUMBER = 6;
/** EBCDIC (cp037) "X": a segment id the mapping does not know. */
const UNKNOWN_SEGMENT_ID = 0xe7;

/** One company and its contacts, in the mapping's output names (camelCase, COMPANY-ID as companyId). */
interface SampleCompany {
  readonly companyId: string;
  readonly name: string;
  readonly address: string;
  /** A: a taxpayer id in letters and digits (TAXPAYER-STR); N: a binary number (TAXPAYER-NUM). */
  readonly taxpayer: { readonly type: 'A'; readonly id: string } | { readonly type: 'N'; readonly id: number };
  readonly contacts: ReadonlyArray<{ readonly phone: string; readonly name: string }>;
}

const COMPANIES: readonly SampleCompany[] = [
  {
    companyId: '1000000001',
    name: 'Acme Foundry',
    address: '12 Mill Lane, Sheffield',
    taxpayer: { type: 'A', id: 'GB774412' },
    contacts: [
      { phone: '+44 114 496 0101', name: 'Ada Whitworth' },
      { phone: '+44 114 496 0102', name: 'Ben Osei' },
    ],
  },
  {
    companyId: '1000000002',
    name: 'Blue Harbour Co',
    address: '4 Quay Street, Cork',
    taxpayer: { type: 'N', id: 31195396 },
    contacts: [{ phone: '+353 21 490 0000', name: 'Cara Byrne' }],
  },
  {
    // Its record is the broken one (BROKEN_RECORD_NUMBER): its segment id is turned into "X".
    companyId: '1000000003',
    name: 'Cobalt Mining',
    address: '88 Rand Road, Benoni',
    taxpayer: { type: 'A', id: 'ZA550193' },
    contacts: [{ phone: '+27 11 555 0143', name: 'Dumi Nkosi' }],
  },
  {
    companyId: '1000000004',
    name: 'Delta Freight',
    address: '301 River Rd, Memphis',
    taxpayer: { type: 'N', id: 47700212 },
    contacts: [
      { phone: '+1 901 555 0199', name: 'Eve Lindqvist' },
      { phone: '+1 901 555 0142', name: 'Farid Haddad' },
      { phone: '+1 901 555 0117', name: 'Grace Mbeki' },
    ],
  },
];

/** The sample file's bytes: V records (RDW + record) in file order, one of them broken. */
export function companySampleFile(mapping: string = SHIPPED_MAPPING): Buffer {
  const codec = openRecordCodec({ mapping });
  const records: Uint8Array[] = [];
  for (const c of COMPANIES) {
    const taxpayer: DecodedRecord = c.taxpayer.type === 'A' ? { taxpayerType: 'A', taxpayerStr: c.taxpayer.id } : { taxpayerType: 'N', taxpayerNum: c.taxpayer.id };
    records.push(codec.encode({ segmentId: 'C', companyId: c.companyId, staticDetails: { companyName: c.name, address: c.address, taxpayer } }));
    for (const p of c.contacts) {
      records.push(codec.encode({ segmentId: 'P', companyId: c.companyId, contacts: { phoneNumber: p.phone, contactName: p.name } }));
    }
  }
  const broken = Uint8Array.from(records[BROKEN_RECORD_NUMBER - 1]!);
  broken[0] = UNKNOWN_SEGMENT_ID; // SEGMENT-ID PIC X(5) at offset 0: "C    " becomes "X    "
  records[BROKEN_RECORD_NUMBER - 1] = broken;
  return Buffer.from(writeRecordsSync(records, codec.framing));
}

// Run as a script (directly or through bin/run-ts.js, which sets argv[1]), not when imported by the test.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = companySampleFile();
  writeFileSync(SAMPLE_FILE, bytes);
  console.log(`${SAMPLE_FILE}: ${bytes.length} bytes, record ${BROKEN_RECORD_NUMBER} broken (unknown segment id "X")`);
}

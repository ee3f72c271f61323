/**
 * Two shapes of mainframe file through the whole file bridge (`banyan run --until-idle` on a bridge
 * file: drop directory -> file source -> codec -> Kafka sink -> checkpoint -> archive) on the real
 * broker, each record compared with the value it was written from:
 *   - a multi-segment V file (customers and their orders, packed, zoned and binary numbers) with one
 *     order whose packed AMOUNT has a digit nibble of A: that record in the dead-letter topic with
 *     its raw bytes, field, offset, hex and rule, and the records after it still delivered;
 *   - a wide fixed-length F file (3,918-byte records of 402 fields): every record on its topic,
 *     keyed by its account, in file order per key.
 * The files are written in setup with Banyan's encoder from the values the assertions expect.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openRecordCodec, type DecodedRecord } from '../../../src/codec/index.ts';
import { writeRecordsSync } from '../../../src/codec/framing/writer.ts';
import { runBanyan } from '../../support/cli.ts';
import { consumeAll, testBrokers, uniqueTopic, type ConsumedRecord } from '../../support/kafka.ts';

const fixtures = new URL('../../fixtures/codec/', import.meta.url).pathname;
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'banyan-file-shapes-'));
  await writeFile(join(root, 'banyan.yaml'), `kafka:\n  brokers: ${testBrokers().join(',')}\n  topics: { partitions: 3 }\n`);
  await mkdir(join(root, 'mappings'));
  await mkdir(join(root, 'bridges'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes a bridge file for `mapping` reading `inbox/<name>`, and runs it until idle. */
async function runBridge(name: string, mapping: string, sinkTopic: string): Promise<string> {
  const file = `bridges/${name}.yaml`;
  await writeFile(join(root, file), [`name: ${name}`, 'source:', `  file: { dir: inbox/${name} }`, `mapping: ${mapping}`, 'sink:', `  kafka: { topic: ${sinkTopic} }`, 'batch: { max_records: 7 }', ''].join('\n'));
  const { code, stderr } = await runBanyan(['run', file, '--until-idle'], { cwd: root });
  assert.equal(code, 0, stderr);
  return stderr;
}

test('a multi-segment V file with a bad packed nibble: customers and orders on their topics keyed by customer in file order, the bad order dead-lettered with its bytes and rule, the records after it delivered', async () => {
  const customerTopic = uniqueTopic('shapes-customer');
  const orderTopic = uniqueTopic('shapes-order');
  await copyFile(join(fixtures, 'customer-activity.cpy'), join(root, 'mappings', 'customer-activity.cpy'));
  const mappingText = (await readFile(join(fixtures, 'customer-activity.mapping.yaml'), 'utf8')).replaceAll('topic: legacy.customer.v1', `topic: ${customerTopic}`).replace('topic: legacy.customer-order.v1', `topic: ${orderTopic}`);
  assert.ok(!mappingText.includes('legacy.'), 'every topic of the fixture replaced');
  await writeFile(join(root, 'mappings', 'customer-activity.yaml'), mappingText);
  const codec = openRecordCodec({ mapping: join(root, 'mappings', 'customer-activity.yaml') });

  // 4 customers, each followed by its orders; order values chosen so decoding gives them back exactly.
  const values: DecodedRecord[] = [];
  for (let c = 1; c <= 4; c++) {
    const customerId = `CUST000${c}`;
    values.push({ segmentId: 'C', customerId, customerData: { customerName: `Customer ${c}`, creditLimit: `${c * 1000}.50`, openedOn: 20200100 + c } });
    for (let o = 1; o <= c + 1; o++) {
      values.push({ segmentId: 'O', customerId, orderData: { orderNo: c * 100 + o, amount: `${o % 2 ? '-' : ''}${c}${o}.0${o}`, quantity: o, sku: `SKU-${c}-${o}` } });
    }
  }
  const records = values.map((v) => Uint8Array.from(codec.encode(v)));
  // Record 6 is customer 2's first order; its AMOUNT (ORDER-DATA at 9 + ORDER-NO 10 = offset 19) gets digit nibble A.
  const bad = 6;
  assert.equal(values[bad - 1]!.segmentId, 'O');
  records[bad - 1]![19] = 0xa0 | (records[bad - 1]![19]! & 0x0f);
  await mkdir(join(root, 'inbox', 'activity'), { recursive: true });
  await writeFile(join(root, 'inbox', 'activity', 'ACTIVITY.DAT'), writeRecordsSync(records, codec.framing));

  const stderr = await runBridge('activity', 'mappings/customer-activity.yaml', customerTopic);
  assert.match(stderr, new RegExp(`activity: ${records.length} records read, ${records.length - 1} published, 1 dead-lettered, 0 skipped`));

  const want = (segment: string) => values.map((v, i) => ({ n: i + 1, v })).filter((x) => x.v.segmentId === segment && x.n !== bad);
  const customers = await consumeAll(customerTopic, want('C').length, 30_000);
  const orders = await consumeAll(orderTopic, want('O').length, 30_000);
  assert.equal(customers.length, 4, 'each customer once');
  assert.equal(orders.length, want('O').length, `each of the ${want('O').length} good orders once`);
  for (const [got, expected] of [[customers, want('C')], [orders, want('O')]] as const) {
    assert.deepEqual(inFileOrderPerKey(got), groupByKey(expected.map((x) => ({ key: x.v.customerId as string, n: x.n }))), 'per key, in file order');
    for (const r of got) {
      const n = Number(r.headers['banyan-record-number']!.toString());
      assert.deepEqual(JSON.parse(r.value!.toString()), values[n - 1], `record ${n} as written`);
    }
  }
  assert.ok(orders.some((r) => r.headers['banyan-record-number']!.toString() === String(bad + 1)), 'the order after the bad one was delivered');

  const [dead, ...more] = await consumeAll(`${customerTopic}.dlq`, 1, 30_000);
  assert.equal(more.length, 0);
  assert.deepEqual(new Uint8Array(dead!.value!), records[bad - 1], 'the raw record bytes');
  const header = (name: string) => dead!.headers[name]?.toString();
  assert.equal(header('banyan-record-number'), String(bad));
  assert.equal(header('banyan-error-code'), 'BANYAN_ERR_DECODE_PACKED_NIBBLE');
  assert.equal(header('banyan-error-field'), 'CUSTOMER-ACTIVITY.ORDER-DATA.AMOUNT');
  assert.equal(header('banyan-error-offset'), '19');
  assert.equal(header('banyan-error-hex'), Buffer.from(records[bad - 1]!.subarray(19, 24)).toString('hex').toUpperCase());
  assert.match(header('banyan-error-hex')!, /^A/);
  assert.equal(header('banyan-error-rule'), 'packed decimal digit nibble must be 0-9');
  assert.match(header('banyan-error-reason')!, /^record 6, field CUSTOMER-ACTIVITY\.ORDER-DATA\.AMOUNT at byte 19 \[A/);
  assert.deepEqual(await readdir(join(root, 'inbox', 'activity', 'archive')), ['ACTIVITY.DAT']);
});

test('a wide fixed-length file (3,918-byte records, 402 fields): every record on its topic, keyed by its account, in file order per key', async () => {
  const topic = uniqueTopic('shapes-wide');
  // 4 leading bytes of key and sequence, then 100 x (text 20, zoned 9, packed 6, binary 4) = 3,918 bytes.
  const lines = ['       01  WIDE-ACCOUNT.', '           05  ACCOUNT-ID       PIC X(12).', '           05  SEQ-NO           PIC 9(6).'];
  for (let i = 1; i <= 100; i++) {
    lines.push(`           05  NOTE-${i}         PIC X(20).`, `           05  BALANCE-${i}      PIC S9(7)V99.`, `           05  AMOUNT-${i}       PIC S9(9)V99 COMP-3.`, `           05  COUNT-${i}        PIC S9(9) COMP.`);
  }
  await writeFile(join(root, 'mappings', 'wide-account.cpy'), `${lines.join('\n')}\n`);
  await writeFile(join(root, 'mappings', 'wide-account.yaml'), `copybook: wide-account.cpy\ncodepage: cp037\nframing: { format: F }\ntopic: ${topic}\nkey: ACCOUNT-ID\n`);
  const codec = openRecordCodec({ mapping: join(root, 'mappings', 'wide-account.yaml') });
  assert.equal(codec.record.length, 3918);

  // 60 records of 12 accounts, interleaved so each account's records are spread over the file.
  const values: DecodedRecord[] = [];
  for (let n = 1; n <= 60; n++) {
    const v: Record<string, DecodedRecord[string]> = { accountId: `ACCT-${String(n % 12).padStart(4, '0')}`, seqNo: n };
    for (let i = 1; i <= 100; i++) {
      v[`note${i}`] = `note ${n}.${i}`;
      v[`balance${i}`] = `${(n * i) % 2 ? '-' : ''}${n * 1000 + i}.${String(i % 100).padStart(2, '0')}`;
      v[`amount${i}`] = `${n * i}.0${i % 10}`;
      v[`count${i}`] = n * 1000 + i;
    }
    values.push(v);
  }
  await mkdir(join(root, 'inbox', 'wide'), { recursive: true });
  await writeFile(join(root, 'inbox', 'wide', 'WIDE.DAT'), writeRecordsSync(values.map((v) => codec.encode(v)), codec.framing));

  const stderr = await runBridge('wide', 'mappings/wide-account.yaml', topic);
  assert.match(stderr, /wide: 60 records read, 60 published, 0 dead-lettered, 0 skipped/);
  const got = await consumeAll(topic, 60, 30_000);
  assert.equal(got.length, 60, 'each record once');
  assert.deepEqual(inFileOrderPerKey(got), groupByKey(values.map((v, i) => ({ key: v.accountId as string, n: i + 1 }))), 'per key, in file order');
  for (const r of got) {
    const n = Number(r.headers['banyan-record-number']!.toString());
    assert.deepEqual(JSON.parse(r.value!.toString()), values[n - 1], `record ${n}: all 402 fields as written`);
  }
  assert.deepEqual(await readdir(join(root, 'inbox', 'wide', 'archive')), ['WIDE.DAT']);
});

/** Record numbers per key in the order the topic holds them; each key must sit on one partition. */
function inFileOrderPerKey(records: readonly ConsumedRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const partitionOf = new Map<string, number>();
  for (const r of [...records].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))) {
    const key = r.key!.toString();
    assert.equal(partitionOf.get(key) ?? r.partition, r.partition, `key ${key} on one partition`);
    partitionOf.set(key, r.partition);
    out.set(key, [...(out.get(key) ?? []), Number(r.headers['banyan-record-number']!.toString())]);
  }
  return out;
}

function groupByKey(entries: ReadonlyArray<{ key: string; n: number }>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of entries) out.set(e.key, [...(out.get(e.key) ?? []), e.n]);
  return out;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BanyanError } from '../../../../src/core/errors.ts';
import { createMqTransport, type IbmMqTransportOptions } from '../../../../src/connectors/ibm-mq/mq-transport.ts';
import { ibmMqConnectionSchema } from '../../../../src/connectors/ibm-mq/spec.ts';
import { FakeQueueManager } from '../../../support/fake-ibmmq.ts';
import { FAKE_MQC as C } from '../../../support/fake-ibmmq-structs.ts';

const ORDERS = 'ORDERS.IN';
const AUDIT = 'AUDIT.IN';
const REPLIES = 'REPLIES.OUT';
const NOW = { max: 10, waitMs: 0 } as const;

function setup(config: Record<string, unknown> = {}, options: Partial<IbmMqTransportOptions> = {}, qm = defaultQueueManager()) {
  const parsed = ibmMqConnectionSchema.parse({
    queue_manager: 'QM1',
    channel: 'DEV.APP.SVRCONN',
    connection: 'mq.example(1414)',
    app_name: 'banyan-test',
    poll_interval_ms: 20,
    ...config,
  });
  const transport = createMqTransport(parsed, { load: async () => qm.driver(), ...options });
  return { qm, transport };
}

function defaultQueueManager() {
  return new FakeQueueManager()
    .defineQueue({ name: ORDERS, backoutThreshold: 3, backoutQueue: 'ORDERS.BACKOUT' })
    .defineQueue({ name: 'ORDERS.BACKOUT' })
    .defineQueue({ name: AUDIT })
    .defineQueue({ name: REPLIES });
}

async function rejectsWith(p: Promise<unknown>, code: string, retriable: boolean, ...mentions: string[]): Promise<BanyanError> {
  const err = await p.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof BanyanError, `not a BanyanError: ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.equal(err.retriable, retriable, `${code} retriable`);
  for (const m of mentions) assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
  return err;
}

const text = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('IBM MQ transport: units of work', () => {
  it('a get under syncpoint hides the message from others; backout returns it with backoutCount + 1', async () => {
    const { qm, transport } = setup();
    const put = qm.putMessage(ORDERS, { body: 'order 1' });
    const [reader, other] = [await transport.connect(), await transport.connect()];
    const [first] = await reader.get(ORDERS, NOW);
    assert.equal(hex(first.descriptor.msgId), put.md.MsgId.toString('hex'));
    assert.equal(first.descriptor.backoutCount, 0);
    assert.deepEqual(await other.get(ORDERS, NOW), [], 'in flight on another connection');
    assert.equal(qm.visible(ORDERS).length, 0);

    await reader.backout();
    const [again] = await other.get(ORDERS, NOW);
    assert.equal(hex(again.descriptor.msgId), hex(first.descriptor.msgId));
    assert.equal(again.descriptor.backoutCount, 1);
    assert.equal(Buffer.from(again.body).toString(), 'order 1');
    await Promise.all([reader.close(), other.close()]);
  });

  it('commit makes the gets final: the queue is empty for every connection', async () => {
    const { qm, transport } = setup();
    for (let i = 0; i < 3; i++) qm.putMessage(ORDERS, { body: `order ${i}` });
    const s = await transport.connect();
    const got = await s.get(ORDERS, { max: 10, waitMs: 0 });
    assert.deepEqual(got.map((m) => Buffer.from(m.body).toString()), ['order 0', 'order 1', 'order 2']);
    await s.commit();
    assert.equal(qm.depth(ORDERS), 0);
    const other = await transport.connect();
    assert.deepEqual(await other.get(ORDERS, NOW), []);
    await Promise.all([s.close(), other.close()]);
  });

  it('commit and backout cover every queue the connection touched', async () => {
    const { qm, transport } = setup();
    qm.putMessage(ORDERS, { body: 'o' });
    qm.putMessage(AUDIT, { body: 'a' });
    const s = await transport.connect();
    assert.equal((await s.get(ORDERS, NOW)).length, 1);
    assert.equal((await s.get(AUDIT, NOW)).length, 1);
    await s.put(REPLIES, { body: text('r'), bodyKind: 'text' });
    await s.backout();
    assert.deepEqual([qm.visible(ORDERS)[0].md.BackoutCount, qm.visible(AUDIT)[0].md.BackoutCount, qm.depth(REPLIES)], [1, 1, 0]);

    assert.equal((await s.get(ORDERS, NOW)).length, 1);
    assert.equal((await s.get(AUDIT, NOW)).length, 1);
    await s.put(REPLIES, { body: text('r'), bodyKind: 'text' });
    await s.commit();
    assert.deepEqual([qm.depth(ORDERS), qm.depth(AUDIT), qm.visible(REPLIES).length], [0, 0, 1]);
    await s.close();
  });

  it('a put is invisible to other connections (and its own) until commit', async () => {
    const { qm, transport } = setup();
    const [writer, reader] = [await transport.connect(), await transport.connect()];
    const { msgId } = await writer.put(REPLIES, { body: text('reply'), bodyKind: 'text' });
    assert.equal(qm.depth(REPLIES), 1, 'CURDEPTH counts the uncommitted put');
    assert.deepEqual(await reader.get(REPLIES, NOW), []);
    assert.deepEqual(await writer.get(REPLIES, NOW), []);
    await writer.commit();
    const [got] = await reader.get(REPLIES, NOW);
    assert.equal(hex(got.descriptor.msgId), hex(msgId));
    assert.equal(got.descriptor.msgId.length, 24);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('messages come in priority order, first in first out within a priority', async () => {
    const { qm, transport } = setup();
    for (const [body, priority] of [['low', 1], ['high-1', 9], ['mid', 5], ['high-2', 9]] as const) qm.putMessage(ORDERS, { body, priority });
    const s = await transport.connect();
    const got = await s.get(ORDERS, NOW);
    assert.deepEqual(got.map((m) => Buffer.from(m.body).toString()), ['high-1', 'high-2', 'mid', 'low']);
    await s.close();
  });

  it('close backs out before disconnecting (MQDISC alone would commit the gets)', async () => {
    const { qm, transport } = setup();
    qm.putMessage(ORDERS, { body: 'in flight' });
    const s = await transport.connect();
    assert.equal((await s.get(ORDERS, NOW)).length, 1);
    await s.close();
    assert.deepEqual(qm.visible(ORDERS).map((m) => m.md.BackoutCount), [1]);
    await rejectsWith(s.get(ORDERS, NOW), 'BANYAN_ERR_MQ_SESSION_CLOSED', false);
  });
});

describe('IBM MQ transport: gets', () => {
  it('an empty queue gives [] after the wait, polled with NO_WAIT gets under syncpoint (MQRC 2033)', async () => {
    const { qm, transport } = setup();
    const s = await transport.connect();
    assert.deepEqual(await s.get(ORDERS, { max: 5, waitMs: 60 }), []);
    assert.ok(qm.getOptions.length >= 2, `polled ${qm.getOptions.length} times`);
    const wanted = C.MQGMO_SYNCPOINT | C.MQGMO_FAIL_IF_QUIESCING | C.MQGMO_PROPERTIES_IN_HANDLE;
    for (const o of qm.getOptions) {
      assert.equal(o & wanted, wanted);
      assert.equal(o & (C.MQGMO_WAIT | C.MQGMO_CONVERT), 0);
    }
    await s.close();
  });

  it('a message put while a get waits is got, and the batch does not wait for more', async () => {
    const { qm, transport } = setup();
    const s = await transport.connect();
    setTimeout(() => qm.putMessage(ORDERS, { body: 'late' }), 30);
    const got = await s.get(ORDERS, { max: 5, waitMs: 30_000 });
    assert.deepEqual(got.map((m) => Buffer.from(m.body).toString()), ['late']);
    await s.close();
  });

  it('an aborted wait ends the get with what it has', async () => {
    const { transport } = setup();
    const s = await transport.connect();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    assert.deepEqual(await s.get(ORDERS, { max: 5, waitMs: 30_000, signal: stop.signal }), []);
    await s.close();
  });

  it('a message longer than the buffer (MQRC 2080) grows it and arrives whole', async () => {
    const { qm, transport } = setup();
    const big = Buffer.alloc(300_000, 0xc1);
    big.write('END', big.length - 3);
    qm.putMessage(ORDERS, { body: big });
    qm.putMessage(ORDERS, { body: 'small' });
    const s = await transport.connect();
    const got = await s.get(ORDERS, NOW);
    assert.equal(got.length, 2);
    assert.ok(Buffer.from(got[0].body).equals(big));
    assert.equal(Buffer.from(got[1].body).toString(), 'small');
    assert.equal(qm.getOptions.length, 4, 'truncated get, get again, small, empty');
    await s.commit();
    assert.equal(qm.depth(ORDERS), 0);
    await s.close();
  });

  it('an unknown queue is a non-retriable MQRC 2085 error', async () => {
    const { transport } = setup();
    const s = await transport.connect();
    await rejectsWith(s.get('NO.SUCH.Q', NOW), 'BANYAN_ERR_MQ_UNKNOWN_OBJECT', false, 'MQOPEN', 'NO.SUCH.Q', '2085', 'MQRC_UNKNOWN_OBJECT_NAME');
    await s.close();
  });

  it('a GET(DISABLED) queue is a retriable MQRC 2016 error', async () => {
    const { qm, transport } = setup();
    qm.inhibit(ORDERS, { get: true });
    const s = await transport.connect();
    await rejectsWith(s.get(ORDERS, NOW), 'BANYAN_ERR_MQ_INHIBITED', true, '2016', 'MQRC_GET_INHIBITED');
    qm.inhibit(ORDERS, { get: false });
    assert.deepEqual(await s.get(ORDERS, NOW), []);
    await s.close();
  });

  it('convert_text converts MQSTR bodies to text_ccsid and leaves binary ones as they are (MQRC 2110, got once)', async () => {
    const { qm, transport } = setup({}, { convertText: (q) => q === ORDERS });
    const ebcdic = Buffer.from([0xc8, 0x85, 0x93, 0x93, 0x96]); // "Hello" in CCSID 1047
    qm.putMessage(ORDERS, { body: ebcdic, format: 'MQSTR', ccsid: 1047 });
    const packed = Buffer.from([0x00, 0x12, 0x34, 0x5c]);
    qm.putMessage(ORDERS, { body: packed, format: '', ccsid: 1047 });
    const s = await transport.connect();
    const [textMsg, binary] = await s.get(ORDERS, NOW);
    assert.equal(Buffer.from(textMsg.body).toString('utf8'), 'Hello');
    assert.deepEqual([textMsg.bodyKind, textMsg.descriptor.ccsid, textMsg.descriptor.format], ['text', 1208, 'MQSTR   ']);
    assert.ok(Buffer.from(binary.body).equals(packed), 'never converted');
    assert.deepEqual([binary.bodyKind, binary.descriptor.ccsid], ['bytes', 1047]);
    await s.commit();
    assert.equal(qm.depth(ORDERS), 0);
    assert.ok(qm.getOptions.every((o) => (o & C.MQGMO_CONVERT) !== 0));
    await s.close();
  });
});

describe('IBM MQ transport: descriptor and properties', () => {
  it('a put descriptor and properties arrive as they were given', async () => {
    const { transport } = setup();
    const [writer, reader] = [await transport.connect(), await transport.connect()];
    const msgId = Buffer.alloc(24, 7);
    const correlId = Buffer.from('REQ-0001');
    const groupId = Buffer.alloc(24, 3);
    const properties = { orderType: 'rush', lines: 12, urgent: true, checksum: new Uint8Array([1, 2, 3]), note: null, big: 2n ** 20n };
    const put = await writer.put(REPLIES, {
      body: Buffer.from([0xc1, 0xc2]),
      bodyKind: 'text',
      descriptor: {
        msgId,
        correlId,
        groupId,
        msgSeqNumber: 3,
        ccsid: 1047,
        encoding: 785,
        priority: 7,
        persistence: 0,
        expiry: 600,
        msgType: 1,
        replyToQ: 'ORDERS.REPLY',
      },
      properties,
    });
    assert.equal(hex(put.msgId), hex(msgId), 'a given MsgId is kept (no MQPMO_NEW_MSG_ID)');
    await writer.commit();
    const [m] = await reader.get(REPLIES, NOW);
    const d = m.descriptor;
    assert.equal(hex(d.msgId), hex(msgId));
    assert.equal(hex(d.correlId), hex(Buffer.concat([correlId, Buffer.alloc(16)])), 'CorrelId padded to 24 bytes');
    assert.equal(hex(d.groupId!), hex(groupId));
    assert.deepEqual(
      [d.format, d.ccsid, d.encoding, d.priority, d.persistence, d.msgType, d.replyToQ, d.replyToQMgr, d.msgSeqNumber, d.backoutCount],
      ['MQSTR   ', 1047, 785, 7, 0, 1, 'ORDERS.REPLY', 'QM1', 3, 0],
    );
    assert.ok(d.expiry > 0 && d.expiry <= 600, `expiry left ${d.expiry}`);
    assert.deepEqual([d.userIdentifier, d.putApplName], ['app', 'banyan-test'], 'context set by the queue manager');
    assert.ok(d.putTime instanceof Date);
    assert.equal(m.bodyKind, 'text');
    assert.deepEqual(m.properties, { ...properties, big: 2 ** 20 });
    await Promise.all([writer.close(), reader.close()]);
  });

  it('defaults of a put: new MsgId, persistent, no expiry, MQFMT_NONE for bytes, text_ccsid for text', async () => {
    const { qm, transport } = setup({ text_ccsid: 1047 });
    const s = await transport.connect();
    await s.put(REPLIES, { body: new Uint8Array([1]), bodyKind: 'bytes' });
    await s.put(REPLIES, { body: new Uint8Array([0xc1]), bodyKind: 'text' });
    await s.commit();
    const [bytes, textMsg] = qm.visible(REPLIES).map((m) => m.md);
    assert.ok(bytes.MsgId.toString('latin1').startsWith('AMQ QM1'), 'queue-manager generated MsgId');
    assert.deepEqual([bytes.Format, bytes.Persistence, bytes.Expiry, bytes.MsgType, bytes.CodedCharSetId], ['', 1, -1, 8, 819]);
    assert.deepEqual([textMsg.Format, textMsg.CodedCharSetId], ['MQSTR', 1047]);
    await s.close();
  });

  it('properties another application set come typed: INT64 as bigint, FLOAT64, long byte strings', async () => {
    const { qm, transport } = setup();
    const blob = Buffer.alloc(10_000, 0xab); // longer than the first InqMp buffer: MQRC 2469, read again
    qm.putMessage(ORDERS, {
      body: 'x',
      properties: { accountId: 9_007_199_254_740_993n, rate: 0.125, blob, flag: false, name: 'Zoë', none: null, count: -5 },
      putAt: new Date('2024-02-29T23:59:58.120Z'),
      correlId: Buffer.from('abc'),
    });
    const s = await transport.connect();
    const [m] = await s.get(ORDERS, NOW);
    assert.deepEqual(m.properties, { accountId: 9_007_199_254_740_993n, rate: 0.125, blob: new Uint8Array(blob), flag: false, name: 'Zoë', none: null, count: -5 });
    assert.equal(m.descriptor.putTime?.toISOString(), '2024-02-29T23:59:58.120Z', 'PutDate/PutTime are GMT, hundredths');
    assert.equal(m.descriptor.groupId, undefined, 'MQGI_NONE is no group');
    assert.deepEqual([m.descriptor.userIdentifier, m.descriptor.putApplName], ['legacy', 'LEGACYAPP']);
    await s.close();
  });

  it('a property the driver would change (a fraction, a 64-bit number) is refused and nothing is put', async () => {
    const { qm, transport } = setup();
    const s = await transport.connect();
    await rejectsWith(s.put(REPLIES, { body: text('x'), bodyKind: 'text', properties: { rate: 2.5 } }), 'BANYAN_ERR_MQ_PROPERTY_UNSUPPORTED', false, 'rate', 'INT32');
    await rejectsWith(s.put(REPLIES, { body: text('x'), bodyKind: 'text', properties: { id: 2n ** 40n } }), 'BANYAN_ERR_MQ_PROPERTY_UNSUPPORTED', false, 'id');
    await rejectsWith(s.put(REPLIES, { body: text('x'), bodyKind: 'text', descriptor: { correlId: new Uint8Array(25) } }), 'BANYAN_ERR_MQ_DESCRIPTOR_INVALID', false, 'correlId', '25');
    assert.equal(qm.depth(REPLIES), 0);
    await s.close();
  });

  it('attributes are the queue BOTHRESH and BOQNAME (blank: none)', async () => {
    const { transport } = setup();
    const s = await transport.connect();
    assert.deepEqual(await s.attributes(ORDERS), { backoutThreshold: 3, backoutQueue: 'ORDERS.BACKOUT' });
    assert.deepEqual(await s.attributes(AUDIT), { backoutThreshold: 0, backoutQueue: '' });
    await s.get(ORDERS, NOW); // the input handle (opened with MQOO_INQUIRE) serves as well
    assert.deepEqual(await s.attributes(ORDERS), { backoutThreshold: 3, backoutQueue: 'ORDERS.BACKOUT' });
    await s.close();
  });
});

describe('IBM MQ transport: connecting', () => {
  it('a broken connection (MQRC 2009) is retriable; connects fail retriably while the queue manager is away; a new session works after', async () => {
    const { qm, transport } = setup();
    qm.putMessage(ORDERS, { body: 'survivor' });
    const s = await transport.connect();
    assert.equal((await s.get(ORDERS, NOW)).length, 1);
    qm.goAway();
    await rejectsWith(s.commit(), 'BANYAN_ERR_MQ_CONNECTION_LOST', true, 'MQCMIT', 'QM1', '2009', 'MQRC_CONNECTION_BROKEN');
    await rejectsWith(transport.connect(), 'BANYAN_ERR_MQ_QMGR_UNAVAILABLE', true, 'MQCONNX', '2059', 'MQRC_Q_MGR_NOT_AVAILABLE');
    await s.close(); // a broken session closes without throwing
    qm.comeBack();
    const again = await transport.connect();
    const [m] = await again.get(ORDERS, NOW);
    assert.deepEqual([Buffer.from(m.body).toString(), m.descriptor.backoutCount], ['survivor', 1], 'backed out by the queue manager');
    await again.commit();
    assert.equal(qm.depth(ORDERS), 0);
    await again.close();
  });

  it('connect options: client binding, channel, connection, TLS, user/password, reconnect, ApplName', async () => {
    const qm = defaultQueueManager();
    const { transport } = setup(
      { user: 'app', password: 'passw0rd', reconnect: 'queue_manager', tls: { cipher_spec: 'ANY_TLS12_OR_HIGHER', key_repository: '/var/mqm/ssl/key', peer_name: 'CN=QM1' } },
      {},
      qm,
    );
    await (await transport.connect()).close();
    const cno = qm.connects[0];
    assert.equal(cno.Options, C.MQCNO_CLIENT_BINDING | C.MQCNO_RECONNECT_Q_MGR);
    assert.deepEqual(
      [cno.ClientConn?.ChannelName, cno.ClientConn?.ConnectionName, cno.ClientConn?.SSLCipherSpec, cno.ClientConn?.SSLPeerName],
      ['DEV.APP.SVRCONN', 'mq.example(1414)', 'ANY_TLS12_OR_HIGHER', 'CN=QM1'],
    );
    assert.equal(cno.SSLConfig?.KeyRepository, '/var/mqm/ssl/key');
    assert.deepEqual([cno.SecurityParms?.UserId, cno.SecurityParms?.Password, cno.ApplName, cno.CCDTUrl], ['app', 'passw0rd', 'banyan-test', null]);
  });

  it('a CCDT replaces the channel definition; the default reconnect is disabled', async () => {
    const qm = defaultQueueManager();
    const { transport } = setup({ channel: undefined, connection: undefined, ccdt_url: 'file:///etc/mq/ccdt.json' }, {}, qm);
    await (await transport.connect()).close();
    const cno = qm.connects[0];
    assert.deepEqual([cno.CCDTUrl, cno.ClientConn, cno.SecurityParms, cno.Options], ['file:///etc/mq/ccdt.json', null, null, C.MQCNO_CLIENT_BINDING | C.MQCNO_RECONNECT_DISABLED]);
  });

  it('a wrong password is a non-retriable MQRC 2035 error', async () => {
    const qm = new FakeQueueManager({ users: { app: 'right' } }).defineQueue({ name: ORDERS });
    const { transport } = setup({ user: 'app', password: 'wrong' }, {}, qm);
    await rejectsWith(transport.connect(), 'BANYAN_ERR_MQ_NOT_AUTHORIZED', false, '2035', 'MQRC_NOT_AUTHORIZED');
  });

  it('a driver that cannot be loaded is a non-retriable error saying how to install it, remembered', async () => {
    let loads = 0;
    const { transport } = setup({}, { load: async () => (loads++, Promise.reject(new Error("Cannot find package 'ibmmq'"))) });
    const err = await rejectsWith(transport.connect(), 'BANYAN_ERR_MQ_DRIVER_MISSING', false, "Cannot find package 'ibmmq'", 'redistributable', 'libmqm_r', 'MQIJS_NOREDIST', 'MQIJS_PREFER_INSTALLED_LIBRARY');
    assert.ok(err.cause instanceof Error);
    await rejectsWith(transport.connect(), 'BANYAN_ERR_MQ_DRIVER_MISSING', false);
    assert.equal(loads, 1);
  });

  it('the real ibmmq package on a machine without the MQ C client gives the same install-hint error', async () => {
    const parsed = ibmMqConnectionSchema.parse({ queue_manager: 'QM1', channel: 'DEV.APP.SVRCONN', connection: 'localhost(1414)' });
    const silenced = console.error;
    console.error = () => {}; // the package prints its own "Cannot find MQ C library" lines
    try {
      await rejectsWith(createMqTransport(parsed).connect(), 'BANYAN_ERR_MQ_DRIVER_MISSING', false, 'libmqm_r');
    } finally {
      console.error = silenced;
    }
  });
});


/**
 * Config specs of IBM MQ (`source: { ibm_mq: ... }` in bridges/*.yaml): the connection a session
 * opens (mq-transport.ts: MQCNO with MQCD, MQSCO, MQCSP or a CCDT) and the queues a source reads.
 * `banyan validate` checks bridge files against the same schema the transport is built from.
 */
import { z } from 'zod';
import { boolean, intBetween, nonEmpty, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';
import { queueSourceOptionsShape } from './queue-options.ts';

// IBM MQ object names: at most 48 characters (queue manager, queue) or 20 (channel) from
// A-Z a-z 0-9 . / _ % (IBM MQ docs, "Rules for naming IBM MQ objects").
const mqName = (max: number) => z.string().regex(/^[A-Za-z0-9./_%]+$/, 'not a valid IBM MQ name').max(max);

/** TLS on the client channel: MQCD SSLCipherSpec / SSLPeerName / CertificateLabel, MQSCO KeyRepository. */
export const ibmMqTlsSchema = z.strictObject({
  /** CipherSpec name as on the SVRCONN channel's SSLCIPH (e.g. `TLS_AES_128_GCM_SHA256`, `ANY_TLS12_OR_HIGHER`). */
  cipher_spec: nonEmpty,
  /** Key repository stem without extension (`/var/mqm/ssl/key` for key.kdb + key.sth); MQSSLKEYR otherwise. */
  key_repository: nonEmpty.optional(),
  /** Distinguished-name pattern the queue manager's certificate must match (e.g. `CN=QM1,O=Example`). */
  peer_name: nonEmpty.optional(),
  /** Client certificate label in the key repository (default `ibmwebspheremq<user>`). */
  certificate_label: nonEmpty.optional(),
});

/** What reconnect the MQ client itself does (MQCNO_RECONNECT_*); Banyan reconnects on top of it, never giving up. */
export const ibmMqReconnectSchema = z.enum(['disabled', 'queue_manager', 'any', 'as_defined']);

const connectionFields = {
  queue_manager: mqName(48),
  /** SVRCONN channel; not needed with `ccdt_url` (the CCDT names it). */
  channel: mqName(20).optional(),
  /** CONNAME syntax: `host(port)`, comma-separated for multi-instance queue managers. */
  connection: z.string().regex(/^[^\s(),]+\(\d{1,5}\)(,[^\s(),]+\(\d{1,5}\))*$/, 'expected host(port)[,host(port)...]').optional(),
  /** Client channel definition table: `file:///path/ccdt.json` or an http(s) URL (MQCNO CCDTUrl). */
  ccdt_url: z.string().regex(/^(file|https?):\/\/\S+$/, 'expected a file://, http:// or https:// URL').optional(),
  user: nonEmpty.optional(),
  password: secret(z.string()).optional(),
  /** Kept from the first spec: the same as `tls.cipher_spec`. */
  cipher_spec: nonEmpty.optional(),
  tls: ibmMqTlsSchema.optional(),
  /**
   * `disabled` (default): a broken connection surfaces as MQRC 2009 and the bridge opens a new
   * session; the client's own reconnect backs in-flight units of work out behind the bridge's back
   * (MQCMIT then fails with 2003) and was reported unreliable from Node (mq-mqi-nodejs#187).
   */
  reconnect: ibmMqReconnectSchema.default('disabled'),
  /** CCSID of text (MQFMT_STRING) bodies put without one, and asked for with `convert_text`. 1208 = UTF-8, 1047/37 = EBCDIC. */
  text_ccsid: intBetween(1, 65535).default(1208),
  /** MQGMO_CONVERT for gets: the queue manager converts MQSTR bodies to `text_ccsid`. Off by default: binary (copybook) payloads must never be converted. */
  convert_text: boolean.default(false),
  /** MQCNO ApplName: what DISPLAY CONN shows (at most 28 characters). */
  app_name: z.string().min(1).max(28).default('banyan'),
  /** Longest pause between empty polls while a get waits (see mq-transport.ts for why gets poll). */
  poll_interval_ms: intBetween(1, 10_000).default(200),
};

const queueEntry = z.union([
  mqName(48),
  z.strictObject({
    name: mqName(48),
    /** Overrides the connection's `convert_text` for this queue (a text queue next to copybook ones). */
    convert_text: boolean.optional(),
  }),
]);

export const ibmMqConnectionSchema = z.strictObject(connectionFields).superRefine(checkConnection);

export const ibmMqSourceSchema = z
  .strictObject({
    ...connectionFields,
    /** One queue (the first spec's key) ... */
    queue: mqName(48).optional(),
    /** ... or several, read by one bridge (each get and commit on the bridge's one connection). */
    queues: z.array(queueEntry).min(1).optional(),
    /** At most this many messages per batch (one unit of work); default the bridge's `batch.max_records`. */
    batch_size: positiveInt.optional(),
    /** How long a get waits for a first message before the bridge polls again. */
    wait_interval_ms: positiveInt.optional(),
    ...queueSourceOptionsShape,
  })
  .superRefine((v, ctx) => {
    checkConnection(v, ctx);
    if (v.queue === undefined && v.queues === undefined) ctx.addIssue({ code: 'custom', path: ['queue'], message: 'name the queue to read: `queue` or `queues`' });
    if (v.queue !== undefined && v.queues !== undefined) ctx.addIssue({ code: 'custom', path: ['queues'], message: 'give either `queue` or `queues`, not both' });
  });

/** `sink: { ibm_mq: ... }`: Kafka -> MQ, a batch put and committed in one unit of work (queue-sink.ts). */
export const ibmMqSinkSchema = z
  .strictObject({
    ...connectionFields,
    /** Where records go (replies go to their request's ReplyToQ instead, in `reply` mode). */
    queue: mqName(48),
    /**
     * `copybook`: the mapping encodes each event into its record (binary, the mapping's code page);
     * `text`: the event value as text in `text_ccsid` (e.g. 1047), put as MQSTR; `bytes`: as is.
     */
    payload: z.enum(['copybook', 'text', 'bytes']).default('copybook'),
    /**
     * `put`: to `queue`; `reply`: each event is a new service's reply to a legacy request; `request`:
     * each event is a new service's request to the legacy server reading `queue`, its reply expected
     * on `reply_to_queue` (docs/queue-headers.md, "Request/reply").
     */
    mode: z.enum(['put', 'reply', 'request']).default('put'),
    /** `request` mode: where the legacy server puts its replies (read by a bridge with `restore_correlation_id`). */
    reply_to_queue: mqName(48).optional(),
    reply_to_queue_manager: mqName(48).optional(),
    /** MQMD defaults for every put; an event's mq-* headers win. */
    persistent: boolean.default(true),
    priority: intBetween(0, 9).optional(),
    /** Tenths of a second; absent: unlimited. */
    expiry: positiveInt.optional(),
    /** With `delivery: exactly_once`: the queue keeping the last written Kafka position in each batch's unit of work (DEFSOPT(EXCL)). */
    state_queue: mqName(48).optional(),
  })
  .superRefine((v, ctx) => {
    checkConnection(v, ctx);
    if (v.mode === 'request' && v.reply_to_queue === undefined) ctx.addIssue({ code: 'custom', path: ['reply_to_queue'], message: 'request mode needs `reply_to_queue`: where the legacy server puts its replies' });
  });

export type IbmMqSinkConfig = z.output<typeof ibmMqSinkSchema>;

export type IbmMqConnectionConfig = z.output<typeof ibmMqConnectionSchema>;
export type IbmMqSourceConfig = z.output<typeof ibmMqSourceSchema>;

export interface IbmMqQueue {
  readonly name: string;
  readonly convertText: boolean;
}

/** The queues a source reads, each with its effective `convert_text`. */
export function sourceQueues(config: IbmMqSourceConfig): IbmMqQueue[] {
  const entries = config.queues ?? (config.queue === undefined ? [] : [config.queue]);
  return entries.map((e) =>
    typeof e === 'string' ? { name: e, convertText: config.convert_text } : { name: e.name, convertText: e.convert_text ?? config.convert_text },
  );
}

function checkConnection(v: { channel?: string; ccdt_url?: string; cipher_spec?: string; tls?: { cipher_spec: string } }, ctx: z.RefinementCtx): void {
  if (v.channel === undefined && v.ccdt_url === undefined) ctx.addIssue({ code: 'custom', path: ['channel'], message: 'name the SVRCONN `channel` or give a `ccdt_url`' });
  if (v.cipher_spec !== undefined && v.tls !== undefined && v.cipher_spec !== v.tls.cipher_spec) {
    ctx.addIssue({ code: 'custom', path: ['cipher_spec'], message: '`cipher_spec` and `tls.cipher_spec` differ; keep one' });
  }
}

/**
 * MQMD <-> the port's MessageDescriptor, as pure functions (IBM MQ docs, "MQMD - Message
 * descriptor"). MsgId, CorrelId and GroupId are 24 bytes (MQBYTE24), copied out of the driver's
 * buffers (they are reused per call). PutDate `YYYYMMDD` and PutTime `HHMMSSTH` are GMT, TH the
 * hundredths. Strings come back trimmed from the driver; Format is padded back to MQ's 8
 * characters (`MQSTR   `), as the port documents it.
 */
import type { MessageDescriptor, OutgoingMessage } from '../../core/queue-port.ts';
import { MqErrors } from './errors.ts';
import type { MqiApi, MqiMd } from './mqi-api.ts';

export const ID_LENGTH = 24;
const FORMAT_LENGTH = 8;

/** The descriptor of a message just got (the driver filled `md`). */
export function descriptorFromMd(md: MqiMd): MessageDescriptor {
  const groupId = copyId(md.GroupId);
  return {
    msgId: copyId(md.MsgId),
    correlId: copyId(md.CorrelId),
    ...(isNone(groupId) ? {} : { groupId }),
    format: (md.Format ?? '').trimEnd().padEnd(FORMAT_LENGTH, ' '),
    ccsid: md.CodedCharSetId,
    encoding: md.Encoding,
    priority: md.Priority,
    persistence: md.Persistence,
    expiry: md.Expiry,
    msgType: md.MsgType,
    replyToQ: trim(md.ReplyToQ),
    replyToQMgr: trim(md.ReplyToQMgr),
    userIdentifier: trim(md.UserIdentifier),
    putApplName: trim(md.PutApplName),
    ...optionalPutTime(md.PutDate, md.PutTime),
    msgSeqNumber: md.MsgSeqNumber,
    backoutCount: md.BackoutCount,
  };
}

/** Defaults of a put without them (the port: new MsgId, persistent, no expiry). */
export interface PutDefaults {
  /** CCSID of a text body put without one (config `text_ccsid`). */
  readonly textCcsid: number;
}

/**
 * Fills a fresh MQMD for a put. Context fields (UserIdentifier, PutApplName, PutDate/Time) are the
 * queue manager's (MQPMO default context) and BackoutCount is always 0 on a new message, so those
 * descriptor fields are not put. Returns whether the MsgId was given (else MQPMO_NEW_MSG_ID).
 */
export function fillMdForPut(mq: MqiApi, md: MqiMd, message: OutgoingMessage, defaults: PutDefaults): { readonly msgIdGiven: boolean } {
  const C = mq.MQC;
  const d = message.descriptor ?? {};
  const text = message.bodyKind === 'text';
  md.Format = d.format !== undefined ? formatField(d.format) : text ? mq.MQC.MQFMT_STRING : mq.MQC.MQFMT_NONE;
  md.CodedCharSetId = d.ccsid ?? (text ? defaults.textCcsid : C.MQCCSI_Q_MGR);
  md.Encoding = d.encoding ?? C.MQENC_NATIVE;
  md.Priority = d.priority ?? C.MQPRI_PRIORITY_AS_Q_DEF;
  md.Persistence = d.persistence ?? C.MQPER_PERSISTENT;
  md.Expiry = d.expiry ?? C.MQEI_UNLIMITED;
  md.MsgType = d.msgType ?? C.MQMT_DATAGRAM;
  if (d.replyToQ !== undefined) md.ReplyToQ = field('replyToQ', d.replyToQ, 48);
  if (d.replyToQMgr !== undefined) md.ReplyToQMgr = field('replyToQMgr', d.replyToQMgr, 48);
  if (d.correlId !== undefined) md.CorrelId = idField('correlId', d.correlId);
  if (d.groupId !== undefined && !isNone(d.groupId)) {
    // GroupId and MsgSeqNumber count only for a message in a group (MQMF_MSG_IN_GROUP).
    md.GroupId = idField('groupId', d.groupId);
    md.MsgSeqNumber = d.msgSeqNumber ?? 1;
    md.MsgFlags = C.MQMF_MSG_IN_GROUP;
  }
  const msgIdGiven = d.msgId !== undefined && !isNone(d.msgId);
  if (msgIdGiven) md.MsgId = idField('msgId', d.msgId!);
  return { msgIdGiven };
}

/** PutDate `YYYYMMDD` + PutTime `HHMMSSTH` (GMT) -> Date; undefined when blank or malformed. */
export function putTimeOf(putDate: string | null, putTime: string | null): Date | undefined {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec((putDate ?? '').trim());
  const t = /^(\d{2})(\d{2})(\d{2})(\d{2})$/.exec((putTime ?? '').trim());
  if (!d || !t) return undefined;
  const ms = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2], +t[3], +t[4] * 10);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function optionalPutTime(putDate: string | null, putTime: string | null): { putTime?: Date } {
  const at = putTimeOf(putDate, putTime);
  return at ? { putTime: at } : {};
}

function copyId(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(ID_LENGTH);
  out.set(b.subarray(0, ID_LENGTH));
  return out;
}

/** MQMI_NONE / MQCI_NONE / MQGI_NONE: 24 zero bytes (or nothing given). */
export function isNone(id: Uint8Array): boolean {
  return id.every((b) => b === 0);
}

function idField(name: string, id: Uint8Array): Buffer {
  if (id.length > ID_LENGTH) throw new MqErrors.BANYAN_ERR_MQ_DESCRIPTOR_INVALID(name, `${id.length} bytes; an MQ id holds at most ${ID_LENGTH}`);
  const out = Buffer.alloc(ID_LENGTH); // shorter ids are padded with zero bytes, as MQ compares all 24
  out.set(id);
  return out;
}

function formatField(format: string): string {
  const f = format.trimEnd();
  if (f.length > FORMAT_LENGTH) throw new MqErrors.BANYAN_ERR_MQ_DESCRIPTOR_INVALID('format', `"${format}" is longer than ${FORMAT_LENGTH} characters`);
  return f;
}

function field(name: string, value: string, max: number): string {
  const v = value.trim();
  if (v.length > max) throw new MqErrors.BANYAN_ERR_MQ_DESCRIPTOR_INVALID(name, `"${value}" is longer than ${max} characters`);
  return v;
}

function trim(s: string | null): string {
  return (s ?? '').trim();
}

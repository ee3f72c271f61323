/**
 * What a queue bridge needs from a messaging transport (issue 13), as one small port with two
 * implementations: IBM MQ through the `ibmmq` driver (src/connectors/ibm-mq) and AMQP 1.0 through
 * rhea (src/connectors/amqp, tested against ActiveMQ Artemis). The MQ source and sink are written
 * once against it.
 *
 * The vocabulary is MQ's: a session is one connection and one unit of work at a time (MQCMIT
 * commits everything in flight on its connection, mq-mqi-nodejs#52), gets and puts happen under
 * syncpoint, `commit` makes them final, `backout` undoes them and raises each got message's
 * backout count. On AMQP: a get is an unsettled delivery, commit accepts (and sends the puts,
 * waiting for their dispositions), backout settles each as `modified` with delivery-failed, which
 * raises the broker's delivery-count.
 */

/** MQMD fields, as a bridge carries them to Kafka headers and back (IBM MQ docs, "MQMD - Message descriptor"). */
export interface MessageDescriptor {
  /** 24 bytes (MQ), or on AMQP the message-id as JMS knows it (JMSMessageID text, e.g. `ID:AMQP_UUID:...`) in UTF-8: src/connectors/amqp/jms-message-id.ts. */
  readonly msgId: Uint8Array;
  readonly correlId: Uint8Array;
  readonly groupId?: Uint8Array;
  /** MQFMT_* (8 characters, e.g. `MQSTR   `); AMQP: `MQSTR   ` for a string body, 8 blanks otherwise. */
  readonly format: string;
  readonly ccsid: number;
  readonly encoding: number;
  readonly priority: number;
  /** MQPER_PERSISTENT = 1, NOT_PERSISTENT = 0. */
  readonly persistence: number;
  /** Tenths of a second left; -1 = unlimited (MQEI_UNLIMITED). */
  readonly expiry: number;
  /** MQMT_REQUEST 1, REPLY 2, REPORT 4, DATAGRAM 8. */
  readonly msgType: number;
  readonly replyToQ: string;
  readonly replyToQMgr: string;
  readonly userIdentifier: string;
  readonly putApplName: string;
  /** When it was put (UTC), from PutDate/PutTime or AMQP creation-time. */
  readonly putTime?: Date;
  readonly msgSeqNumber: number;
  /** Gets backed out so far (MQ BackoutCount; AMQP delivery-count). */
  readonly backoutCount: number;
}

/** Message property values (MQ message handle properties / RFH2 `usr` folder, AMQP application-properties). */
export type MessagePropertyValue = string | number | bigint | boolean | Uint8Array | null;

/** A message as got from a queue, whichever transport. */
export interface QueueMessage {
  readonly body: Uint8Array;
  /** `text`: MQFMT_STRING / AMQP string body / JMS TextMessage; `bytes` otherwise (never converted). */
  readonly bodyKind: 'text' | 'bytes';
  readonly descriptor: MessageDescriptor;
  readonly properties: Readonly<Record<string, MessagePropertyValue>>;
  /** The queue it was got from (a bridge may read several). */
  readonly queue: string;
}

/** A message to put: descriptor fields left out take the transport's defaults (new MsgId, persistent, no expiry). */
export interface OutgoingMessage {
  readonly body: Uint8Array;
  readonly bodyKind: 'text' | 'bytes';
  readonly descriptor?: Partial<MessageDescriptor>;
  readonly properties?: Readonly<Record<string, MessagePropertyValue>>;
}

/** The queue attributes a bridge reads for poison messages (MQIA_BACKOUT_THRESHOLD, MQCA_BACKOUT_REQ_Q_NAME). */
export interface QueueAttributes {
  /** 0: no threshold set. */
  readonly backoutThreshold: number;
  /** Blank: none (the bridge then uses the queue manager's dead-letter queue with an MQDLH). */
  readonly backoutQueue: string;
}

/** One connection, one unit of work at a time. */
export interface QueueSession {
  /**
   * Gets up to `max` messages from `queue` under syncpoint, waiting up to `waitMs` for the first
   * and not at all for the rest. Resolves [] when none arrived. Errors: QueueTransportError.
   */
  get(queue: string, options: { readonly max: number; readonly waitMs: number; readonly signal?: AbortSignal }): Promise<QueueMessage[]>;
  /** Puts under syncpoint; resolves with the MsgId given to it. Not visible to others before commit(). */
  put(queue: string, message: OutgoingMessage): Promise<{ readonly msgId: Uint8Array }>;
  /** Makes every get and put since the last commit/backout final. */
  commit(): Promise<void>;
  /** Undoes them: got messages return to their queues with backoutCount + 1; puts vanish. */
  backout(): Promise<void>;
  attributes(queue: string): Promise<QueueAttributes>;
  /** Backs out what is in flight and disconnects. */
  close(): Promise<void>;
}

export interface QueueTransport {
  /** Names the transport in logs and headers (`ibm_mq`, `amqp`). */
  readonly kind: string;
  /** Opens a session; retriable errors (2009 CONNECTION_BROKEN, 2059 Q_MGR_NOT_AVAILABLE, a refused socket) are marked so. */
  connect(): Promise<QueueSession>;
}

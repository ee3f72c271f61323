/**
 * Two decisions of the endpoint, pure (the endpoint acts on them):
 *
 * decideOutcome: what a consumer's disposition means for the JMS engine (AMQP 1.0 §3.4; OASIS AMQP
 * JMS Mapping §2.4; Qpid JMS's JmsMessageSupport ACK_TYPE): accepted = consumed; released = not
 * delivered (the delivery count stays, AMQP 1.0 §3.4.4); modified{delivery-failed} = a failed
 * delivery (recover, rollback, a closed consumer): redelivered with the count raised, which gives
 * JMSRedelivered; modified{undeliverable-here} = Qpid JMS's redelivery policy gave up (poison);
 * rejected = the client refused it: both go to the dead-letter topic, like Artemis's DLA.
 *
 * decideOpen: a connection's JMS clientID and whether it may have it. Qpid JMS puts the clientID in
 * the open's container-id and asks for `sole-connection-for-container` only when the application
 * set one; a second connection with the same clientID is refused with amqp:invalid-field
 * {invalid-field: container-id} (Qpid JMS: InvalidClientIDException), after an open carrying
 * `amqp:connection-establishment-failed` so the client reads the close as the reason.
 */

export type DispositionState =
  | { readonly outcome: 'accepted' }
  | { readonly outcome: 'released' }
  | { readonly outcome: 'rejected'; readonly error?: { readonly condition?: string; readonly description?: string } }
  | { readonly outcome: 'modified'; readonly deliveryFailed?: boolean; readonly undeliverableHere?: boolean };

export type OutcomeAction =
  | { readonly kind: 'acknowledge' }
  | { readonly kind: 'redeliver'; readonly counted: boolean }
  | { readonly kind: 'dead-letter'; readonly reason: string };

export function decideOutcome(state: DispositionState): OutcomeAction {
  switch (state.outcome) {
    case 'accepted':
      return { kind: 'acknowledge' };
    case 'released':
      return { kind: 'redeliver', counted: false };
    case 'rejected': {
      const why = [state.error?.condition, state.error?.description].filter(Boolean).join(': ');
      return { kind: 'dead-letter', reason: `rejected by the client${why ? ` (${why})` : ''}` };
    }
    case 'modified':
      if (state.undeliverableHere) return { kind: 'dead-letter', reason: 'undeliverable-here: the client gave up redelivering it' };
      return { kind: 'redeliver', counted: state.deliveryFailed === true };
  }
}

/** What the endpoint offers in its open (Qpid JMS AmqpSupport). */
export const OFFERED_CAPABILITIES = ['sole-connection-for-container', 'DELAYED_DELIVERY', 'ANONYMOUS-RELAY', 'SHARED-SUBS'] as const;
export const SOLE_CONNECTION = 'sole-connection-for-container';
/** Qpid JMS's generated container-id: "ID:" + a UUID + ":" + a counter. */
const GENERATED_CONTAINER_ID = /^ID:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\d+$/i;

export interface OpenRequest {
  readonly containerId: string;
  readonly desiredCapabilities: readonly string[];
}

export type OpenDecision =
  | { readonly kind: 'accept'; readonly clientId: string | undefined }
  | { readonly kind: 'refuse'; readonly condition: string; readonly description: string; readonly info: Readonly<Record<string, string>> };

/**
 * `inUse`: container-ids of the endpoint's open connections. Qpid JMS asks for sole-connection on
 * every connection; without an application clientID its container-id is generated
 * (`ID:<uuid>:<n>`, JmsConnectionFactory's clientIDPrefix "ID:"): never a clash, and no clientID.
 */
export function decideOpen(request: OpenRequest, inUse: ReadonlySet<string>): OpenDecision {
  if (!request.desiredCapabilities.includes(SOLE_CONNECTION)) return { kind: 'accept', clientId: undefined };
  if (GENERATED_CONTAINER_ID.test(request.containerId)) return { kind: 'accept', clientId: undefined };
  if (inUse.has(request.containerId)) {
    return {
      kind: 'refuse',
      condition: 'amqp:invalid-field',
      description: `clientID ${request.containerId} is already in use by another connection`,
      info: { 'invalid-field': 'container-id' },
    };
  }
  return { kind: 'accept', clientId: request.containerId };
}

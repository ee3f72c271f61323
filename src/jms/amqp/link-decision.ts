/**
 * What a JMS client's link attach asks for, decided from the attach alone (pure; the endpoint acts).
 * Qpid JMS's conventions (qpid-jms-client provider/amqp: AmqpConsumerBuilder, AmqpProducerBuilder,
 * AmqpTemporaryDestinationBuilder, AmqpSubscriptionTracker, AmqpTransactionCoordinatorBuilder):
 *
 * - Destination type: source/target capability `queue`, `topic`, `temporary-queue`, `temporary-topic`
 *   (a link without one is a queue, as Artemis and Qpid Broker-J treat it).
 * - Producer (client sender = our receiver): target address, or a null target for the anonymous
 *   producer (each message names its destination in `to`, ANONYMOUS-RELAY).
 * - Consumer (client receiver = our sender): source address; the `jms-selector` and `no-local`
 *   filters; a topic subscription is durable when the source's durable is unsettled-state (2) and
 *   its expiry-policy never; shared with capability `shared` (`global` without a clientID).
 *   Subscription names are link names: `name`, `name|global`, `name|2`, `name|volatile1`, ...
 * - A receiver attach with a null source and a link name is the unsubscribe look-up.
 * - Temporary destinations: a dynamic target (sender) or source (receiver) with the capability.
 * - The transaction coordinator: a target of type coordinator (rhea-patches' Coordinator).
 */
import type { DestinationKind } from '../destination.ts';

/** The parts of an attach frame the decision reads (rhea terminus objects). */
export interface AttachView {
  /** Link name. */
  readonly name: string;
  /** Our role: 'receiver' when the client sends (a producer), 'sender' when it receives (a consumer). */
  readonly role: 'receiver' | 'sender';
  readonly source?: TerminusView | null;
  readonly target?: TerminusView | null;
  /** The target was a coordinator terminus. */
  readonly coordinator?: boolean;
}

export interface TerminusView {
  readonly address?: string | null;
  readonly durable?: number;
  readonly expiry_policy?: string;
  readonly dynamic?: boolean;
  readonly capabilities?: readonly string[] | string | null;
  readonly filter?: Readonly<Record<string, unknown>> | null;
}

export type LinkPlan =
  | { readonly kind: 'coordinator' }
  | { readonly kind: 'producer'; readonly destination: { readonly kind: DestinationKind; readonly name: string } | null }
  | { readonly kind: 'temporary'; readonly role: 'receiver' | 'sender'; readonly destinationKind: 'temporary-queue' | 'temporary-topic' }
  | {
      readonly kind: 'consumer';
      readonly destination: { readonly kind: DestinationKind; readonly name: string };
      readonly selector: string | undefined;
      readonly noLocal: boolean;
      readonly subscription: Subscription;
    }
  | { readonly kind: 'unsubscribe'; readonly name: string; readonly shared: boolean }
  | { readonly kind: 'refuse'; readonly condition: string; readonly description: string };

export type Subscription =
  | { readonly kind: 'none' }
  | { readonly kind: 'durable' | 'shared' | 'shared-durable'; readonly name: string };

/** apache.org:selector-filter:string and apache.org:no-local-filter:list (OASIS AMQP JMS Mapping §5). */
export const SELECTOR_FILTER = 'jms-selector';
export const NO_LOCAL_FILTER = 'no-local';
/** AMQP 1.0 §3.5.3 terminus-durability unsettled-state. */
const UNSETTLED_STATE = 2;

export function planLink(attach: AttachView): LinkPlan {
  if (attach.coordinator) return { kind: 'coordinator' };
  if (attach.role === 'receiver') {
    const target = attach.target;
    if (target?.dynamic) return temporary('receiver', target);
    if (!target || !target.address) return { kind: 'producer', destination: null };
    return { kind: 'producer', destination: { kind: destinationKind(target), name: target.address } };
  }
  const source = attach.source;
  if (!source) return { kind: 'unsubscribe', name: subscriptionName(attach.name), shared: hasCapability(source, 'shared') || /\|/.test(attach.name) };
  if (source.dynamic) return temporary('sender', source);
  // Qpid JMS looks a shared durable subscription up (unsubscribe) with a source that has its
  // capabilities but no address (AmqpConsumerBuilder): the same look-up by link name as a null source.
  if (!source.address) return { kind: 'unsubscribe', name: subscriptionName(attach.name), shared: hasCapability(source, 'shared') || /\|/.test(attach.name) };
  const kind = destinationKind(source);
  const selector = selectorOf(source.filter);
  const noLocal = source.filter ? NO_LOCAL_FILTER in source.filter : false;
  const topicLike = kind === 'topic' || kind === 'temporary-topic';
  const durable = source.durable === UNSETTLED_STATE || source.expiry_policy === 'never';
  const shared = hasCapability(source, 'shared');
  let subscription: Subscription = { kind: 'none' };
  if (topicLike && kind === 'topic' && (durable || shared)) {
    subscription = { kind: shared ? (durable ? 'shared-durable' : 'shared') : 'durable', name: subscriptionName(attach.name) };
  }
  return { kind: 'consumer', destination: { kind, name: source.address }, selector, noLocal, subscription };
}

/** The subscription a Qpid JMS link name stands for: `sub`, `sub|global`, `sub|2`, `sub|volatile3`. */
export function subscriptionName(linkName: string): string {
  const bar = linkName.indexOf('|');
  return bar < 0 ? linkName : linkName.slice(0, bar);
}

export function capabilitiesOf(t: TerminusView | null | undefined): string[] {
  const caps = t?.capabilities;
  if (caps === undefined || caps === null) return [];
  return (Array.isArray(caps) ? caps : [caps]).map(String);
}

function hasCapability(t: TerminusView | null | undefined, capability: string): boolean {
  return capabilitiesOf(t).includes(capability);
}

function destinationKind(t: TerminusView): DestinationKind {
  const caps = capabilitiesOf(t);
  for (const kind of ['temporary-queue', 'temporary-topic', 'topic', 'queue'] as const) if (caps.includes(kind)) return kind;
  return 'queue';
}

function temporary(role: 'receiver' | 'sender', t: TerminusView): LinkPlan {
  return { kind: 'temporary', role, destinationKind: hasCapability(t, 'temporary-topic') ? 'temporary-topic' : 'temporary-queue' };
}

/** The selector text of a source's filter set (the described value's string, as rhea unwraps it). */
function selectorOf(filter: TerminusView['filter']): string | undefined {
  const f = filter?.[SELECTOR_FILTER] as { value?: unknown } | string | undefined;
  if (f === undefined || f === null) return undefined;
  const text = typeof f === 'string' ? f : typeof f.value === 'string' ? f.value : undefined;
  return text === undefined || text.trim() === '' ? undefined : text;
}

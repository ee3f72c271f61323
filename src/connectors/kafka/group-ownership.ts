/**
 * One owner per bridge across gateway instances, chosen by Kafka consumer-group membership
 * (DESIGN.md "Scale": no home-made cluster protocol). Every instance that has the bridge joins the
 * group `banyan.bridge.<name>` on a one-partition topic that never holds a record; the member the
 * group assigns partition 0 to owns the bridge. When the owner dies the coordinator expels it after
 * the session timeout and gives the partition to a survivor, which then resumes from the
 * checkpoint. Kafka Connect elects its leader through the same group protocol.
 *
 * The assignor is sticky: each member says in its subscription whether it owns the bridge now, and
 * the group leader keeps the partition with that member. A gateway that joins (a rolling restart,
 * a second instance) therefore never moves a bridge that is running fine; only a dead, expelled or
 * leaving owner hands it on. kafkajs rebalances eagerly and has no revocation callback, so a live
 * owner that loses the partition (it stalled past the session timeout) learns it at its next
 * GROUP_JOIN: for that short overlap two readers may run; in exactly_once mode the new owner's
 * transactional producer fences the old one, in at_least_once the overlap is at most one batch of
 * duplicates, each carrying the same event id.
 */
import { AssignerProtocol, type Admin, type Consumer, type PartitionAssigner } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './client.ts';
import type { TopicAdmin } from './topic-admin.ts';

export const DEFAULT_OWNERSHIP_TOPIC = 'banyan.bridge-owners';

export interface OwnershipOptions {
  readonly kafka: KafkaClient;
  readonly topics: TopicAdmin;
  /** What is owned (a bridge name); the group is `banyan.bridge.<name>`. */
  readonly name: string;
  /** This gateway instance, as other instances and GET /bridges show it. */
  readonly instanceId: string;
  /** Kafka's group session timeout: how long a dead owner keeps the bridge. Broker range: 6-1800 s by default. */
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** The empty one-partition topic the groups subscribe to. */
  readonly topic?: string;
}

export type OwnershipRole = 'joining' | 'owner' | 'standby';

export interface OwnershipState {
  readonly role: OwnershipRole;
  /** Instance id of the current owner when known (this one's when `role` is owner). */
  readonly owner: string | undefined;
  /** When `role` last changed (ms since the epoch). */
  readonly since: number;
}

/** A membership in one bridge's ownership group. */
export interface OwnershipClaim {
  readonly state: OwnershipState;
  /** Called on every change of role or known owner, in order. */
  onChange(listener: (state: OwnershipState) => void): void;
  /** Leaves the group at once (another instance takes over without waiting for the session timeout). */
  close(): Promise<void>;
}

const ASSIGNER_NAME = 'BanyanStickyOwner';

/** Joins the bridge's ownership group; resolves once the consumer runs (its first assignment follows). */
export async function claimOwnership(o: OwnershipOptions): Promise<OwnershipClaim> {
  const topic = o.topic ?? DEFAULT_OWNERSHIP_TOPIC;
  await o.topics.ensureTopics([{ topic, partitions: 1 }]);
  const kafka = kafkajsOf(o.kafka);
  const groupId = `banyan.bridge.${o.name}`;
  const listeners: Array<(s: OwnershipState) => void> = [];
  let state: OwnershipState = { role: 'joining', owner: undefined, since: Date.now() };
  let closed = false;
  const set = (role: OwnershipRole, owner: string | undefined) => {
    if (closed || (role === state.role && owner === state.owner)) return;
    state = { role, owner, since: role === state.role ? state.since : Date.now() };
    for (const l of listeners) l(state);
  };

  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: o.sessionTimeoutMs,
    heartbeatInterval: o.heartbeatIntervalMs,
    rebalanceTimeout: Math.max(o.sessionTimeoutMs, 10_000),
    // The topic is empty: a fetch returns after this wait, and heartbeats go out between fetches.
    maxWaitTimeInMs: Math.min(1000, o.heartbeatIntervalMs),
    allowAutoTopicCreation: false,
    partitionAssigners: [stickyOwnerAssigner(() => ({ instance: o.instanceId, owns: state.role === 'owner' }))],
    // A crashed member has left the group: restart it, always (the bridge must not stay unowned).
    retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 30_000, restartOnFailure: async () => true },
  });
  const admin: Admin = kafka.admin();

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    const owns = (e.payload.memberAssignment[topic] ?? []).includes(0);
    if (owns) set('owner', o.instanceId);
    else {
      set('standby', undefined);
      void describeOwner(admin, groupId, topic).then((owner) => {
        if (state.role === 'standby') set('standby', owner);
      });
    }
  });
  // The member is out of the group until kafkajs restarts it: it must not go on acting as owner.
  consumer.on(consumer.events.CRASH, () => set('joining', undefined));

  await admin.connect();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({ autoCommit: false, eachBatch: async () => {} });

  return {
    get state() {
      return state;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      await consumer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
    },
  };
}

interface OwnerClaim {
  readonly instance: string;
  readonly owns: boolean;
}

/**
 * Gives partition 0 of each subscribed topic to the member that says it owns it (the smallest
 * member id among several claimants, after a split), else to the smallest member id. The userData
 * of a subscription is this instance's claim, as JSON.
 */
export function stickyOwnerAssigner(claim: () => OwnerClaim): PartitionAssigner {
  return () => ({
    name: ASSIGNER_NAME,
    version: 0,
    protocol({ topics }) {
      return {
        name: ASSIGNER_NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.from(JSON.stringify(claim())) }),
      };
    },
    async assign({ members, topics }) {
      const ids = members.map((m) => m.memberId).sort();
      const claimants = members
        .filter((m) => claimOf(m.memberMetadata)?.owns === true)
        .map((m) => m.memberId)
        .sort();
      const owner = chooseOwner(ids, claimants);
      return ids.map((memberId) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: Object.fromEntries(topics.map((t) => [t, memberId === owner ? [0] : []])),
          userData: Buffer.alloc(0),
        }),
      }));
    },
  });
}

/** The decision on its own: keep a current owner, else the first member (ids sorted). */
export function chooseOwner(memberIds: readonly string[], claimants: readonly string[]): string | undefined {
  return claimants.find((c) => memberIds.includes(c)) ?? memberIds[0];
}

function claimOf(metadata: Buffer): OwnerClaim | undefined {
  try {
    const decoded = AssignerProtocol.MemberMetadata.decode(metadata);
    if (!decoded?.userData || decoded.userData.length === 0) return undefined;
    const parsed = JSON.parse(decoded.userData.toString('utf8')) as Partial<OwnerClaim>;
    return typeof parsed.instance === 'string' ? { instance: parsed.instance, owns: parsed.owns === true } : undefined;
  } catch {
    return undefined; // a member of another Banyan version or another client: it claims nothing
  }
}

/** The owning member's instance id, from the group's description (best effort: undefined when unknown). */
async function describeOwner(admin: Admin, groupId: string, topic: string): Promise<string | undefined> {
  try {
    const { groups } = await admin.describeGroups([groupId]);
    for (const m of groups[0]?.members ?? []) {
      const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      if ((assignment?.assignment[topic] ?? []).includes(0)) return claimOf(m.memberMetadata)?.instance;
    }
  } catch {
    // the description is for people reading GET /bridges; the election does not depend on it
  }
  return undefined;
}

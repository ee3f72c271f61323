import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planLink, subscriptionName, type AttachView, type LinkPlan } from '../../../../src/jms/amqp/link-decision.ts';

const selector = { 'jms-selector': { descriptor: 0x0000468c00000004n, value: "colour = 'red'" } };

const table: { name: string; attach: AttachView; plan: LinkPlan }[] = [
  { name: 'a coordinator', attach: { name: 'qpid-jms:coordinator:1', role: 'receiver', coordinator: true }, plan: { kind: 'coordinator' } },
  {
    name: 'a queue producer',
    attach: { name: 'qpid-jms:sender:ID:1:orders', role: 'receiver', target: { address: 'orders', capabilities: ['queue'] } },
    plan: { kind: 'producer', destination: { kind: 'queue', name: 'orders' } },
  },
  {
    name: 'a topic producer (one capability as a bare symbol)',
    attach: { name: 's', role: 'receiver', target: { address: 'prices', capabilities: 'topic' } },
    plan: { kind: 'producer', destination: { kind: 'topic', name: 'prices' } },
  },
  { name: 'the anonymous producer (null target)', attach: { name: 'qpid-jms:sender:ID:1', role: 'receiver', target: null }, plan: { kind: 'producer', destination: null } },
  {
    name: 'a temporary queue creator',
    attach: { name: 'qpid-jms:temp-queue-creator:ID:1', role: 'receiver', target: { dynamic: true, capabilities: ['temporary-queue'] } },
    plan: { kind: 'temporary', role: 'receiver', destinationKind: 'temporary-queue' },
  },
  {
    name: 'a queue consumer with a selector',
    attach: { name: 'qpid-jms:receiver:ID:1:orders', role: 'sender', source: { address: 'orders', capabilities: ['queue'], filter: selector } },
    plan: { kind: 'consumer', destination: { kind: 'queue', name: 'orders' }, selector: "colour = 'red'", noLocal: false, subscription: { kind: 'none' } },
  },
  {
    name: 'a non-durable topic subscriber with no-local',
    attach: { name: 'r', role: 'sender', source: { address: 'prices', capabilities: ['topic'], filter: { 'no-local': 'NoLocalFilter{}' }, expiry_policy: 'link-detach' } },
    plan: { kind: 'consumer', destination: { kind: 'topic', name: 'prices' }, selector: undefined, noLocal: true, subscription: { kind: 'none' } },
  },
  {
    name: 'a durable subscriber (durable unsettled-state, expiry never)',
    attach: { name: 'sub1', role: 'sender', source: { address: 'prices', capabilities: ['topic'], durable: 2, expiry_policy: 'never' } },
    plan: { kind: 'consumer', destination: { kind: 'topic', name: 'prices' }, selector: undefined, noLocal: false, subscription: { kind: 'durable', name: 'sub1' } },
  },
  {
    name: 'a second consumer of a shared durable subscription without clientID',
    attach: { name: 'sub2|global2', role: 'sender', source: { address: 'prices', capabilities: ['topic', 'shared', 'global'], durable: 2, expiry_policy: 'never' } },
    plan: { kind: 'consumer', destination: { kind: 'topic', name: 'prices' }, selector: undefined, noLocal: false, subscription: { kind: 'shared-durable', name: 'sub2' } },
  },
  {
    name: 'a shared non-durable subscriber',
    attach: { name: 'sub3|volatile1', role: 'sender', source: { address: 'prices', capabilities: ['topic', 'shared'], expiry_policy: 'link-detach' } },
    plan: { kind: 'consumer', destination: { kind: 'topic', name: 'prices' }, selector: undefined, noLocal: false, subscription: { kind: 'shared', name: 'sub3' } },
  },
  { name: 'the unsubscribe look-up (null source)', attach: { name: 'sub1', role: 'sender', source: null }, plan: { kind: 'unsubscribe', name: 'sub1', shared: false } },
  { name: 'the unsubscribe look-up of a global shared subscription', attach: { name: 'sub2|global', role: 'sender', source: null }, plan: { kind: 'unsubscribe', name: 'sub2', shared: true } },
  {
    name: 'a temporary topic consumer created by the client (dynamic source)',
    attach: { name: 't', role: 'sender', source: { dynamic: true, capabilities: ['temporary-topic'] } },
    plan: { kind: 'temporary', role: 'sender', destinationKind: 'temporary-topic' },
  },
  {
    name: 'a consumer of a temporary queue by name',
    attach: { name: 'r', role: 'sender', source: { address: 'jms.tmp.1', capabilities: ['temporary-queue'] } },
    plan: { kind: 'consumer', destination: { kind: 'temporary-queue', name: 'jms.tmp.1' }, selector: undefined, noLocal: false, subscription: { kind: 'none' } },
  },
  {
    name: 'a receiver whose source has no address is the subscription look-up by link name (shared durable unsubscribe)',
    attach: { name: 'sub|global', role: 'sender', source: { address: null, capabilities: ['topic', 'shared', 'global'] } },
    plan: { kind: 'unsubscribe', name: 'sub', shared: true },
  },
];

describe('planLink (Qpid JMS link conventions)', () => {
  for (const row of table) it(row.name, () => assert.deepEqual(planLink(row.attach), row.plan));

  it('a blank selector is no selector', () => {
    const plan = planLink({ name: 'r', role: 'sender', source: { address: 'q', filter: { 'jms-selector': { value: '  ' } } } });
    assert.equal(plan.kind === 'consumer' && plan.selector, undefined);
  });
});

describe('subscriptionName', () => {
  for (const [link, name] of [['sub', 'sub'], ['sub|global', 'sub'], ['sub|2', 'sub'], ['sub|volatile3', 'sub'], ['a.b-c|global7', 'a.b-c']]) {
    it(`${link} -> ${name}`, () => assert.equal(subscriptionName(link), name));
  }
});

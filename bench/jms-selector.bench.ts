/**
 * JMS message selectors: evaluations per second of compiled selectors (parseSelector(...).matches)
 * for typical consumer selectors, and parses per second (parse + check + compile, what consumer
 * creation pays once). Two selectors also run as a hand-written JavaScript predicate over the same
 * message objects, the floor a compiled selector can approach.
 *
 * Messages: 1024 SelectorSubjects backed by a Map (as the engine's record mapping gives them), with
 * varied values so roughly half match, evaluated round-robin. Each figure is the best of
 * SELECTOR_BENCH_ROUNDS (3) rounds of SELECTOR_BENCH_SECONDS (1) each; BANYAN_BENCH_QUICK=1 makes
 * it one round of 0.2 s.
 *
 * Writes bench/results/jms-selector.json and .md. Run: npm run bench -- jms-selector
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseSelector, type SelectorSubject, type TypedValue } from '../src/jms/selector/index.ts';
import { benchSize, quickRunNote } from './sizes.ts';

const seconds = benchSize('SELECTOR_BENCH_SECONDS', 1, 0.2);
const rounds = benchSize('SELECTOR_BENCH_ROUNDS', 3, 1);
const resultsDir = new URL('./results/', import.meta.url);

interface SelectorCase {
  readonly name: string;
  readonly selector: string;
  /** The same condition written by hand, for the floor. */
  readonly handWritten?: (m: SelectorSubject) => boolean;
}

const CASES: readonly SelectorCase[] = [
  { name: 'header comparison', selector: 'JMSPriority > 4' },
  {
    name: 'two properties with AND',
    selector: "region = 'EMEA' AND amount > 100",
    handWritten: (m) => {
      const region = m.get('region');
      const amount = m.get('amount');
      return region?.type === 'string' && region.value === 'EMEA' && amount?.type === 'double' && amount.value > 100;
    },
  },
  { name: 'IN list of four', selector: "country IN ('UK', 'US', 'FR', 'DE')" },
  { name: 'LIKE prefix (startsWith)', selector: "JMSType LIKE 'Order%'" },
  { name: 'LIKE with _ (regular expression)', selector: "sku LIKE 'AB_1%'" },
  {
    name: 'BETWEEN and NOT',
    selector: 'quantity BETWEEN 1 AND 10 AND NOT archived',
    handWritten: (m) => {
      const q = m.get('quantity');
      const archived = m.get('archived');
      return q?.type === 'int' && q.value >= 1 && q.value <= 10 && archived?.type === 'boolean' && !archived.value;
    },
  },
  { name: 'int and double arithmetic', selector: 'amount * quantity / 2 > 100' },
  { name: 'long arithmetic beyond 2^53', selector: 'big + quantity > 9007199254740995' },
  { name: 'missing property, OR short-circuit', selector: "missing = 1 OR JMSCorrelationID IS NOT NULL OR region <> 'APAC'" },
];

const REGIONS = ['EMEA', 'APAC', 'AMER'];
const COUNTRIES = ['UK', 'US', 'JP', 'DE', 'BR', 'FR'];
const TYPES = ['OrderCreated', 'OrderShipped', 'Invoice'];

function message(i: number): SelectorSubject {
  const values = new Map<string, TypedValue>([
    ['JMSPriority', { type: 'int', value: i % 10 }],
    ['JMSType', { type: 'string', value: TYPES[i % TYPES.length] }],
    ['JMSDeliveryMode', { type: 'string', value: 'PERSISTENT' }],
    ['region', { type: 'string', value: REGIONS[i % REGIONS.length] }],
    ['country', { type: 'string', value: COUNTRIES[i % COUNTRIES.length] }],
    ['sku', { type: 'string', value: i % 2 === 0 ? `AB${i % 7}1-${i}` : `XY-${i}` }],
    ['amount', { type: 'double', value: (i * 37) % 250 }],
    ['quantity', { type: 'int', value: i % 20 }],
    ['archived', { type: 'boolean', value: i % 5 === 0 }],
    ['big', { type: 'long', value: 9007199254740993n + BigInt(i % 7) }],
  ]);
  if (i % 3 === 0) values.set('JMSCorrelationID', { type: 'string', value: `corr-${i}` });
  return { get: (identifier) => values.get(identifier) };
}

const messages = Array.from({ length: 1024 }, (_, i) => message(i));

interface Rate {
  readonly perSecond: number;
  readonly nsPerOp: number;
  readonly matched: number;
}

/** Best of `rounds` timed loops of `fn` over the messages, in evaluations per second, after an untimed warm-up. */
function measure(fn: (m: SelectorSubject) => boolean): Rate {
  for (let w = 0; w < 100; w++) for (let i = 0; i < messages.length; i++) fn(messages[i]);
  let best = 0;
  let matched = 0;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    let hits = 0;
    const deadline = performance.now() + seconds * 1000;
    while (performance.now() < deadline) {
      for (let i = 0; i < messages.length; i++) if (fn(messages[i])) hits++;
      ops += messages.length;
    }
    const elapsed = seconds + (performance.now() - deadline) / 1000;
    best = Math.max(best, ops / elapsed);
    matched = hits / ops;
  }
  return { perSecond: Math.round(best), nsPerOp: Math.round((1e9 / best) * 10) / 10, matched: Math.round(matched * 100) };
}

function measureParse(selector: string): Rate {
  for (let w = 0; w < 200; w++) parseSelector(selector);
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const deadline = performance.now() + seconds * 1000;
    while (performance.now() < deadline) {
      for (let i = 0; i < 64; i++) parseSelector(selector);
      ops += 64;
    }
    best = Math.max(best, ops / (seconds + (performance.now() - deadline) / 1000));
  }
  return { perSecond: Math.round(best), nsPerOp: Math.round(1e9 / best), matched: 0 };
}

interface CaseResult {
  readonly name: string;
  readonly selector: string;
  readonly evaluationsPerSecond: number;
  readonly nsPerEvaluation: number;
  readonly matchedPercent: number;
  readonly handWrittenPerSecond?: number;
  readonly parsesPerSecond: number;
}

const results: CaseResult[] = CASES.map((c) => {
  const compiled = parseSelector(c.selector);
  const rate = measure(compiled.matches);
  const floor = c.handWritten ? measure(c.handWritten) : undefined;
  if (floor && floor.matched !== rate.matched) throw new Error(`${c.name}: the hand-written predicate matches ${floor.matched}%, the selector ${rate.matched}%`);
  const parse = measureParse(c.selector);
  console.log(`${c.name}: ${rate.perSecond} evaluations/s (${rate.nsPerOp} ns), matched ${rate.matched}%${floor ? `, hand-written ${floor.perSecond}/s` : ''}, ${parse.perSecond} parses/s`);
  return {
    name: c.name,
    selector: c.selector,
    evaluationsPerSecond: rate.perSecond,
    nsPerEvaluation: rate.nsPerOp,
    matchedPercent: rate.matched,
    ...(floor ? { handWrittenPerSecond: floor.perSecond } : {}),
    parsesPerSecond: parse.perSecond,
  };
});

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAverage1m: Math.round(loadavg()[0] * 100) / 100 };
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL('jms-selector.json', resultsDir), `${JSON.stringify({ date: new Date().toISOString(), machine, seconds, rounds, results }, null, 2)}\n`);
const md = [
  '# jms-selector',
  '',
  ...(quickRunNote ? [quickRunNote, ''] : []),
  `${new Date().toISOString()} · ${machine.cpu} · ${machine.cores} cores · Node ${machine.node} · single thread · load average ${machine.loadAverage1m} at the end (the machine may be shared)`,
  '',
  `Compiled selectors (parseSelector(...).matches) over 1024 Map-backed messages, best of ${rounds} × ${seconds} s. Parses/s is parse + check + compile, paid once per consumer.`,
  '',
  '| selector | evaluations/s | ns/evaluation | matched | hand-written JS/s | parses/s |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) => `| \`${r.selector.replace(/\|/g, '\\|')}\` | ${r.evaluationsPerSecond} | ${r.nsPerEvaluation} | ${r.matchedPercent}% | ${r.handWrittenPerSecond ?? '-'} | ${r.parsesPerSecond} |`,
  ),
  '',
].join('\n');
writeFileSync(new URL('jms-selector.md', resultsDir), md);

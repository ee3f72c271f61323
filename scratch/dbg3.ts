import fc from 'fast-check';
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 120, maxLength: 3_000 }),
);
const bytes = fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a));
const field = fc.oneof(text, bytes, fc.constant(null), fc.constant(undefined));
const message = fc.record({ key: field, value: field }, { requiredKeys: ['key', 'value'] });
const s = fc.sample(fc.array(message, { minLength: 1, maxLength: 12 }), { numRuns: 200, seed: 3 });
let long = 0, all = 0;
for (const a of s) for (const m of a) { all++; if (typeof m.value === 'string' && m.value.length > 100) long++; }
console.log(all, long);

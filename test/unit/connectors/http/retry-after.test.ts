/** Retry-After (RFC 9110 §10.2.3): delay-seconds and the three HTTP-date forms; past dates mean now; anything else is ignored. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHttpDate, parseRetryAfter } from '../../../../src/connectors/http/retry-after.ts';

// 1994-11-06T08:49:07Z: RFC 9110's example date minus 30 s.
const NOW = Date.UTC(1994, 10, 6, 8, 49, 7);

describe('Retry-After', () => {
  const cases: Array<[string, string | undefined, number | undefined]> = [
    ['absent', undefined, undefined],
    ['delay-seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['surrounding spaces', ' 5 ', 5_000],
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT', 30_000],
    ['obsolete RFC 850 date', 'Sunday, 06-Nov-94 08:49:37 GMT', 30_000],
    ['obsolete asctime date (UTC, not local time)', 'Sun Nov  6 08:49:37 1994', 30_000],
    ['a date in the past means now', 'Sun, 06 Nov 1994 08:00:00 GMT', 0],
    ['negative seconds', '-5', undefined],
    ['fractional seconds', '1.5', undefined],
    ['a zone other than GMT', 'Sun, 06 Nov 1994 08:49:37 +0100', undefined],
    ['no such day', 'Sun, 31 Feb 1994 08:49:37 GMT', undefined],
    ['garbage', 'soon', undefined],
    ['empty', '', undefined],
  ];
  for (const [name, header, expected] of cases) {
    it(`${name}: ${JSON.stringify(header)} -> ${expected}`, () => assert.equal(parseRetryAfter(header, NOW), expected));
  }
});

describe('two-digit RFC 850 years (RFC 9110 §5.6.7)', () => {
  const cases: Array<[number, string, number]> = [
    [Date.UTC(2026, 0, 1), 'Thursday, 01-Jan-27 00:00:00 GMT', 2027],
    [Date.UTC(2026, 0, 1), 'Monday, 01-Jan-76 00:00:00 GMT', 2076],
    // More than 50 years ahead: the most recent past year with those digits.
    [Date.UTC(2026, 0, 1), 'Wednesday, 01-Jan-77 00:00:00 GMT', 1977],
  ];
  for (const [now, header, year] of cases) {
    it(`${header} read in 2026 is ${year}`, () => assert.equal(new Date(parseHttpDate(header, now)!).getUTCFullYear(), year));
  }
});

/**
 * Masks for sensitive fields, applied to decoded values before they leave the gateway, so a card
 * number or national id never reaches Kafka in clear. PCI DSS 3.4 allows at most the first six and
 * last four digits of a PAN to be shown; `keep_last: 4` is the usual choice.
 */
import { createHash, createHmac } from 'node:crypto';
import type { MaskConfig } from './schema.ts';

export type MaskFunction = (value: unknown) => unknown;

/** Builds the function that masks one field. `hashKey` turns `hash` into HMAC-SHA256 (no dictionary attacks on short values). */
export function compileMask(mask: MaskConfig, hashKey?: string): MaskFunction {
  if (mask === 'redact') return () => null;
  if (mask === 'hash') {
    return (value) => {
      if (value === null || value === undefined) return value;
      const text = String(value);
      return (hashKey ? createHmac('sha256', hashKey) : createHash('sha256')).update(text, 'utf8').digest('hex');
    };
  }
  if ('keep_last' in mask) {
    const keep = mask.keep_last;
    return (value) => {
      if (value === null || value === undefined) return value;
      const text = String(value);
      return text.length <= keep ? text : '*'.repeat(text.length - keep) + text.slice(text.length - keep);
    };
  }
  const keep = mask.keep_first;
  return (value) => {
    if (value === null || value === undefined) return value;
    const text = String(value);
    return text.length <= keep ? text : text.slice(0, keep) + '*'.repeat(text.length - keep);
  };
}

/**
 * Bearer tokens for the admin API (RFC 6750 `Authorization: Bearer <token>`). Comparison is
 * constant-time: both sides are hashed to 32 bytes first (so lengths never differ) and compared
 * with crypto.timingSafeEqual, and every configured token is compared, so the time taken says
 * nothing about which token, or how much of one, matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { RouterControlErrors } from '../rollout/control-errors.ts';
import type { AdminToken } from './config.ts';

export interface TokenVerifier {
  /** The token's name when `authorization` carries a valid bearer token, else undefined. */
  verify(authorization: string | undefined): string | undefined;
}

export function createTokenVerifier(tokens: readonly AdminToken[]): TokenVerifier {
  if (tokens.length === 0 || tokens.some((t) => t.token.length === 0)) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_NO_TOKENS();
  const known = tokens.map((t) => ({ name: t.name, digest: digest(t.token) }));
  return {
    verify(authorization) {
      const m = /^Bearer[ ]+([\x21-\x7e]+)\s*$/i.exec(authorization ?? '');
      if (!m) return undefined;
      const offered = digest(m[1]!);
      let found: string | undefined;
      for (const k of known) {
        if (timingSafeEqual(k.digest, offered) && found === undefined) found = k.name;
      }
      return found;
    },
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

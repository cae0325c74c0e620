// Session tokens: random secrets the runtime repeats in its hello. Comparing their SHA-256
// digests with timingSafeEqual keeps the comparison constant-time even when lengths differ.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes as 64 hex characters (the protocol asks for at least 32). */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export function tokensEqual(expected: string, received: string): boolean {
  return timingSafeEqual(digest(expected), digest(received));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

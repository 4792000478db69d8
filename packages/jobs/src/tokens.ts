import { createHash, timingSafeEqual } from 'node:crypto';

/** What a job stores instead of the token that created it. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Compares a presented token with every configured one in constant time: both sides are
 * hashed to 32 bytes first, so neither the length nor the content leaks through timing.
 */
export function matchToken(presented: string, configured: readonly string[]): boolean {
  const presentedHash = createHash('sha256').update(presented, 'utf8').digest();
  let matched = false;
  for (const token of configured) {
    const candidate = createHash('sha256').update(token, 'utf8').digest();
    // No early exit: every token is compared.
    matched = timingSafeEqual(presentedHash, candidate) || matched;
  }
  return matched;
}

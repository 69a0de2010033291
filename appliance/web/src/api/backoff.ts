const FIRST_MS = 1000;
const MAX_MS = 30_000;

/**
 * How long to wait before retry number `attempt` (1, 2, …): doubling up to half a minute, with
 * jitter so that browsers cut off together do not all come back at the same moment.
 */
export function backoffDelay(attempt: number): number {
  return Math.min(MAX_MS, FIRST_MS * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
}

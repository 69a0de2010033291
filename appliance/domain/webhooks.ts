import { InvalidInputError } from './errors.ts';

/**
 * Webhooks tell other systems (chat bots, archives) about recordings. Each POST carries the
 * headers `X-Webhook-Timestamp` (Unix seconds) and `X-Webhook-Signature: sha256=<hex>`, the
 * HMAC-SHA256 with the webhook's secret of `<timestamp>.<body>`; receivers recompute it and refuse
 * old timestamps, so a captured request cannot be replayed later.
 */
export type WebhookEvent = 'recording.started' | 'recording.ready' | 'recording.failed';

export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['recording.started', 'recording.ready', 'recording.failed'];
export const WEBHOOK_SECRET_MIN_LENGTH = 16;

export function isWebhookEvent(type: string): type is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(type);
}

export function validateWebhookInput(input: { name?: unknown; url?: unknown; secret?: unknown; events?: unknown }): void {
  // The name is how administrators tell webhooks apart in the console and the audit log.
  if (typeof input.name !== 'string' || input.name.trim() === '') throw new InvalidInputError('a webhook needs a name', 'name');
  let url: URL | undefined;
  try {
    url = typeof input.url === 'string' ? new URL(input.url) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new InvalidInputError('a webhook URL is an absolute http:// or https:// address', 'url');
  if (url.username || url.password) throw new InvalidInputError('a webhook URL carries no user name or password: the signature authenticates the appliance', 'url');
  if (typeof input.secret !== 'string' || input.secret.length < WEBHOOK_SECRET_MIN_LENGTH) {
    throw new InvalidInputError(`a webhook secret is at least ${WEBHOOK_SECRET_MIN_LENGTH} characters`, 'secret');
  }
  const events = input.events;
  if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && isWebhookEvent(e))) {
    throw new InvalidInputError(`a webhook listens to one or more of: ${WEBHOOK_EVENTS.join(', ')}`, 'events');
  }
}

/** What the signature covers: the timestamp binds the body to the moment it was sent. */
export function webhookSignedText(timestampSeconds: number, body: string): string {
  return `${timestampSeconds}.${body}`;
}

/** A receiver has the webhook when it answers 2xx; anything else is tried again until the attempts run out. */
export function webhookAnswerDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}

import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { webhookAnswerDelivered, webhookSignedText } from '../domain/index.ts';
import { Webhook } from '../db/entities/index.ts';
import type { OutboundDelivery } from '../db/entities/index.ts';
import type { AttemptResult, DeliveryChannel } from '../jobs/outbox.ts';

const REQUEST_TIMEOUT_MS = 10_000;

export function webhookSignature(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(webhookSignedText(timestampSeconds, body)).digest('hex')}`;
}

/**
 * Webhook calls: the stored JSON, signed afresh at each try so that receivers may refuse old
 * timestamps even for late retries. Redirects are not followed: the signature is for this URL.
 */
export class WebhookChannel implements DeliveryChannel {
  readonly channel = 'webhook';

  async attempt(delivery: OutboundDelivery, em: EntityManager): Promise<AttemptResult> {
    const webhook = delivery.webhookId ? await em.findOne(Webhook, delivery.webhookId) : null;
    if (!webhook?.enabled) return { outcome: 'failed', httpStatus: null, error: 'the webhook was switched off or removed before it could be delivered' };
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'recording-appliance-webhooks',
          'X-Webhook-Event': delivery.event,
          'X-Webhook-Delivery': delivery.id,
          'X-Webhook-Timestamp': String(timestamp),
          'X-Webhook-Signature': webhookSignature(webhook.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (webhookAnswerDelivered(response.status)) return { outcome: 'delivered', httpStatus: response.status, error: null };
      return { outcome: 'retry', httpStatus: response.status, error: `the receiver answered HTTP ${response.status}` };
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return { outcome: 'retry', httpStatus: null, error: `no answer from the receiver: ${reason}` };
    }
  }
}

import type { WebhookHandler, WebhookHandlers } from './webhook-handlers.ts';

/**
 * Where capabilities register what they do on a Stripe event type. Each handler's effect is
 * recorded under its own key (`<type>#<position>`), so two capabilities reacting to one
 * event each apply it once. Register at startup, in a fixed order: the position is part of
 * the key.
 */
export interface WebhookRegistry {
  on(type: string, handler: WebhookHandler): void;
  readonly handlers: WebhookHandlers;
}

export function createWebhookRegistry(): WebhookRegistry {
  const handlers = new Map<string, WebhookHandler[]>();
  return {
    on(type, handler) {
      const list = handlers.get(type) ?? [];
      list.push(handler);
      handlers.set(type, list);
    },
    handlers,
  };
}

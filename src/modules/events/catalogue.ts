/**
 * The event types a party may subscribe to, each registered by the module that publishes it (from its index.ts),
 * with what it means in both languages — the list the portal's webhook form and GET /api/v1/event-types show. Publishing
 * or subscribing to an unregistered type is refused (a typo never becomes a silent channel).
 */
import { AppError } from '../../kernel/errors';

export interface EventType {
  /** `<subject>.<what happened>`, lower case: `pledge.created`, `margin_call.opened`, `buyback.traded` … */
  type: string;
  zh: string;
  en: string;
}

const types = new Map<string, EventType>();

export function registerEventTypes(list: readonly EventType[]): void {
  for (const entry of list) {
    if (!/^[a-z_]+(\.[a-z_]+)+$/.test(entry.type)) throw new Error(`event type ${entry.type}: <subject>.<what happened>`);
    if (types.has(entry.type)) throw new Error(`event type ${entry.type} registered twice`);
    types.set(entry.type, entry);
  }
}

export function eventTypes(): EventType[] {
  return [...types.values()].sort((a, b) => a.type.localeCompare(b.type));
}

export function assertEventType(type: string): void {
  if (type !== '*' && !types.has(type)) throw new AppError('EVENT_TYPE_UNKNOWN', { type });
}

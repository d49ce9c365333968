/**
 * Events: the facts each organisation's own systems hear of — a cursor feed and signed webhooks, from a transactional
 * outbox (service.ts: `publish` in the write's transaction; dispatcher.ts: sending after the commit, retried with
 * backoff, every attempt recorded, replayable). Modules register the types they publish (catalogue.ts) from their
 * index.ts and call `publish` / `publishRowsSql` where the fact happens.
 */
export { registerEventTypes, eventTypes, type EventType } from './catalogue';
export { publish, publishRowsSql, type EventInput } from './service';
export { deliverDue, startWebhookDispatcher, deliveryBody, type DispatchOptions } from './dispatcher';
export { signWebhook, verifyWebhook, SIGNATURE_HEADER } from './signature';
export { eventRoutes } from './routes';

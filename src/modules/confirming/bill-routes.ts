/** Bills (银承), margin, deliveries (提货通知书), buybacks and the bank's interfaces. */
import type { App } from '../../kernel/http';

export async function billRoutes(_app: App): Promise<void> {}

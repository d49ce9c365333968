/** Networks (建网), dealers (入网) and agreements. */
import type { App } from '../../kernel/http';

export async function networkRoutes(_app: App): Promise<void> {}

/** Answer shapes of the calendar API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { businessDateSchema } from '../../kernel/http';

/** The platform business date. */
export const dateResponse = z.object({ businessDate: businessDateSchema });

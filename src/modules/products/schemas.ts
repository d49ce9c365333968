/** Answer shapes of the products API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { idSchema, oneOf, timestampSchema } from '../../kernel/http';
import { FINANCING_MODES, termsSchema } from './terms';

export const productSchema = z.object({
  id: idSchema,
  ownerOrgId: idSchema,
  ownerName: z.string().nullable(),
  code: z.string(),
  name: z.string(),
  mode: oneOf(FINANCING_MODES),
  status: oneOf(['draft', 'published', 'retired']),
  publishedVersion: z.number().int().nullable(),
  description: z.string().nullable(),
  /** Newest first; others than the owner and the operator see only published versions. */
  versions: z.array(
    z.object({
      version: z.number().int(),
      status: oneOf(['draft', 'published']),
      terms: termsSchema,
      publishedAt: timestampSchema.nullable(),
      createdAt: timestampSchema,
    }),
  ),
});

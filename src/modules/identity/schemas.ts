/** Answer shapes of the identity API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { ORG_TYPES, ROLES } from '../../kernel/context';
import { idSchema, timestampSchema } from '../../kernel/http';

/** The signed-in caller: user, organisation, what it may do, which parties it may register. */
export const me = z.object({
  user: z.object({ id: idSchema, username: z.string(), roles: z.array(z.enum(ROLES)) }),
  organization: z.object({ id: idSchema, name: z.string(), shortName: z.string().nullable(), type: z.enum(ORG_TYPES) }),
  permissions: z.array(z.string()),
  creatablePartyTypes: z.array(z.enum(ORG_TYPES)),
});

export const user = z.object({
  id: idSchema,
  orgId: idSchema,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  status: z.enum(['active', 'disabled']),
  lockedUntil: timestampSchema.nullable(),
  lastLoginAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
});

export const apiToken = z.object({
  id: idSchema,
  name: z.string(),
  /** The first characters of the token, to recognise it. */
  prefix: z.string(),
  userId: idSchema,
  createdAt: timestampSchema,
  expiresAt: timestampSchema.nullable(),
  lastUsedAt: timestampSchema.nullable(),
  revokedAt: timestampSchema.nullable(),
});
export const createdApiToken = z.object({
  id: idSchema,
  name: z.string(),
  prefix: z.string(),
  /** The token itself: shown this once, never stored. */
  token: z.string(),
  expiresAt: timestampSchema.nullable(),
});

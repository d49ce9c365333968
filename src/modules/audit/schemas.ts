/** Answer shapes of the audit API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';

/** An audit entry: who did what to which object, with the object before and after (as the writing module recorded it). */
export const auditRowSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  userId: z.string(),
  username: z.string(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  subjectOrgId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string(),
  ip: z.string().nullable(),
  createdAt: z.string(),
});

/** A page of entries, newest first; `nextBefore` is the cursor of the next page (null on the last one). */
export const auditPageSchema = z.object({ items: z.array(auditRowSchema), nextBefore: z.string().nullable() });

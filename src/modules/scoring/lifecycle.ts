/**
 * Scoring templates are versioned like products: a template is a draft until its first version is published; a new
 * version is a draft edited freely, published (frozen from then on, trigger in migration 0046) when ready; a retired
 * template scores nobody any more (its scores stay explained by their version).
 *
 *   draft ──publish──▶ published ──publish (a newer version)──▶ published
 *     │                   │
 *     └──retire──▶ retired ◀──retire
 *
 *   version: draft ──publish──▶ published (edit only a draft)
 */
import { AppError } from '../../kernel/errors';
import { transitionTable } from '../../kernel/lifecycle';

export const TEMPLATE_STATUSES = ['draft', 'published', 'retired'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export type TemplateAction = 'publish' | 'retire' | 'new_version';

export const templateLifecycle = transitionTable<TemplateStatus, TemplateAction>(TEMPLATE_STATUSES, {
  draft: { publish: 'published', retire: 'retired', new_version: 'draft' },
  published: { publish: 'published', retire: 'retired', new_version: 'published' },
  retired: {},
});

export const VERSION_STATUSES = ['draft', 'published'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
export type VersionAction = 'edit' | 'publish';

export const versionLifecycle = transitionTable<VersionStatus, VersionAction>(
  VERSION_STATUSES,
  {
    draft: { edit: 'draft', publish: 'published' },
    published: {},
  },
  () => new AppError('SCORING_VERSION_PUBLISHED'),
);

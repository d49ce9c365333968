/**
 * 客户信息要素支持后台设置 (seed 003 4.1): an organisation's admin defines extra customer fields per customer type
 * (corporate / individual) — key, labels, type, required, enum options — and its users fill them in on its customers.
 * The values are the defining organisation's own record of the customer: nobody else sees the definitions or the
 * values (the customer included). Every value is checked against its definition here (`fieldValue`), never trusted
 * from the form; a refused set writes nothing.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { parseBusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { requireAccess } from './access';
import { organizations, partyFieldDefinitions, partyFieldValues } from './schema';

export const FIELD_TYPES = ['text', 'number', 'date', 'enum', 'money'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const FIELD_CUSTOMER_TYPES = ['corporate', 'individual'] as const;
export type FieldCustomerType = (typeof FIELD_CUSTOMER_TYPES)[number];

type DefinitionRow = typeof partyFieldDefinitions.$inferSelect;

export interface FieldDefinitionDto {
  id: string;
  customerType: FieldCustomerType;
  key: string;
  labelZh: string;
  labelEn: string;
  fieldType: FieldType;
  required: boolean;
  options: string[];
  position: number;
  active: boolean;
}

const EXPECTED: Record<FieldType, { zh: string; en: string }> = {
  text: { zh: '不超过 500 字的文本', en: 'text of at most 500 characters' },
  number: { zh: '数字', en: 'a number' },
  date: { zh: 'YYYY-MM-DD 日期', en: 'a date YYYY-MM-DD' },
  enum: { zh: '选项之一', en: 'one of the options' },
  money: { zh: '金额（两位小数以内）', en: 'an amount with at most 2 decimals' },
};

/** The value as stored (canonical text) for a definition, or CUSTOM_FIELD_VALUE_INVALID. Pure. */
export function fieldValue(def: Pick<DefinitionRow, 'key' | 'fieldType' | 'options'>, raw: string): string {
  const type = def.fieldType as FieldType;
  const refuse = () => new AppError('CUSTOM_FIELD_VALUE_INVALID', { key: def.key, expected: EXPECTED[type] });
  const value = raw.trim();
  if (value === '' || value.length > 500) throw refuse();
  switch (type) {
    case 'text':
      return value;
    case 'number':
      if (!/^-?\d{1,15}(\.\d{1,6})?$/.test(value)) throw refuse();
      return value;
    case 'enum':
      if (!def.options.includes(value)) throw refuse();
      return value;
    case 'date':
      try {
        return parseBusinessDate(value);
      } catch {
        throw refuse();
      }
    case 'money':
      try {
        return formatAmount(parseAmountMinor(value, 'CNY'), 'CNY');
      } catch {
        throw refuse();
      }
  }
}

const toDto = (row: DefinitionRow): FieldDefinitionDto => ({
  id: row.id,
  customerType: row.customerType as FieldCustomerType,
  key: row.key,
  labelZh: row.labelZh,
  labelEn: row.labelEn,
  fieldType: row.fieldType as FieldType,
  required: row.required,
  options: row.options,
  position: row.position,
  active: row.active,
});

export async function listFieldDefinitions(ctx: Ctx, customerType?: FieldCustomerType): Promise<FieldDefinitionDto[]> {
  requirePermission(ctx.actor, 'party:read');
  const conditions = [eq(partyFieldDefinitions.ownerOrgId, ctx.actor.orgId)];
  if (customerType) conditions.push(eq(partyFieldDefinitions.customerType, customerType));
  const rows = await ctx.db
    .select()
    .from(partyFieldDefinitions)
    .where(and(...conditions))
    .orderBy(asc(partyFieldDefinitions.customerType), asc(partyFieldDefinitions.position), asc(partyFieldDefinitions.key))
    .limit(200);
  return rows.map(toDto);
}

export interface FieldDefinitionInput {
  customerType: FieldCustomerType;
  key: string;
  labelZh: string;
  labelEn: string;
  fieldType: FieldType;
  required: boolean;
  options: string[];
  position: number;
}

function checkOptions(fieldType: FieldType, options: string[]): string[] {
  if (fieldType !== 'enum') return [];
  const unique = [...new Set(options.map((o) => o.trim()).filter(Boolean))];
  if (unique.length === 0) throw new AppError('VALIDATION_FAILED', { field: 'options', reason: 'an enum field needs options' });
  return unique;
}

export async function createFieldDefinition(ctx: Ctx, input: FieldDefinitionInput): Promise<FieldDefinitionDto> {
  requirePermission(ctx.actor, 'party:fields');
  const options = checkOptions(input.fieldType, input.options);
  return withTransaction(ctx, async (tx) => {
    const values = { id: uuidv7(), ownerOrgId: ctx.actor.orgId, ...input, options };
    const [row] = await tx.db
      .insert(partyFieldDefinitions)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        if (constraintName(error) === 'party_field_definitions_key_key') throw new AppError('CUSTOM_FIELD_KEY_TAKEN', { key: input.key });
        throw error;
      });
    await recordAudit(tx, {
      action: 'party.field.define',
      objectType: 'party_field_definition',
      objectId: values.id,
      subjectOrgId: ctx.actor.orgId,
      after: values,
    });
    return toDto(row!);
  });
}

/** Changes labels, required, options, position or active; the key and type stay (values were checked against them). */
export async function updateFieldDefinition(
  ctx: Ctx,
  id: string,
  patch: Partial<Pick<FieldDefinitionDto, 'labelZh' | 'labelEn' | 'required' | 'options' | 'position' | 'active'>>,
): Promise<FieldDefinitionDto> {
  requirePermission(ctx.actor, 'party:fields');
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(partyFieldDefinitions)
      .where(and(eq(partyFieldDefinitions.id, id), eq(partyFieldDefinitions.ownerOrgId, ctx.actor.orgId)))
      .for('update');
    if (!before) throw new AppError('NOT_FOUND', { objectType: 'party_field_definition', id });
    const set = { ...patch, ...(patch.options ? { options: checkOptions(before.fieldType as FieldType, patch.options) } : {}) };
    const [row] = await tx.db.update(partyFieldDefinitions).set(set).where(eq(partyFieldDefinitions.id, id)).returning();
    await recordAudit(tx, {
      action: 'party.field.update',
      objectType: 'party_field_definition',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      before,
      after: row,
    });
    return toDto(row!);
  });
}

export interface FieldValueDto extends FieldDefinitionDto {
  value: string | null;
}

async function customerTypeOf(ctx: Ctx, partyId: string): Promise<FieldCustomerType> {
  const [row] = await ctx.db.select({ type: organizations.type }).from(organizations).where(eq(organizations.id, partyId));
  return row?.type === 'individual' ? 'individual' : 'corporate';
}

/** The caller's active fields for the customer's type, each with the caller's value (null when not filled in). */
export async function customFieldsOf(ctx: Ctx, partyId: string): Promise<FieldValueDto[]> {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'basic');
  const defs = (await listFieldDefinitions(ctx, await customerTypeOf(ctx, partyId))).filter((d) => d.active);
  if (defs.length === 0) return [];
  const values = await ctx.db
    .select()
    .from(partyFieldValues)
    .where(
      and(
        eq(partyFieldValues.ownerOrgId, ctx.actor.orgId),
        eq(partyFieldValues.partyId, partyId),
        inArray(
          partyFieldValues.fieldId,
          defs.map((d) => d.id),
        ),
      ),
    );
  return defs.map((d) => ({ ...d, value: values.find((v) => v.fieldId === d.id)?.value ?? null }));
}

/**
 * Sets the caller's values on a customer: `values` by key, null clears one. Unknown keys, values that do not fit their
 * definition and required fields left empty are refused with the field's key; nothing is written then.
 */
export async function setCustomFields(ctx: Ctx, partyId: string, values: Record<string, string | null>): Promise<FieldValueDto[]> {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'basic');
  return withTransaction(ctx, async (tx) => {
    const current = await customFieldsOf(tx, partyId);
    const next = new Map(current.map((f) => [f.key, f.value]));
    for (const [key, raw] of Object.entries(values)) {
      const def = current.find((f) => f.key === key);
      if (!def) throw new AppError('CUSTOM_FIELD_UNKNOWN', { key });
      next.set(key, raw === null ? null : fieldValue(def, raw));
    }
    for (const def of current)
      if (def.required && next.get(def.key) === null) throw new AppError('CUSTOM_FIELD_REQUIRED', { key: def.key });
    for (const def of current) {
      const value = next.get(def.key) ?? null;
      if (value === def.value) continue;
      const where = and(
        eq(partyFieldValues.ownerOrgId, ctx.actor.orgId),
        eq(partyFieldValues.partyId, partyId),
        eq(partyFieldValues.fieldId, def.id),
      );
      if (value === null) await tx.db.delete(partyFieldValues).where(where);
      else
        await tx.db
          .insert(partyFieldValues)
          .values({ ownerOrgId: ctx.actor.orgId, partyId, fieldId: def.id, value })
          .onConflictDoUpdate({
            target: [partyFieldValues.ownerOrgId, partyFieldValues.partyId, partyFieldValues.fieldId],
            set: { value, updatedAt: new Date() },
          });
      await recordAudit(tx, {
        action: 'party.field.set',
        objectType: 'party_field_value',
        objectId: def.id,
        subjectOrgId: partyId,
        before: { key: def.key, value: def.value },
        after: { key: def.key, value },
      });
    }
    return customFieldsOf(tx, partyId);
  });
}

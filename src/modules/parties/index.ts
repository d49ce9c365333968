/** Parties (customer management): organisations, their profiles, relationships and what each may see. */
import { registerSearchProvider, registerWorkbenchCards } from '../../kernel/registry';
import { searchParties } from './search';
import { operatorPartyCards } from './workbench';
export { partyRoutes } from './routes';
export { customerRoutes } from './customer-routes';
export { addPersonSection, type PersonSectionInput } from './individuals';
export { createFieldDefinition, setCustomFields } from './custom-fields';
export {
  findOrganization,
  creatablePartyTypes,
  createParty,
  ensureOperator,
  countOrganizations,
  organizationNames,
  operatorOrganizationId,
  platformCtx,
  networkOfMember,
  orgIdsByCreditCode,
  membersOfType,
  type PartyDto,
} from './service';
export { addContact, addKeyPerson, addShareholder, classifyParty, addFollowUp, isBlacklistedBy, assertNotBlacklisted } from './profile';
export { addStatement, statementForAssessment, type StatementDto } from './statements';
export type { Ratios } from './ratios';
export { createRelationship, isActiveSupplierOf, activeSupplierCondition } from './relationships';
export {
  accessLevel,
  requireAccess,
  visibleOrgCondition,
  visibleMemberIds,
  memberFactsSql,
  networkMemberCondition,
  containsPattern,
  orgNameContains,
  orgNameOf,
  type AccessLevel,
} from './access';
export { isValidCreditCode, withCheckCharacter } from './credit-code';
export { checkUpload, MAX_ATTACHMENT_BYTES, type CheckedFile } from './attachments';

registerSearchProvider({ kind: 'party', search: searchParties });
// 工作台 (operator): members by type, prospects to admit
registerWorkbenchCards({ module: 'parties', orgTypes: ['operator'], cards: operatorPartyCards });

/** Approval flows (sequential, countersign, committee, conditions, green channel), inbox, work queue, notifications. */
import { registerWorkSource } from '../../kernel/registry';
import { approvalItems } from './work-queue';

export { workflowRoutes } from './routes';
export {
  registerCaseEvents,
  registerInternalCases,
  startCase,
  addCasePreparer,
  cancelCase,
  saveDefinition,
  latestCaseFor,
  remindOverdueTasks,
  decideTask,
  inbox,
  type CaseEvents,
} from './service';
export { definitionSchema, type Definition, type Facts } from './flow';
// 站内通知: each module registers its notice kinds and subject routes; notices are rendered in the reader's language
export {
  registerNotices,
  notify,
  notifyRowsSql,
  clearNotices,
  type NoticeMatch,
  type NoticeParams,
  type NoticeTemplate,
} from './notices';
/** A case as answered (the deciding side's view, or a party's: caseView), for subject modules that embed one. */
export { caseSchema } from './schemas';
export { registerCaseSubjects, type CaseSubject, type CaseSubjects } from './work-queue';

// 待办: the approval tasks the caller may decide (the inbox's rules: no preparer, no decider of another step)
registerWorkSource({ name: 'approvals', kinds: ['approval'], list: approvalItems });
// 双人复核: thresholds per organisation, action and currency; an action above its threshold waits for a checker
export {
  registerDualControl,
  dualControl,
  requestChecker,
  dualControlThresholdSql,
  isPendingApproval,
  needsChecker,
  thresholdFor,
  setDualControlRule,
  getDualControlRequest,
  DUAL_CONTROL_FLOW,
  type DualControlAction,
  type DualControlRequest,
  type PendingApproval,
} from './dual-control';
export { pendingApprovalSchema } from './schemas';

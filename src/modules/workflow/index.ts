/** Approval flows (sequential, countersign, committee, conditions, green channel), inbox, notifications. */
export { workflowRoutes } from './routes';
export {
  registerCaseEvents,
  startCase,
  addCasePreparer,
  cancelCase,
  saveDefinition,
  latestCaseFor,
  notify,
  notifyRowsSql,
  remindOverdueTasks,
  decideTask,
  inbox,
  type CaseEvents,
} from './service';
export { definitionSchema, type Definition, type Facts } from './flow';

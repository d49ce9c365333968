export { recordAudit, listAudit, type AuditEntry, type AuditQuery, type AuditRow } from './service';
export { auditRoutes } from './routes';

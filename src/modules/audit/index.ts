export { recordAudit, auditInsertSql, auditRowsSql, listAudit, type AuditEntry, type AuditQuery, type AuditRow } from './service';
export { auditRoutes } from './routes';

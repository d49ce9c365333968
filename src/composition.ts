/**
 * The composition root: every module of the platform, imported once so that each module's registrations (its
 * end-of-day steps, its work queue sources, and the workbench cards and search providers to come; kernel/registry.ts)
 * have run before the server, the command line, the demo seed or a test starts working. A new module adds its line
 * here — and nowhere else outside its own folder.
 */
import './modules/audit';
import './modules/events';
import './modules/calendar';
import './modules/parties';
import './modules/identity';
import './modules/ledger';
import './modules/credit';
import './modules/products';
import './modules/workflow';
import './modules/financing';
import './modules/receivables';
import './modules/certificates';
import './modules/inventory';
import './modules/confirming';
import './modules/buyback';
import './modules/insurance';
import './modules/workbench';
import './modules/scoring';
import './modules/guarantee';

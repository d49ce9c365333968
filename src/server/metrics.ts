/** Prometheus metrics (/metrics): request counts and latencies by route, process metrics, pool state. */
import { Counter, Histogram, Registry, Gauge, collectDefaultMetrics } from 'prom-client';
import { groupCommitStats } from '../kernel/batch';
import type { Database } from '../kernel/db';
import type { App } from '../kernel/http';

export function createMetrics(app: App, database: Database) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'openscf_' });
  const requests = new Counter({
    name: 'openscf_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'openscf_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const groupCommit = (what: 'statements' | 'rows', help: string) =>
    new Counter({
      name: `openscf_group_commit_${what}_total`,
      help,
      labelNames: ['statement'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [statement, stats] of groupCommitStats) this.inc({ statement }, stats[what]);
      },
    });
  groupCommit('statements', 'Group-commit statements run (kernel/batch.ts), by statement');
  groupCommit('rows', 'Rows (requests) those statements carried: rows / statements is the mean batch size');
  new Gauge({ name: 'openscf_database_info', help: 'Database engine in use (label)', labelNames: ['kind'], registers: [registry] }).set(
    { kind: database.kind },
    1,
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  return { contentType: registry.contentType, render: () => registry.metrics() };
}

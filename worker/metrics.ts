import type { Server } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PdfRenderer } from '../activities/documents/pdf-renderer';
import { resolveSession } from '../api/auth';
import { errorHandler } from '../api/http-errors';
import { metricsRoutes } from '../api/metrics.routes';

/** The worker process's own metrics: Chromium page pool and render time, plus the Node process. */
export const workerMetricsRegistry = new Registry();
collectDefaultMetrics({ register: workerMetricsRegistry });

const renderSeconds = new Histogram({
  name: 'envcase_pdf_render_duration_seconds',
  help: 'PDF render time per document, waiting for a pooled page included',
  labelNames: ['result'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [workerMetricsRegistry],
});

/** Times every render and reports the pool's use on each scrape. Returns the same renderer. */
export function instrumentRenderer<T extends PdfRenderer>(renderer: T): T {
  const render = renderer.render.bind(renderer);
  renderer.render = async (html, options) => {
    const end = renderSeconds.startTimer();
    try {
      const pdf = await render(html, options);
      end({ result: 'ok' });
      return pdf;
    } catch (error) {
      end({ result: 'failed' });
      throw error;
    }
  };
  const gauges = [
    ['envcase_pdf_pool_pages', 'Chromium pages in the render pool', () => renderer.usage.poolSize],
    ['envcase_pdf_pool_busy_pages', 'Pool pages rendering right now', () => renderer.usage.busy],
    ['envcase_pdf_render_queue', 'Renders waiting for a pool page', () => renderer.usage.queued],
  ] as const;
  for (const [name, help, read] of gauges) {
    workerMetricsRegistry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      registers: [workerMetricsRegistry],
      collect() {
        this.set(read());
      },
    });
  }
  return renderer;
}

export interface WorkerMetricsServerOptions {
  port: number;
  /** METRICS_TOKEN; an admin's bearer token is accepted too (sessions are in MongoDB). */
  token?: string;
  /** The Temporal SDK's Prometheus exporter (Runtime telemetry), relayed under the same /metrics. */
  sdkMetricsAddress?: string;
  logger: Logger;
}

/**
 * /metrics of the worker on WORKER_METRICS_PORT. The SDK's own exporter binds to loopback and has
 * no authentication, so it is relayed here behind the operators-only check instead of published.
 */
export async function startWorkerMetricsServer(options: WorkerMetricsServerOptions): Promise<Server> {
  const app = express();
  app.disable('x-powered-by');
  app.use(resolveSession);
  app.use(
    metricsRoutes({
      registry: workerMetricsRegistry,
      token: options.token,
      extra: options.sdkMetricsAddress ? () => sdkMetrics(options.sdkMetricsAddress!) : undefined,
    }),
  );
  app.use((_req, res) => {
    res.status(404).json({ error: '没有这个接口', code: 'NotFound' });
  });
  app.use(errorHandler(options.logger));
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, () => resolve(server));
    server.once('error', reject);
  });
}

async function sdkMetrics(address: string): Promise<string> {
  try {
    const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? await response.text() : `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
  } catch (error) {
    return `# Temporal SDK metrics unavailable: ${(error as Error).message}\n`;
  }
}

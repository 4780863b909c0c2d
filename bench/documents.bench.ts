/**
 * Throughput of issuing PDFs: a two-page 责令改正违法行为决定书 rendered by the pooled renderer
 * (one browser, reused pages) against a browser launched per document, same templates and data.
 *
 *   node --require ./bench/documents/register-swc.js bench/documents.bench.ts
 *
 * Env: BENCH_POOLED_DOCS (default 60), BENCH_LAUNCH_DOCS (default 12), BENCH_CONCURRENCY
 * (default: number of CPUs), CHROMIUM_PATH. Templating is included in every measurement; the
 * pooled run starts after a warm-up, since a worker launches its browser once and keeps it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatDocumentNumber } from '../domain/documents';
import { PdfRenderer } from '../activities/documents/pdf-renderer';
import { TemplateEngine } from '../activities/documents/template-engine';

const pooledDocs = Number(process.env.BENCH_POOLED_DOCS ?? 60);
const launchDocs = Number(process.env.BENCH_LAUNCH_DOCS ?? 12);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? os.cpus().length);

const sample = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'templates', 'samples', 'correction_order.json'), 'utf8'),
) as { caseNo: string; agencyCode: string; agencyName: string; issuedAt: string; fields: Record<string, unknown> };
const engine = new TemplateEngine();

/** The sample with its own number, so no two documents are byte-identical inputs. */
function htmlFor(serial: number): string {
  const docNo = formatDocumentNumber({ agencyCode: sample.agencyCode, kindCode: '责改', year: 2026, serial });
  return engine.render(
    'correction_order',
    { docNo, caseNo: sample.caseNo, agencyName: sample.agencyName, issuedAt: sample.issuedAt },
    sample.fields,
  ).html;
}

interface RunResult {
  docsPerSecond: number;
  p50: number;
  p95: number;
  docs: number;
}

/** `concurrency` workers pull documents off a shared counter; latency is per document. */
async function run(docs: number, renderOne: (serial: number) => Promise<Buffer>): Promise<RunResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let serial = next++; serial < docs; serial = next++) {
        const t0 = performance.now();
        await renderOne(serial + 1);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  return { docsPerSecond: docs / seconds, p50: at(0.5), p95: at(0.95), docs };
}

function pages(pdf: Buffer): number {
  const info = execFileSync('pdfinfo', ['-'], { input: pdf }).toString();
  return Number(/^Pages:\s+(\d+)/mu.exec(info)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const pooled = new PdfRenderer({ poolSize: concurrency, maxQueue: 1_000 });
  try {
    const first = await pooled.render(htmlFor(1));
    const pageCount = pages(first);
    if (pageCount !== 2) throw new Error(`the bench document must have two pages, it has ${pageCount}`);
    for (let i = 0; i < concurrency * 2; i += 1) await pooled.render(htmlFor(i + 2)); // warm pages

    const pooledResult = await run(pooledDocs, (serial) => pooled.render(htmlFor(serial)));
    const launchResult = await run(launchDocs, async (serial) => {
      const perDocument = new PdfRenderer({ poolSize: 1 });
      try {
        return await perDocument.render(htmlFor(serial));
      } finally {
        await perDocument.close();
      }
    });

    const row = (name: string, r: RunResult) =>
      `${name.padEnd(22)} ${String(r.docs).padStart(5)} ${r.docsPerSecond.toFixed(2).padStart(8)} ${r.p50
        .toFixed(0)
        .padStart(8)} ${r.p95.toFixed(0).padStart(8)}`;
    console.log(`two-page correction order, ${first.length} bytes, concurrency ${concurrency}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(2)}`);
    console.log(`${'strategy'.padEnd(22)} ${'docs'.padStart(5)} ${'docs/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
    console.log(row('pooled pages', pooledResult));
    console.log(row('browser per document', launchResult));
    console.log(`speed-up: ${(pooledResult.docsPerSecond / launchResult.docsPerSecond).toFixed(1)}x`);
  } finally {
    await pooled.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

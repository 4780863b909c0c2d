import type { Client } from '@temporalio/client';
import { verifyAuditTrail, type AuditVerification } from '../read-model/audit-verification';
import { parseSignedHeadLine, type SignedAuditHead } from '../domain/audit-anchor';

export interface VerifyAuditDeps {
  temporal?: Client;
  taskQueue?: string;
  anchorKey?: string;
  /** Signed daily heads copied from the worker's log (`AUDIT-HEAD …` lines). */
  signedHeads?: SignedAuditHead[];
}

/**
 * Checks the audit chain (全过程留痕) end to end and names every break: entries whose content no
 * longer matches their hash (edited), whose link to the previous entry is broken, serials that
 * are missing (deleted), and disagreements with the anchors kept outside MongoDB (the anchor
 * workflow's history and the signed daily heads), which is how a tail deleted with its head
 * moved back, or hashes recomputed from one entry onward, show up. `npm run audit:verify` exits
 * 1 on any break so that a scheduled job or an operator's shell notices.
 */
export async function verifyAudit(print: (line: string) => void = console.log, deps: VerifyAuditDeps = {}): Promise<AuditVerification> {
  const result = await verifyAuditTrail({ ...deps, extraSignedHeads: deps.signedHeads });
  const anchoring = result.anchoring;
  if (anchoring.available) {
    print(`锚点：锚定工作流 ${anchoring.workflowId} 记录 ${anchoring.anchors} 个锚点、${anchoring.signedHeads.length} 个签名链头，最近一次读取 ${anchoring.lastCheckedAt ?? '—'}。`);
  } else {
    print(`锚点：未能与锚点比对（${anchoring.reason}），仅校验库内链条。`);
  }
  if (result.ok) {
    print(`留痕链完整：已校验 ${result.checked} 条记录。`);
    return result;
  }
  print(`留痕链断裂：发现 ${result.breakCount} 处问题（已校验 ${result.checked} 条记录）。`);
  for (const broken of result.breaks) {
    print(`  第 ${broken.serial} 条${broken.entryId ? `（${broken.entryId}）` : ''} [${broken.kind}] ${broken.reason}`);
  }
  if (result.breakCount > result.breaks.length) print(`  ……另有 ${result.breakCount - result.breaks.length} 处未列出。`);
  const suspect = result.anchorCheck?.firstSuspect;
  if (suspect) print(`最后一个相符锚点之后的第一条：第 ${suspect.serial} 条${suspect.entryId ? `（${suspect.entryId}）` : ''}。`);
  return result;
}

/** `--head "<AUDIT-HEAD line>"`, repeatable: signed heads kept outside (logs, paper, mail). */
function signedHeadsFromArgs(args: string[]): SignedAuditHead[] {
  const heads: SignedAuditHead[] = [];
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] !== '--head') continue;
    const head = parseSignedHeadLine(args[index + 1] ?? '');
    if (!head) throw new Error(`--head expects a line "AUDIT-HEAD day=… serial=… hash=… at=… sig=…", got: ${args[index + 1] ?? '(nothing)'}`);
    heads.push(head);
  }
  return heads;
}

async function main(): Promise<void> {
  const { loadConfig } = await import('../config');
  const { connectMongo } = await import('../config/mongo');
  const { connectClient } = await import('../config/temporal');
  const { Client } = await import('@temporalio/client');
  const mongoose = (await import('mongoose')).default;
  const config = loadConfig({ SESSION_SECRET: 'not-used-by-this-command', ...process.env });
  const signedHeads = signedHeadsFromArgs(process.argv.slice(2));
  await connectMongo(config);
  const connection = await connectClient(config).catch((error: Error) => {
    console.error(`Temporal ${config.TEMPORAL_ADDRESS} 不可达（${error.message}）`);
    return undefined;
  });
  try {
    const temporal = connection && new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const result = await verifyAudit(console.log, { temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, anchorKey: config.AUDIT_ANCHOR_KEY, signedHeads });
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await connection?.close();
    await mongoose.disconnect();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 2;
  });
}

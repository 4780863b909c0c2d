import { verifyAuditChain, type ChainVerification } from '../activities/audit-trail';

/**
 * Checks the audit chain (全过程留痕) end to end and says where it first breaks: the entry whose
 * content no longer matches its hash (edited), whose link to the previous entry is broken, or
 * the serial that is missing (deleted). `npm run audit:verify` exits 1 on a break so that a
 * scheduled job or an operator's shell notices.
 */
export async function verifyAudit(print: (line: string) => void = console.log): Promise<ChainVerification> {
  const result = await verifyAuditChain();
  if (result.ok) {
    print(`留痕链完整：已校验 ${result.checked} 条记录。`);
  } else {
    const broken = result.firstBreak!;
    print(`留痕链断裂：第 ${broken.serial} 条${broken.entryId ? `（${broken.entryId}）` : ''} — ${broken.reason}；此前 ${result.checked} 条完好。`);
  }
  return result;
}

async function main(): Promise<void> {
  const { loadConfig } = await import('../config');
  const { connectMongo } = await import('../config/mongo');
  const mongoose = (await import('mongoose')).default;
  const config = loadConfig({ SESSION_SECRET: 'not-used-by-this-command', ...process.env });
  await connectMongo(config);
  try {
    const result = await verifyAudit();
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await mongoose.disconnect();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 2;
  });
}

import { continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { AuditAnchorActivities } from '../activities/audit-anchor';
import { emptyAnchorState, needsSignature, recordReading, shanghaiDay, withSignedHead } from '../domain/audit-anchor';
import { auditAnchorsQuery, defaultTicksPerRun, type AuditAnchorInput } from './audit-anchor-messages';

const { readAuditHead, signAuditHead } = proxyActivities<AuditAnchorActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Anchors the audit chain outside MongoDB: every `intervalMs` it reads the head and records it
 * in this workflow's history (the activity results) and state (the query), checking on the way
 * that the last anchored entry is still as it was; once a day it has the head signed. Runs
 * forever, continuing as new every `ticksPerRun` readings with its state.
 */
export async function auditAnchorWorkflow(input: AuditAnchorInput): Promise<void> {
  let state = input.state ?? emptyAnchorState();
  setHandler(auditAnchorsQuery, () => state);
  const ticksPerRun = input.ticksPerRun ?? defaultTicksPerRun;
  // Without a key the worker cannot sign: ask again the next day, not at every tick.
  let unsignedDay: string | undefined;
  for (let tick = 0; tick < ticksPerRun; tick += 1) {
    const last = state.anchors.at(-1);
    const reading = await readAuditHead(last ? { previous: { serial: last.serial, hash: last.hash } } : {});
    const now = new Date();
    state = recordReading(state, reading, now.toISOString());
    const day = shanghaiDay(now);
    if (reading.head && needsSignature(state, day) && unsignedDay !== day) {
      const signed = await signAuditHead({ day, serial: reading.head.serial, hash: reading.head.hash, at: now.toISOString() });
      if (signed) state = withSignedHead(state, signed);
      else unsignedDay = day;
    }
    if (workflowInfo().continueAsNewSuggested) break;
    await sleep(input.intervalMs);
  }
  await continueAsNew<typeof auditAnchorWorkflow>({ ...input, state });
}

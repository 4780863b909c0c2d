import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { AuditAnchorActivities } from '../../activities/audit-anchor';
import { toolPaths } from '../../scripts/stack/tool-paths';
import { auditAnchorWorkflow } from '../../workflows';

// Guards the running anchor workflow against incompatible changes, like case-history.test.ts:
// a change to the commands this history expects must go behind patched(). Re-record only for a
// deliberate new scenario: RECORD_HISTORIES=1 npx jest --selectProjects workflow test/replay
const recorded = path.join(__dirname, 'histories', 'audit-anchor-three-readings.json');
const { History } = temporal.api.history.v1;
const historyJsonOptions = { longs: String, enums: String, bytes: String } as const;

function replayOptions() {
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  return bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../../workflows') };
}

if (process.env.RECORD_HISTORIES === '1') {
  test('record: three readings (anchor, signature, a deleted tail), then continue-as-new', async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: toolPaths.temporalTestServer } } });
    const h = (n: number) => n.toString(16).padStart(64, '0');
    // The readings a chain would give: 3, then 5, then the tail cut back to 4.
    const readings = [
      { head: { serial: 3, hash: h(3) } },
      { head: { serial: 5, hash: h(5) }, previous: { holds: true, found: { serial: 3, hash: h(3) } } },
      { head: { serial: 4, hash: h(4) }, previous: { holds: false, found: null } },
    ];
    let reading = 0;
    const activities: AuditAnchorActivities = {
      readAuditHead: async () => readings[Math.min(reading++, readings.length - 1)]!,
      signAuditHead: async (input) => ({ ...input, signature: h(99) }),
    };
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'record-anchor', ...replayOptions(), activities });
    try {
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start(auditAnchorWorkflow, { workflowId: 'record-anchor', taskQueue: 'record-anchor', args: [{ intervalMs: 60_000, ticksPerRun: 3 }] });
        const firstRun = env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
        while ((await firstRun.describe()).status.name === 'RUNNING') await env.sleep('1 minute');
        const history = History.decode(History.encode(await firstRun.fetchHistory()).finish());
        fs.writeFileSync(recorded, `${JSON.stringify(History.toObject(history, historyJsonOptions), null, 1)}\n`);
        await handle.terminate('recorded');
      });
    } finally {
      await env.teardown();
    }
  });
} else {
  test('when the recorded anchor workflow history is replayed on the current workflow code, then it replays without nondeterminism', async () => {
    const history = History.fromObject(JSON.parse(fs.readFileSync(recorded, 'utf8')));
    expect(history.events?.some((event) => event.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
    expect(history.events?.filter((event) => event.activityTaskCompletedEventAttributes)).toHaveLength(4);
    await Worker.runReplayHistory(replayOptions(), history, 'audit-anchor-three-readings');
  });
}

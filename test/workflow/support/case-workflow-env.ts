import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { CaseActivities, IssueCaseDocumentInput, NotifyInput, ProjectCaseInput } from '../../../activities/case-activities.types';
import type { IntakeInput } from '../../../domain/case';
import type { CaseCommand } from '../../../domain/case-commands';
import { defaultCasePolicy, type CasePolicy } from '../../../domain/case-clocks';
import type { CaseEvent } from '../../../domain/case-state';
import { chinaCalendarData, type HolidayCalendarData } from '../../../domain/calendar';
import type { Actor } from '../../../domain/roles';
import { toolPaths } from '../../../scripts/stack/tool-paths';
import { AesGcmPayloadCodec, codecDataConverter, generateCodecKeys } from '../../../config/payload-codec';
import { caseActionUpdate, caseWorkflowId, getCaseQuery, type CaseView } from '../../../workflows/case-messages';
import { caseProcessingWorkflow } from '../../../workflows';

export const jurisdiction = { countyCode: '350602', cityCode: '350600', agencyCode: '漳环芗', agencyName: '漳州市芗城生态环境局' };

export const actors = {
  officer: { userId: 'u-officer', name: '王执法', role: 'officer', regionCode: '350602' },
  supervisor: { userId: 'u-super', name: '陈科长', role: 'supervisor', regionCode: '350602' },
  citySupervisor: { userId: 'u-city', name: '黄处长', role: 'supervisor', regionCode: '350600' },
  localityHandler: { userId: 'u-local', name: '李经办', role: 'locality_handler', regionCode: '350602001' },
  gridMember: { userId: 'u-grid', name: '张网格', role: 'grid_member', regionCode: '350602001' },
} satisfies Record<string, Actor>;

/** What the fake activities saw, in call order, each stamped with the test server's time. */
export interface Recorded {
  projections: (ProjectCaseInput & { atMs: number })[];
  notifications: (NotifyInput & { atMs: number })[];
  documents: (IssueCaseDocumentInput & { atMs: number })[];
}

export interface CaseWorkflowEnv {
  env: TestWorkflowEnvironment;
  recorded: Recorded;
  /** Document kinds the fake issuer refuses, as the real one refuses missing fields. */
  failingDocumentKinds: Set<string>;
  taskQueue: string;
  startCase(options?: { intake?: Partial<IntakeInput>; policy?: CasePolicy; calendar?: HolidayCalendarData }): Promise<WorkflowHandle<typeof caseProcessingWorkflow>>;
  act(handle: WorkflowHandle, actor: Actor, command: CaseCommand): Promise<CaseView>;
  /** Polls the query until `accept` holds (the workflow may still be running its activities). */
  waitFor(handle: WorkflowHandle, accept: (view: CaseView) => boolean, what?: string): Promise<CaseView>;
  /** Skips server time to `instant` plus `slackMs`. */
  sleepUntil(instant: string, slackMs?: number): Promise<void>;
  nowIso(): Promise<string>;
  /** Every event projected for the case so far, in order. */
  events(caseId: string): CaseEvent[];
  stop(): Promise<void>;
}

export function anIntake(receivedAt: string, overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    channel: 'complaint',
    category: 'water',
    description: '工业园区排污口夜间排放黄色污水，河面有泡沫',
    location: { address: '漳州市芗城区东铺头街道九龙江边', regionCode: '350602001' },
    subject: { name: '漳州某化工有限公司', creditCode: '91350100M000100Y43' },
    reporter: { anonymous: false, name: '李先生' },
    attachments: [],
    idempotencyKey: `key-${randomUUID()}`,
    receivedAt,
    ...overrides,
  };
}

/** One time-skipping server per test file, a worker with fake activities that record calls. */
/**
 * `plainPayloads` leaves out the codec: histories recorded for the replay tests must replay
 * without the (random, per-run) key.
 */
export async function startCaseWorkflowEnv(options: { plainPayloads?: boolean } = {}): Promise<CaseWorkflowEnv> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this module registry: keep it.
  }
  // Encrypted as in production, so the codec is proven on the time-skipping server too.
  const dataConverter = options.plainPayloads ? undefined : codecDataConverter(AesGcmPayloadCodec.fromConfig(generateCodecKeys()));
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPaths.temporalTestServer } },
    client: { dataConverter },
  });
  // The test server knows no custom search attributes until told, and the workflow sets them.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(['CaseNo', 'CaseStatus', 'RegionCode'].map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
  });
  const recorded: Recorded = { projections: [], notifications: [], documents: [] };
  let serial = 0;
  const failingDocumentKinds = new Set<string>();
  const activities: CaseActivities = {
    async prepareIntake({ caseId }) {
      return { caseNo: `350602-2026-${caseId.slice(-5)}`, jurisdiction };
    },
    async projectCase(input) {
      recorded.projections.push({ ...input, atMs: await env.currentTimeMs() });
    },
    async recordMergedIntake() {},
    async notify(input) {
      recorded.notifications.push({ ...input, atMs: await env.currentTimeMs() });
    },
    async issueCaseDocument(input) {
      if (failingDocumentKinds.has(input.kind)) {
        throw ApplicationFailure.nonRetryable(`文书 ${input.kind} 缺少字段：legalBasis`, 'MissingDocumentFields');
      }
      recorded.documents.push({ ...input, atMs: await env.currentTimeMs() });
      serial += 1;
      return {
        documentId: `doc-${serial}`,
        docNo: `漳环芗〔2026〕${serial}号`,
        kind: input.kind,
        serial,
        status: 'issued',
        sha256: '0'.repeat(64),
        templateVersion: 'fake',
        issuedAt: new Date(await env.currentTimeMs()).toISOString(),
      };
    },
  };
  const taskQueue = `test-cases-${randomUUID()}`;
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    dataConverter,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../../../workflows') }),
    activities,
  });
  const running = worker.run();

  const self: CaseWorkflowEnv = {
    env,
    recorded,
    failingDocumentKinds,
    taskQueue,
    async startCase(options = {}) {
      const caseId = `c${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const receivedAt = await self.nowIso();
      return env.client.workflow.start(caseProcessingWorkflow, {
        taskQueue,
        workflowId: caseWorkflowId(caseId),
        args: [{ caseId, intake: anIntake(receivedAt, options.intake), calendar: options.calendar ?? chinaCalendarData, policy: options.policy ?? defaultCasePolicy }],
      });
    },
    act(handle, actor, command) {
      return handle.executeUpdate(caseActionUpdate, { args: [{ command, actor }] });
    },
    async waitFor(handle, accept, what = 'condition') {
      let last: CaseView | undefined;
      for (let attempt = 0; attempt < 200; attempt += 1) {
        try {
          last = await handle.query(getCaseQuery);
          if (accept(last)) return last;
        } catch {
          // Not registered yet: the query handler throws until prepareIntake returns.
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last)?.slice(0, 2000)}`);
    },
    async sleepUntil(instant, slackMs = 1_000) {
      const now = await env.currentTimeMs();
      const ms = Date.parse(instant) - now + slackMs;
      if (ms > 0) await env.sleep(ms);
    },
    async nowIso() {
      return new Date(await env.currentTimeMs()).toISOString();
    },
    events(caseId) {
      return recorded.projections.filter((projection) => projection.state.caseId === caseId).flatMap((projection) => projection.events);
    },
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
  return self;
}

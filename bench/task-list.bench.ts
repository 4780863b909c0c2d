import type { AuthenticatedUser } from '../api/auth';
import { listCases, listTasks, supervisorBoard } from '../api/case-queries';
import { regionScope } from '../read-model/region-scope';
import { undatedSortKey } from '../read-model/projection-writes';
import { createBoardActivities } from '../activities/board.activities';
import { markCountyChanged } from '../read-model/board.repository';
import { caseListKey, caseListKeys, taskListKey, taskListKeys } from '../domain/list-keys';
import { shanghaiDate } from '../domain/periods';
import { regions } from '../domain/regions';
import type { Role } from '../domain/roles';
import { CaseModel } from '../models/case.model';
import { TaskHistoryModel, TaskModel } from '../models/task.model';
import { demoUsers } from '../scripts/demo-data';
import { describeLatencies, envNumber, percentile, serversStopped, startBenchStack, type BenchStack } from './lib/bench-stack';
import { explainListQuery, type ListQuery } from './lib/explain';

/**
 * List latency on a loaded read model: BENCH_CASES cases and three times as many tasks
 * (default 100 000 / 300 000) inserted in batches straight into `cases`, `tasks` (the open ones)
 * and `task_history` (the done ones, where the projection moves them), spread over the demo
 * regions with realistic role, status and due-date mixes, each row keyed by the same domain
 * functions the projection uses; then, over HTTP as each user: GET /api/tasks (first page and
 * page 20), GET /api/board, a case by its number and cases by status in a county; p50/p95 each.
 * No Temporal: the read path never touches it.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/task-list.bench.js
 *   BENCH_CASES=20000 BENCH_QUERIES=40 npm run bench:tasks
 */
const caseCount = envNumber('BENCH_CASES', 100_000);
const taskCount = caseCount * 3;
const queriesPerUser = envNumber('BENCH_QUERIES', 40);
const batchSize = 1_000;
const dayMs = 86_400_000;

const counties = regions.filter((region) => region.level === 'county');
const townshipsOf = (county: string) => regions.filter((region) => region.level === 'township' && region.parentCode === county).map((region) => region.code);

/** Deterministic pseudo-random numbers, so runs load the same data. */
let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** 芗城区 and 同安区 (the demo users' counties) carry a fifth of the load each; the rest is spread evenly. */
function pickCounty(): string {
  const roll = random();
  if (roll < 0.2) return '350602';
  if (roll < 0.4) return '350212';
  return pick(counties).code;
}

const openStatuses = ['received', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing'];
/** Task kinds with the role and level that owns them. */
const taskKinds = [
  { kind: 'triage', role: 'officer', level: 'county' },
  { kind: 'acknowledge', role: 'officer', level: 'county' },
  { kind: 'investigate', role: 'officer', level: 'county' },
  { kind: 'rectify', role: 'locality_handler', level: 'township' },
  { kind: 'verify', role: 'officer', level: 'county' },
  { kind: 'approve_closure', role: 'supervisor', level: 'county' },
  { kind: 'approve_extension', role: 'supervisor', level: 'county' },
  { kind: 'supervise_overdue', role: 'supervisor', level: 'city' },
  { kind: 'police_receive', role: 'police_liaison', level: 'county' },
] as const;

/** Where the rows go: the GIN-indexed keys and the sort key the projection writes (activities/). */
function keyedTask(task: { role: Role; regionCode: string; unitId?: string; assigneeId?: string; dueAt: Date }) {
  return { listKeys: taskListKeys(task), sortDue: task.dueAt };
}

async function load(): Promise<{ loadMs: number; openTasks: number }> {
  const started = performance.now();
  const now = Date.now();
  let openTasks = 0;
  const cases: Record<string, unknown>[] = [];
  const tasks: Record<string, unknown>[] = [];
  const doneTasks: Record<string, unknown>[] = [];
  const flush = async (force = false) => {
    if (cases.length >= batchSize || (force && cases.length)) await CaseModel.collection.insertMany(cases.splice(0), { ordered: false });
    if (tasks.length >= batchSize || (force && tasks.length)) await TaskModel.collection.insertMany(tasks.splice(0), { ordered: false });
    if (doneTasks.length >= batchSize || (force && doneTasks.length)) await TaskHistoryModel.collection.insertMany(doneTasks.splice(0), { ordered: false });
  };
  for (let index = 0; index < caseCount; index += 1) {
    const county = pickCounty();
    const townships = townshipsOf(county);
    const regionCode = townships.length > 0 && random() < 0.8 ? pick(townships) : county;
    const open = random() < 0.3;
    const status = open ? pick(openStatuses) : random() < 0.9 ? 'closed' : 'rejected';
    const caseId = `bench-${index.toString(36).padStart(8, '0')}`;
    const caseNo = `${county}-2026-${String(index).padStart(5, '0')}`;
    const receivedAt = new Date(now - random() * 365 * dayMs);
    const nextDueAt = open ? new Date(now + (random() * 60 - 15) * dayMs) : undefined;
    const overdue = Boolean(open && nextDueAt && nextDueAt.getTime() < now);
    cases.push({
      _id: caseId, caseNo, revision: 3, status, channel: pick(['hotline', 'complaint', 'patrol', 'online']), category: pick(['water', 'air', 'noise', 'odour', 'solid_waste']),
      description: '基准数据：某企业排放污水', address: '基准地址', regionCode, countyCode: county, scope: regionScope(regionCode),
      escalationLevel: 0, nextDueAt, overdue, sortDue: nextDueAt ?? undatedSortKey, listKeys: caseListKeys({ regionCode, status, overdue, nextDueAt }),
      clocks: [], relatedComplaints: [], documents: [],
      idempotencyKey: caseId, receivedAt, createdAt: receivedAt, updatedAt: receivedAt,
    });
    // Three tasks per case: the open case's last one is open, every earlier one is done.
    for (let taskIndex = 0; taskIndex < 3; taskIndex += 1) {
      const spec = pick(taskKinds);
      const taskOpen = open && taskIndex === 2;
      if (taskOpen) openTasks += 1;
      const taskRegion = spec.level === 'township' ? regionCode : spec.level === 'city' ? (regionScope(county).city ?? county) : county;
      const dueAt = new Date(now + (random() * 60 - 15) * dayMs);
      const unitId = spec.role === 'police_liaison' ? `psb-${county}` : undefined;
      // A tenth of the officers' tasks are claimed; in 芗城区 by the demo officer ("view=mine").
      const assigneeId = spec.role === 'officer' && random() < 0.1 ? (county === '350602' ? 'officer' : `officer-${county}`) : undefined;
      (taskOpen ? tasks : doneTasks).push({
        _id: `${caseId}-t${taskIndex + 1}`, caseId, caseNo, kind: spec.kind, title: `基准任务 ${spec.kind}`, role: spec.role, regionCode: taskRegion, unitId, assigneeId,
        scope: regionScope(taskRegion), dueAt, ...(taskOpen ? keyedTask({ role: spec.role, regionCode: taskRegion, unitId, assigneeId, dueAt }) : { sortDue: dueAt }),
        escalationLevel: 0, status: taskOpen ? 'open' : 'done',
        caseStatus: status, category: 'water', summary: '基准数据：某企业排放污水', createdAt: receivedAt, revision: 3,
        ...(taskOpen ? {} : { closedAt: new Date(receivedAt.getTime() + dayMs) }),
      });
    }
    await flush();
    if ((index + 1) % 10_000 === 0) console.log(`  loaded ${index + 1} cases, ${(index + 1) * 3} tasks (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await flush(true);
  return { loadMs: performance.now() - started, openTasks };
}

const county = { level: 'county', code: '350602' } as const;
const page20 = { limit: 20, offset: 380 };
const taskOrder = { sortDue: 1, _id: 1 } as const;
const caseOrder = { sortDue: 1, receivedAt: -1, _id: 1 } as const;
/** Each list query as the API sends it (api/case-queries.ts): one listKeys key, a sort, a page or a count. */
const listQueries: ListQuery[] = [
  { name: 'tasks, officer (county), page 1', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'region', role: 'officer', area: county }), status: 'open' }, sort: taskOrder, page: { limit: 20, offset: 0 } },
  { name: 'tasks, officer (county), page 20', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'region', role: 'officer', area: county }), status: 'open' }, sort: taskOrder, page: page20 },
  { name: 'tasks, officer (county), count', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'region', role: 'officer', area: county }), status: 'open' }, count: true },
  { name: 'tasks, locality (township), page 1', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'region', role: 'locality_handler', area: { level: 'township', code: '350602001' } }), status: 'open' }, sort: taskOrder, page: { limit: 20, offset: 0 } },
  { name: 'tasks, city supervisor, page 20', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'region', role: 'supervisor', area: { level: 'city', code: '350600' } }), status: 'open' }, sort: taskOrder, page: page20 },
  { name: 'tasks, province supervisor, page 20', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'region', role: 'supervisor', area: { level: 'province', code: '350000' } }), status: 'open' }, sort: taskOrder, page: page20 },
  { name: 'tasks, province supervisor, count', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'region', role: 'supervisor', area: { level: 'province', code: '350000' } }), status: 'open' }, count: true },
  { name: 'tasks, police (unit), page 1', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'unit', role: 'police_liaison', unitId: 'psb-350602' }), status: 'open' }, sort: taskOrder, page: { limit: 20, offset: 0 } },
  { name: 'tasks, view=mine, page 1', collection: 'tasks', pushed: { listKeys: taskListKey({ view: 'mine', userId: 'officer' }), status: 'open' }, sort: taskOrder, page: { limit: 20, offset: 0 } },
  { name: 'case by number', collection: 'cases', pushed: { listKeys: caseListKey(county, { kind: 'any' }), caseNo: '350602-2026-00123' }, sort: caseOrder, page: { limit: 20, offset: 0 } },
  { name: 'cases by status in a county, page 1', collection: 'cases', pushed: { listKeys: caseListKey(county, { kind: 'status', status: 'investigating' }) }, sort: caseOrder, page: { limit: 20, offset: 0 } },
  { name: 'cases by status in a county, count', collection: 'cases', pushed: { listKeys: caseListKey(county, { kind: 'status', status: 'investigating' }) }, count: true },
  { name: 'board: open in a county, count', collection: 'cases', pushed: { listKeys: caseListKey(county, { kind: 'open' }) }, count: true },
  { name: 'board: overdue in the province, count', collection: 'cases', pushed: { listKeys: caseListKey({ level: 'province', code: '350000' }, { kind: 'overdue' }) }, count: true },
  { name: 'board: overdue in the province, first 100', collection: 'cases', pushed: { listKeys: caseListKey({ level: 'province', code: '350000' }, { kind: 'overdue' }) }, sort: caseOrder, page: { limit: 100, offset: 0 } },
  { name: 'board: due tomorrow in the province', collection: 'cases', pushed: { listKeys: caseListKey({ level: 'province', code: '350000' }, { kind: 'dueOn', date: shanghaiDate(new Date(Date.now() + dayMs).toISOString()) }) } },
  { name: 'task by _id', collection: 'tasks', pushed: { _id: 'bench-00000001-t3' } },
];

function benchUser(username: string): AuthenticatedUser {
  const demo = demoUsers.find((candidate) => candidate.username === username)!;
  return { userId: demo.username, name: demo.name, role: demo.role, regionCode: demo.regionCode, unitId: demo.unitId } as AuthenticatedUser;
}

/** Times `queriesPerUser` GETs of `path(i)` as `username`; returns the latencies and the last body. */
async function timeGets(stack: BenchStack, username: string, path: (index: number) => string): Promise<{ latencies: number[]; body: unknown }> {
  const token = await stack.login(username);
  const latencies: number[] = [];
  let body: unknown;
  for (let index = 0; index < queriesPerUser; index += 1) {
    const started = performance.now();
    const response = await fetch(`${stack.baseUrl}${path(index)}`, { headers: { authorization: token } });
    body = await response.json();
    latencies.push(performance.now() - started);
    if (!response.ok) throw new Error(`${path(index)} as ${username}: ${response.status} ${JSON.stringify(body)}`);
  }
  return { latencies, body };
}

async function main(): Promise<void> {
  console.log(`list bench: ${caseCount} cases, ${taskCount} tasks, ${queriesPerUser} queries per user and path`);
  const stack = await startBenchStack({ withWorker: false });
  process.once('exit', () => stack.kill());
  const { loadMs, openTasks } = await load();
  console.log(`load: ${((caseCount + taskCount) / (loadMs / 1000)).toFixed(0)} docs/s (${(loadMs / 1000).toFixed(0)} s); ${openTasks} open tasks`);
  // As `up` does after start: GIN indexes on the filtered fields (scripts/stack/postgres-indexes.ts).
  const indexing = performance.now();
  await stack.postgres.ensureIndexes();
  await stack.postgres.psql('ANALYZE');
  console.log(`GIN indexes and ANALYZE: ${((performance.now() - indexing) / 1000).toFixed(0)} s`);
  console.log('EXPLAIN ANALYZE of each list query as FerretDB sends it (access path | rows matched | ms):');
  for (const query of listQueries) {
    const { access, rows, ms } = await explainListQuery(stack.postgres, 'bench', query);
    console.log(`  ${query.name.padEnd(44)} ${access} | ${rows} | ${ms}`);
  }

  console.log('GET /api/tasks?view=unit, first page and page 20 (goal p95 ≤ 50 ms):');
  const taskLatencies: number[] = [];
  for (const username of ['officer', 'locality', 'supervisor', 'city.supervisor', 'province.supervisor', 'police']) {
    const total = (await listTasks(benchUser(username), { view: 'unit', page: 1, pageSize: 20 })).total;
    const line = [`  ${username.padEnd(20)} ${String(total).padStart(6)} open tasks in the list`];
    for (const page of [1, 20]) {
      const { latencies } = await timeGets(stack, username, () => `/api/tasks?view=unit&page=${page}&pageSize=20`);
      taskLatencies.push(...latencies);
      line.push(`page ${page}: ${describeLatencies(latencies)}`);
    }
    console.log(line.join(' | '));
  }
  const mine = await timeGets(stack, 'officer', (index) => `/api/tasks?view=mine&page=${1 + (index % 20)}&pageSize=20`);
  taskLatencies.push(...mine.latencies);
  console.log(`  officer view=mine, pages 1–20: ${describeLatencies(mine.latencies)}`);
  console.log(`  all: p50 ${percentile(taskLatencies, 50).toFixed(1)} ms, p95 ${percentile(taskLatencies, 95).toFixed(1)} ms`);

  // As the refresher workflow does every 20 passes: count every county and store the figures.
  const recount = performance.now();
  const { counted } = await createBoardActivities().refreshBoardCounts({ all: true, dueSoonDays: 3 });
  console.log(`board refresher, full recount of ${counted} counties: ${((performance.now() - recount) / 1000).toFixed(2)} s`);
  console.log('GET /api/board from stored figures (goal p95 ≤ 200 ms):');
  const boardLatencies: number[] = [];
  for (const username of ['supervisor', 'city.supervisor', 'province.supervisor']) {
    const board = await supervisorBoard(benchUser(username), new Date());
    const { latencies } = await timeGets(stack, username, () => '/api/board');
    boardLatencies.push(...latencies);
    const open = board.rows.reduce((sum, row) => sum + row.open, 0);
    console.log(`  ${username.padEnd(20)} ${board.rows.length} counties, ${open} open, ${board.overdueTotal} overdue | ${describeLatencies(latencies)}`);
  }
  console.log(`  all: p50 ${percentile(boardLatencies, 50).toFixed(1)} ms, p95 ${percentile(boardLatencies, 95).toFixed(1)} ms`);
  // Between a case change and the next pass (≤ BOARD_REFRESH_SECONDS), a county is counted live.
  await markCountyChanged('350602');
  const live = await timeGets(stack, 'supervisor', () => '/api/board');
  console.log(`  supervisor, 芗城区 changed since its count (counted live): ${describeLatencies(live.latencies)}`);

  console.log('Cases, as the officer of 芗城区 (goal p95 ≤ 50 ms):');
  const numbers = (await listCases(benchUser('officer'), { page: 1, pageSize: 100 })).items.map((item) => item.caseNo);
  const byNumber = await timeGets(stack, 'officer', (index) => `/api/cases?caseNo=${encodeURIComponent(numbers[index % numbers.length]!)}`);
  const found = (byNumber.body as { total: number }).total;
  console.log(`  by number (GET /api/cases?caseNo=…, ${found} found)  ${describeLatencies(byNumber.latencies)}`);
  const statuses = ['received', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing', 'closed'];
  const byStatus = await timeGets(stack, 'officer', (index) => `/api/cases?status=${statuses[index % statuses.length]}&page=${1 + (index % 5)}`);
  const inCounty = (await listCases(benchUser('officer'), { status: 'closed', page: 1, pageSize: 1 })).total;
  console.log(`  by status, pages 1–5 (GET /api/cases?status=…; ${inCounty} closed in the county)  ${describeLatencies(byStatus.latencies)}`);
  await stack.stop();
}

main().catch(async (error) => {
  console.error(error);
  await serversStopped();
  process.exit(1);
});

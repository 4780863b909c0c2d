import type { AuthenticatedUser } from '../api/auth';
import { listTasks } from '../api/case-queries';
import { scopeFilter } from '../api/jurisdiction';
import { regionScope } from '../activities/region-scope';
import { regions } from '../domain/regions';
import { CaseModel } from '../models/case.model';
import { TaskHistoryModel, TaskModel } from '../models/task.model';
import { demoUsers } from '../scripts/demo-data';
import { describeLatencies, envNumber, percentile, serversStopped, startBenchStack } from './lib/bench-stack';
import { explainListQuery, type ListQuery } from './lib/explain';

/**
 * Task-list latency on a loaded read model: BENCH_CASES cases and three times as many tasks
 * (default 100 000 / 300 000) inserted in batches straight into `cases`, `tasks` (the open ones)
 * and `task_history` (the done ones, where the projection moves them), spread over
 * the demo regions with realistic role, status and due-date mixes; then GET /api/tasks over HTTP
 * and listTasks() in process, p50/p95 per user. No Temporal: the read path never touches it.
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
] as const;

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
    const caseNo = `${county}-2026-${String(index).padStart(6, '0')}`;
    const receivedAt = new Date(now - random() * 365 * dayMs);
    const nextDueAt = open ? new Date(now + (random() * 60 - 15) * dayMs) : undefined;
    cases.push({
      _id: caseId, caseNo, revision: 3, status, channel: pick(['hotline', 'complaint', 'patrol', 'online']), category: pick(['water', 'air', 'noise', 'odour', 'solid_waste']),
      description: '基准数据：某企业排放污水', address: '基准地址', regionCode, countyCode: county, scope: regionScope(regionCode),
      escalationLevel: 0, nextDueAt, overdue: Boolean(open && nextDueAt && nextDueAt.getTime() < now), clocks: [], relatedComplaints: [], documents: [],
      idempotencyKey: caseId, receivedAt, createdAt: receivedAt, updatedAt: receivedAt,
    });
    // Three tasks per case: the open case's last one is open, every earlier one is done.
    for (let taskIndex = 0; taskIndex < 3; taskIndex += 1) {
      const spec = pick(taskKinds);
      const taskOpen = open && taskIndex === 2;
      if (taskOpen) openTasks += 1;
      const taskRegion = spec.level === 'township' ? regionCode : spec.level === 'city' ? (regionScope(county).city ?? county) : county;
      const dueAt = new Date(now + (random() * 60 - 15) * dayMs);
      (taskOpen ? tasks : doneTasks).push({
        _id: `${caseId}-t${taskIndex + 1}`, caseId, caseNo, kind: spec.kind, title: `基准任务 ${spec.kind}`, role: spec.role, regionCode: taskRegion,
        scope: regionScope(taskRegion), dueAt, sortDue: dueAt, escalationLevel: 0, status: taskOpen ? 'open' : 'done',
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

/** The equality filters of each list query (what FerretDB pushes down; `$in`, ranges and sorts it does in Go). */
const listQueries: ListQuery[] = [
  { name: 'GET /api/tasks officer (county)', collection: 'tasks', pushed: { role: 'officer', 'scope.county': '350602', status: 'open' } },
  { name: 'GET /api/tasks locality (township)', collection: 'tasks', pushed: { role: 'locality_handler', 'scope.township': '350602001', status: 'open' } },
  { name: 'GET /api/tasks city.supervisor (city)', collection: 'tasks', pushed: { role: 'supervisor', 'scope.city': '350600', status: 'open' } },
  { name: 'GET /api/tasks police (unit)', collection: 'tasks', pushed: { role: 'police_liaison', unitId: 'psb-350602', status: 'open' } },
  { name: 'GET /api/tasks?view=mine', collection: 'tasks', pushed: { assigneeId: 'officer', status: 'open' } },
  { name: 'board (open cases in a county; $in in Go)', collection: 'cases', pushed: { 'scope.county': '350602' } },
  { name: 'case by number', collection: 'cases', pushed: { caseNo: '350602-2026-000123' } },
  { name: 'cases by status in a county', collection: 'cases', pushed: { 'scope.county': '350602', status: 'investigating' } },
  { name: 'task by _id', collection: 'tasks', pushed: { _id: 'bench-00000001-t3' } },
];

async function main(): Promise<void> {
  console.log(`task-list bench: ${caseCount} cases, ${taskCount} tasks, ${queriesPerUser} queries per user and path`);
  const stack = await startBenchStack({ withWorker: false });
  process.once('exit', () => stack.kill());
  const { loadMs, openTasks } = await load();
  console.log(`load: ${((caseCount + taskCount) / (loadMs / 1000)).toFixed(0)} docs/s (${(loadMs / 1000).toFixed(0)} s); ${openTasks} open tasks`);
  // As `up` does after start: GIN indexes on the filtered fields (scripts/stack/postgres-indexes.ts).
  const indexing = performance.now();
  await stack.postgres.ensureIndexes();
  await stack.postgres.psql('ANALYZE');
  console.log(`GIN indexes and ANALYZE: ${((performance.now() - indexing) / 1000).toFixed(0)} s`);
  console.log('EXPLAIN ANALYZE of each list query as FerretDB sends it (access path | rows | ms):');
  for (const query of listQueries) {
    const { access, rows, ms } = await explainListQuery(stack.postgres, 'bench', query);
    console.log(`  ${query.name.padEnd(44)} ${access} | ${rows} | ${ms}`);
  }

  const users = ['officer', 'locality', 'supervisor', 'city.supervisor', 'officer.tongan'];
  const all: number[] = [];
  const allHttp: number[] = [];
  for (const username of users) {
    const demo = demoUsers.find((candidate) => candidate.username === username)!;
    const user = { userId: demo.username, name: demo.name, role: demo.role, regionCode: demo.regionCode } as AuthenticatedUser;
    const token = await stack.login(username);
    const direct: number[] = [];
    const http: number[] = [];
    let total = 0;
    for (let query = 0; query < queriesPerUser; query += 1) {
      const page = 1 + (query % 3);
      const t0 = performance.now();
      const result = await listTasks(user, { view: 'unit', page, pageSize: 20 });
      direct.push(performance.now() - t0);
      total = result.total;
      const t1 = performance.now();
      const response = await fetch(`${stack.baseUrl}/api/tasks?view=unit&page=${page}&pageSize=20`, { headers: { authorization: token } });
      await response.json();
      http.push(performance.now() - t1);
    }
    all.push(...direct);
    allHttp.push(...http);
    console.log(`${username.padEnd(16)} ${String(total).padStart(6)} open tasks in scope | listTasks ${describeLatencies(direct)} | GET /api/tasks ${describeLatencies(http)}`);
  }
  console.log(`all users: listTasks p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms; GET /api/tasks p50 ${percentile(allHttp, 50).toFixed(1)} ms, p95 ${percentile(allHttp, 95).toFixed(1)} ms (goal p95 ≤ 50 ms)`);

  // Query shapes, one at a time, for the officer's list: what the backend does with each part.
  const officer = { regionCode: '350602' };
  const filter = { role: 'officer', ...scopeFilter(officer), status: 'open' };
  const shapes: [string, () => Promise<unknown>][] = [
    ['find(filter).sort(sortDue).limit(20)', () => TaskModel.find(filter).sort({ sortDue: 1 }).limit(20).lean()],
    ['find(filter).limit(20) (no sort)', () => TaskModel.find(filter).limit(20).lean()],
    ['countDocuments(filter)', () => TaskModel.countDocuments(filter)],
    ['find(filter, projection _id+sortDue) sorted', () => TaskModel.find(filter).select({ _id: 1, sortDue: 1 }).sort({ sortDue: 1 }).limit(20).lean()],
    ['findById', () => TaskModel.findById('bench-00000001-t3').lean()],
    ['cases by number (findOne caseNo)', () => CaseModel.findOne({ caseNo: '350602-2026-000123' }).lean()],
  ];
  for (const [name, run] of shapes) {
    const latencies: number[] = [];
    for (let query = 0; query < Math.min(queriesPerUser, 20); query += 1) {
      const t0 = performance.now();
      await run();
      latencies.push(performance.now() - t0);
    }
    console.log(`  ${name.padEnd(62)} ${describeLatencies(latencies)}`);
  }
  await stack.stop();
}

main().catch(async (error) => {
  console.error(error);
  await serversStopped();
  process.exit(1);
});

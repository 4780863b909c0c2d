import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedMongo, startTemporalDevServer, type StartedPostgres } from './stack/embedded-servers';
import { canConnect, startProcess, waitFor, type ManagedProcess } from './stack/processes';
import { supervise, type SupervisedProcess } from './stack/supervisor';
import { toolPaths } from './stack/tool-paths';
import { connectMongo } from '../config/mongo';
import { generateCodecKeys } from '../config/payload-codec';
import { demoPassword, demoUsers, seedDemoUsers } from './demo-data';
import { migrateReadModel } from '../read-model/read-model-migration';

/**
 * Command 1: the whole system on its embedded default. Starts the Temporal dev server (SQLite
 * under .data/, UI on :8233) and FerretDB on a PostgreSQL cluster in .data/postgres unless
 * TEMPORAL_ADDRESS / MONGODB_URI point elsewhere, seeds demo users, then runs the worker and the
 * API on :3000, restarting either when it crashes (and giving up when it keeps crashing).
 * Ctrl-C or SIGTERM stops every process it started; data stays in .data/ for the next start.
 */
async function main(): Promise<void> {
  const root = toolPaths.projectRoot;
  const dataDir = path.join(root, '.data');
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const started: ManagedProcess[] = [];
  const supervised: SupervisedProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    for (const child of [...supervised].reverse()) await child.stop();
    for (const server of [...started].reverse()) await server.stop();
    await mongoose.disconnect().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (!env.TEMPORAL_ADDRESS) {
      await assertPortFree(7233, 'Temporal (set TEMPORAL_ADDRESS to use a running server)');
      console.log('starting Temporal dev server (UI http://127.0.0.1:8233)…');
      const temporal = await startTemporalDevServer({ port: 7233, uiPort: 8233, uiCodecEndpoint: `http://127.0.0.1:${env.PORT ?? '3000'}/codec`, dbFile: path.join(dataDir, 'temporal.db'), logFile: path.join(logDir, 'temporal.log') });
      started.push(temporal.process);
      env.TEMPORAL_ADDRESS = temporal.address;
    }
    let postgres: StartedPostgres | undefined;
    if (!env.MONGODB_URI) {
      await assertPortFree(27017, 'FerretDB (set MONGODB_URI to use a running MongoDB)');
      console.log('starting PostgreSQL (.data/postgres) and FerretDB on it…');
      const mongo = await startEmbeddedMongo({ port: 27017, dataDir: path.join(dataDir, 'postgres'), logDir });
      started.push(...mongo.processes);
      postgres = mongo.postgres;
      env.MONGODB_URI = mongo.address;
    }
    env.SESSION_SECRET ??= persistentSecret(path.join(dataDir, 'session-secret'));
    env.AUDIT_ANCHOR_KEY ??= persistentSecret(path.join(dataDir, 'audit-anchor-key'));
    env.PAYLOAD_CODEC_KEYS ??= persistentSecret(path.join(dataDir, 'payload-codec-keys'), generateCodecKeys);
    env.PORT ??= '3000';

    await connectMongo({ MONGODB_URI: env.MONGODB_URI, MONGODB_DB: env.MONGODB_DB ?? 'envcase' });
    const created = await seedDemoUsers();
    // Data kept from an earlier version gets what today's lists read (idempotent, quick when done).
    await migrateReadModel();
    await mongoose.disconnect();
    console.log(created > 0 ? `seeded ${created} demo users` : 'demo users already present');
    // The collections exist now (connectMongo created their indexes), so their tables can get the
    // GIN indexes PostgreSQL uses for FerretDB's filters.
    await postgres?.ensureIndexes();

    const node = (name: 'worker' | 'api', script: string) =>
      supervise(name, () => startProcess(name, process.execPath, [path.join(root, script)], { logFile: path.join(logDir, `${name}.log`), env }), {
        report: (message) => console.error(`${message}; see .data/logs/${name}.log`),
        onGiveUp: (message) => {
          console.error(`${message}; see .data/logs/${name}.log. Stopping.`);
          void stopAll(1);
        },
      });
    const worker = node('worker', 'dist/worker/main.js');
    supervised.push(worker);
    const api = node('api', 'dist/api/server.js');
    supervised.push(api);
    const port = Number(env.PORT);
    // No `process` to watch: a crash during start is restarted like any other.
    await waitFor('API /health', async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, { timeoutMs: 120_000 });
    const seededCases = await seedDemoCases(`http://127.0.0.1:${port}`);
    console.log(`demo cases: ${seededCases} registered or already present`);
    await postgres?.ensureIndexes();
    console.log(`
EnvCase is up.
  Pages and API   http://127.0.0.1:${port}/        (health: http://127.0.0.1:${port}/health)
  OpenAPI         http://127.0.0.1:${port}/api/openapi.json
  Temporal UI     ${started.some((server) => server.name === 'temporal') ? 'http://127.0.0.1:8233' : '(external Temporal)'}
  Logs            .data/logs/
Demo logins (password "${demoPassword}"):
${demoUsers.map((user) => `  ${user.username.padEnd(20)} ${user.role.padEnd(17)} ${user.regionCode}  ${user.name}`).join('\n')}
Press Ctrl-C to stop.`);
  } catch (error) {
    console.error((error as Error).message);
    await stopAll(1);
  }
}

/**
 * A few demo cases in the Jiulong River basin, registered through the API like any intake.
 * Fixed idempotency keys make a restart find them instead of adding more.
 */
async function seedDemoCases(baseUrl: string): Promise<number> {
  const token = async (username: string) => {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: demoPassword }),
    });
    if (!response.ok) throw new Error(`demo login ${username} failed: ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  };
  const intakes: [string, Record<string, unknown>][] = [
    ['officer', { channel: 'hotline', category: 'water', description: '九龙江北溪支流排污口夜间排放黄色污水，河面泛白沫', location: { address: '漳州市芗城区东铺头街道北溪沿岸', regionCode: '350602001', coordinates: { lng: 117.652, lat: 24.518 } }, subject: { name: '漳州某印染有限公司', creditCode: '91350100M000100Y43' }, reporter: { anonymous: false, name: '林女士', phone: '13905960000' }, idempotencyKey: 'demo-case-hotline-0001' }],
    ['grid', { channel: 'patrol', category: 'rubbish_burning_dumping', description: '村道旁堆放建筑垃圾并有焚烧痕迹', location: { address: '漳州市芗城区东铺头街道某村道', regionCode: '350602001', coordinates: { lng: 117.661, lat: 24.507 } }, idempotencyKey: 'demo-case-patrol-0001' }],
    ['officer', { channel: 'online', category: 'noise', description: '工地夜间22点后仍在施工，噪声扰民', location: { address: '漳州市芗城区西桥街道某小区旁', regionCode: '350602002' }, reporter: { anonymous: true }, idempotencyKey: 'demo-case-online-0001' }],
  ];
  let count = 0;
  for (const [username, intake] of intakes) {
    const response = await fetch(`${baseUrl}/api/intakes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(username)}` },
      body: JSON.stringify(intake),
    });
    if (response.ok) count += 1;
    else console.warn(`demo case not registered: ${response.status} ${await response.text()}`);
  }
  return count;
}

async function assertPortFree(port: number, what: string): Promise<void> {
  if (await canConnect('127.0.0.1', port)) throw new Error(`port ${port} is already in use; cannot start ${what}`);
}

/** A secret kept in the data folder, so sessions (and encrypted histories) survive a restart. */
function persistentSecret(file: string, generate = () => randomBytes(32).toString('hex')): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = generate();
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

void main();

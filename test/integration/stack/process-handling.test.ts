import { generateCodecKeys } from '../../../config/payload-codec';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startProcess } from '../../../scripts/stack/processes';
import { supervise } from '../../../scripts/stack/supervisor';

jest.setTimeout(120_000);

const root = path.resolve(__dirname, '../../..');
/** Running, not a zombie waiting for whoever adopted it to reap it. */
const isAlive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('process handling of up and the stacks', () => {
  test('when a supervised child is killed, then it is restarted with a new pid and the restart is reported', async () => {
    const reports: string[] = [];
    const child = supervise('sleeper', () => startProcess('sleeper', 'sleep', ['300']), {
      policy: { maxCrashes: 5, windowMs: 60_000, baseDelayMs: 200, maxDelayMs: 1_000 },
      report: (message) => reports.push(message),
      onGiveUp: (message) => reports.push(`gave up: ${message}`),
    });
    try {
      const first = child.current().child.pid!;
      process.kill(first, 'SIGKILL');
      await until('restart', () => child.current().child.pid !== first && child.current().child.pid !== undefined);
      expect(isAlive(child.current().child.pid!)).toBe(true);
      expect(reports[0]).toMatch(/sleeper exited with signal SIGKILL; restarting in 0\.2 s/);
      expect(reports[1]).toMatch(/sleeper restarted/);
    } finally {
      await child.stop();
    }
  });

  test('when a supervised child keeps crashing, then the supervisor gives up instead of looping', async () => {
    let gaveUp = '';
    const child = supervise('crasher', () => startProcess('crasher', 'false', []), {
      policy: { maxCrashes: 3, windowMs: 60_000, baseDelayMs: 50, maxDelayMs: 100 },
      report: () => undefined,
      onGiveUp: (message) => (gaveUp = message),
    });
    await until('giving up', () => gaveUp !== '');
    expect(gaveUp).toMatch(/crasher exited with code 1: 3 crashes within 60 s, not restarting/);
    await child.stop();
  });

  test('when the parent is SIGKILLed, then the children it started do not live on', async () => {
    // A parent that starts a server-like child through startProcess and prints its pid.
    const script = `require(${JSON.stringify(path.join(root, 'bench/documents/register-swc.js'))});
      const { startProcess } = require(${JSON.stringify(path.join(root, 'scripts/stack/processes.ts'))});
      const started = startProcess('sleeper', 'sleep', ['300']);
      console.log(started.child.pid);
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve) => parent.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
    expect(isAlive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await until('the orphan to die', () => !isAlive(childPid));
  });

  test('when the API cannot listen because the port is taken, then it exits non-zero saying so', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const result = spawnSync(process.execPath, ['--require', path.join(root, 'bench/documents/register-swc.js'), path.join(root, 'api/server.ts')], {
        env: { ...process.env, PORT: String(port), SESSION_SECRET: 'listen-test-secret-listen-test', PAYLOAD_CODEC_KEYS: generateCodecKeys(), MONGODB_DB: 'listen_test', LOG_LEVEL: 'fatal', NODE_ENV: 'development' },
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`端口 ${port} 已被占用`);
    } finally {
      blocker.close();
    }
  });
});

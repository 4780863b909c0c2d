import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** A server process we started and must stop; `stop` waits for it to exit. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not allocate a port'));
      });
    });
  });
}

export function assertExecutable(file: string, hint: string): void {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new Error(`${file} is missing or not executable. ${hint}`);
  }
}

export interface StartProcessOptions {
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  /** System user to run as when we are root (PostgreSQL refuses to run as root). */
  user?: string;
  /** How to ask the process to stop; PostgreSQL's fast shutdown is SIGINT. */
  stopSignal?: NodeJS.Signals;
  /** How long `stop` waits before SIGKILL. */
  stopTimeoutMs?: number;
}

/** Children still running, killed (whole process group) if we exit without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function startProcess(name: string, command: string, args: string[], options: StartProcessOptions = {}): ManagedProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killLeftovers);
  }
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  const child = spawn('setpriv', [...setprivArgs(options.user, stopSignal), '--', command, ...args], {
    stdio: ['ignore', out, out],
    env: { ...process.env, ...options.env },
    // Own process group, so that a Ctrl-C in the terminal reaches us first and we stop
    // each server in order instead of racing their own signal handling.
    detached: true,
  });
  if (typeof out === 'number') fs.closeSync(out);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return {
    name,
    child,
    stop: () => stopChild(child, stopSignal, options.stopTimeoutMs ?? 10_000),
  };
}

/**
 * setpriv execs the command in place (same pid) after setting the parent-death signal, so a
 * child hears of our death even when we are SIGKILLed and cannot clean up; it also switches to
 * an unprivileged user when one is asked for and we are root.
 */
export function setprivArgs(user: string | undefined, deathSignal: NodeJS.Signals): string[] {
  const args = ['--pdeathsig', deathSignal.replace(/^SIG/, '')];
  if (user && process.getuid?.() === 0) args.unshift('--reuid', user, '--regid', user, '--init-groups');
  return args;
}

function killLeftovers(): void {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `probe` until it resolves true; servers on a loaded 2-core machine may take a while. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  { timeoutMs = 60_000, intervalMs = 200, process: watched }: { timeoutMs?: number; intervalMs?: number; process?: ManagedProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (watched && watched.child.exitCode !== null) {
      throw new Error(`${what}: the process exited with code ${watched.child.exitCode} before it was ready`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

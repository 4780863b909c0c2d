import fs from 'node:fs';
import type { ManagedProcess } from '../../scripts/stack/processes';
import { pidFile } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { envcaseServers?: ManagedProcess[] }).envcaseServers ?? [];
  await Promise.all(started.map((server) => server.stop()));
  fs.rmSync(pidFile, { force: true });
}

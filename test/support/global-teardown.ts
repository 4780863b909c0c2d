import fs from 'node:fs';
import type { ManagedProcess } from '../../scripts/stack/processes';
import { pidFile } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { envcaseServers?: ManagedProcess[] }).envcaseServers ?? [];
  // Reverse start order: FerretDB before the PostgreSQL cluster under it.
  for (const server of [...started].reverse()) await server.stop();
  fs.rmSync(pidFile, { force: true });
}

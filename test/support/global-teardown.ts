import type { ManagedProcess } from '../../scripts/stack/processes';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { envcaseServers?: ManagedProcess[] }).envcaseServers ?? [];
  await Promise.all(started.map((server) => server.stop()));
}

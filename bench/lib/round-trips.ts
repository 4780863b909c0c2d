import { AsyncLocalStorage } from 'node:async_hooks';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import mongoose from 'mongoose';

/**
 * What one workflow run cost Temporal, read from its history. Workflow tasks and activity tasks
 * are the round trips between worker and server (each is a poll, a dispatch and a completion);
 * a local activity runs inside a workflow task and leaves only a marker. Updates, timers, search
 * attribute upserts and patch markers are events within those tasks.
 */
export interface RoundTrips {
  workflowTasks: number;
  activityTasks: number;
  localActivities: number;
  updates: number;
  timers: number;
  patchMarkers: number;
  searchAttributeUpserts: number;
  events: number;
}

export const roundTripLabels: Record<keyof RoundTrips, string> = {
  workflowTasks: 'workflow tasks',
  activityTasks: 'activity tasks',
  localActivities: 'local activities (markers)',
  updates: 'updates',
  timers: 'timers started',
  patchMarkers: 'patch markers',
  searchAttributeUpserts: 'search attribute upserts',
  events: 'history events',
};

/** Core SDK's marker names (sdk-core: `LOCAL_ACTIVITY_MARKER_NAME`, `HAS_CHANGE_MARKER_NAME`). */
const localActivityMarker = 'core_local_activity';
const patchMarker = 'core_patch';

export function countRoundTrips(history: temporal.api.history.v1.IHistory): RoundTrips {
  const counts: RoundTrips = { workflowTasks: 0, activityTasks: 0, localActivities: 0, updates: 0, timers: 0, patchMarkers: 0, searchAttributeUpserts: 0, events: 0 };
  for (const event of history.events ?? []) {
    counts.events += 1;
    if (event.workflowTaskScheduledEventAttributes) counts.workflowTasks += 1;
    if (event.activityTaskScheduledEventAttributes) counts.activityTasks += 1;
    if (event.workflowExecutionUpdateAcceptedEventAttributes) counts.updates += 1;
    if (event.timerStartedEventAttributes) counts.timers += 1;
    if (event.upsertWorkflowSearchAttributesEventAttributes) counts.searchAttributeUpserts += 1;
    const marker = event.markerRecordedEventAttributes?.markerName;
    if (marker === localActivityMarker) counts.localActivities += 1;
    if (marker === patchMarker) counts.patchMarkers += 1;
  }
  return counts;
}

export async function roundTripsOf(handle: WorkflowHandle): Promise<RoundTrips> {
  return countRoundTrips(await handle.fetchHistory());
}

/** The read-model operations (collection.method) a call makes itself, not those of concurrent work such as the worker's activities. */
export async function readModelCallsOf<T>(call: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const calls: string[] = [];
  const scope = new AsyncLocalStorage<string[]>();
  mongoose.set('debug', (collection: string, method: string) => {
    scope.getStore()?.push(`${collection}.${method}`);
  });
  try {
    const result = await scope.run(calls, call);
    return { result, calls };
  } finally {
    mongoose.set('debug', false);
  }
}

export function formatRoundTrips(counts: RoundTrips, readModelCalls: string[]): string {
  const rows = (Object.keys(roundTripLabels) as (keyof RoundTrips)[]).map((key) => `  ${roundTripLabels[key].padEnd(28)} ${counts[key]}`);
  rows.push(`  ${'API read-model calls'.padEnd(28)} ${readModelCalls.length}${readModelCalls.length > 0 ? ` (${readModelCalls.join(', ')})` : ''}`);
  return rows.join('\n');
}

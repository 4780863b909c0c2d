// A case's timeline (`case_events`): one row per workflow event, written once.
import type { CaseEvent } from '../domain/case-state';
import { CaseEventModel } from '../models/case-event.model';
import { insertIgnoringDuplicates } from './insert-ignoring-duplicates';

/** Appends the events of a case; an event already stored (same case and seq) is left as it is. */
export async function appendTimelineEntries(caseId: string, events: readonly CaseEvent[]): Promise<void> {
  if (events.length === 0) return;
  await insertIgnoringDuplicates(
    CaseEventModel,
    events.map((event) => ({
      _id: `${caseId}:${event.seq}`,
      caseId,
      seq: event.seq,
      at: new Date(event.at),
      type: event.type,
      summary: event.summary,
      actor: event.actor,
      data: event.data,
    })),
  );
}

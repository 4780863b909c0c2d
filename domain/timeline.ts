// The timeline entry every machine writes the same way: the next sequence number, who did it
// (only the fields the trace may keep), and a place in the list the workflow projects next.
// Imports types only, so case-machine, referral-case and referral-machine can all use it
// without an import cycle between them.
import type { CaseEvent } from './case-state';
import type { Actor } from './roles';

/** Whatever keeps a timeline: a case, or a referral. */
export interface Timeline {
  eventSeq: number;
  unprojectedEvents: CaseEvent[];
}

export function recordEvent(
  timeline: Timeline,
  at: string,
  type: string,
  summary: string,
  actor?: Actor,
  data?: Record<string, unknown>,
): CaseEvent {
  timeline.eventSeq += 1;
  const event: CaseEvent = {
    seq: timeline.eventSeq,
    at,
    type,
    summary,
    actor: actor && { userId: actor.userId, name: actor.name, role: actor.role, regionCode: actor.regionCode, ip: actor.ip },
    data,
  };
  timeline.unprojectedEvents.push(event);
  return event;
}

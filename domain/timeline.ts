// The timeline entry every machine writes the same way: the next sequence number, who did it
// (only the fields the trace may keep), and a place in the list the workflow projects next.
// Imports types only, so case-machine, referral-case and referral-machine can all use it
// without an import cycle between them.
import { policeUnitName } from './police-units';
import type { CaseEvent } from './case-state';
import { findRegion, regionPath } from './regions';
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
    summary: readableSummary(summary),
    actor: actor && { userId: actor.userId, name: actor.name, role: actor.role, regionCode: actor.regionCode, ip: actor.ip },
    data,
  };
  timeline.unprojectedEvents.push(event);
  return event;
}

const beijingOffsetMs = 8 * 3_600_000;

/**
 * An instant as people read it on a timeline, in Beijing time: 2026年12月20日, with the time of
 * day only when it is not the end of a day (day periods end at 23:59:59.999).
 */
export function chineseDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const local = new Date(ms + beijingOffsetMs);
  const date = `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
  const hours = local.getUTCHours();
  const minutes = local.getUTCMinutes();
  const endOfDay = hours === 23 && minutes === 59;
  const isoDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return endOfDay || isoDateOnly ? date : `${date} ${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** A region by its name: a township with its county (芗城区东铺头街道), a county with its city. */
export function regionDisplayName(code: string): string {
  const path = regionPath(code);
  if (!path) return code;
  const own = path[path.length - 1]!;
  const parent = path[path.length - 2];
  return own.level === 'township' || own.level === 'county' ? `${parent?.name ?? ''}${own.name}` : own.name;
}


const isoInstant = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;
const isoDate = /(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])/g;
const policeUnitId = /psb-\d{6}/g;
const bracketedRegionCode = /[（(](\d{6}|\d{9}|\d{12})[）)]/g;

/**
 * Timeline text for people: ISO instants and dates as Chinese dates, unit ids and region codes
 * in brackets as names. Applied when an event is recorded and again when older events are shown.
 */
export function readableSummary(summary: string): string {
  return summary
    .replace(isoInstant, (iso) => chineseDateTime(iso))
    .replace(isoDate, (date) => chineseDateTime(date))
    .replace(policeUnitId, (id) => policeUnitName(id))
    .replace(bracketedRegionCode, (whole, code: string) => (findRegion(code) ? `（${regionDisplayName(code)}）` : whole));
}

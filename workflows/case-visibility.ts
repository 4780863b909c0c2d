import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Clock } from '../domain/case-state';
import { shanghaiDate } from '../domain/periods';

/**
 * What makes a case findable and its timer readable in the Temporal UI and CLI: the search
 * attributes registered on every server (CaseNo, CaseStatus, RegionCode, all Keyword), and a
 * summary on each timer naming the deadline it waits for.
 */

export const caseNoSearchAttribute = { name: 'CaseNo', type: 'KEYWORD' } as const;
export const caseStatusSearchAttribute = { name: 'CaseStatus', type: 'KEYWORD' } as const;
export const regionCodeSearchAttribute = { name: 'RegionCode', type: 'KEYWORD' } as const;

/** Patch id: cases recorded before it set no search attributes and named no timers. */
export const caseVisibilityPatch = 'case-search-attributes-and-timer-summaries';

export interface VisibleCase {
  caseNo: string;
  status: string;
  countyCode: string;
}

/**
 * Upserts the three attributes when any of them changed since the last call; returns what is
 * now set, for the next comparison. Upserting only on change keeps one history event per
 * transition, not one per projection.
 */
export function upsertCaseSearchAttributes(current: VisibleCase, last: VisibleCase | undefined): VisibleCase | undefined {
  if (!patched(caseVisibilityPatch)) return last;
  if (last && last.caseNo === current.caseNo && last.status === current.status && last.countyCode === current.countyCode) return last;
  const pairs: SearchAttributeUpdatePair[] = [
    { key: caseNoSearchAttribute, value: current.caseNo },
    { key: caseStatusSearchAttribute, value: current.status },
    { key: regionCodeSearchAttribute, value: current.countyCode },
  ];
  upsertSearchAttributes(pairs);
  return { caseNo: current.caseNo, status: current.status, countyCode: current.countyCode };
}

type TimedClock = Pick<Clock, 'label' | 'status' | 'reminded' | 'reminderAt' | 'ladder' | 'escalationLevel'>;

/** Ladder index i is overdue level i + 1 (domain/case-machine's names). */
export const caseLevelNames = ['到期', '逾期升县级督办', '逾期升市级督办', '逾期升省级挂牌督办'] as const;
export const referralLevelNames = ['到期', '逾期升县级督办', '逾期升市级督办', '逾期升联合挂牌督办'] as const;

/**
 * The summary of the timer set to `wakeAt`: which clock and which of its events (reminder, due,
 * an overdue level) falls then, e.g. "责令改正期限 到期 2026-12-20". Mirrors nextWakeAt.
 */
export function timerSummary(clocks: Iterable<TimedClock | undefined>, wakeAt: string, levelNames: readonly string[] = caseLevelNames): string {
  const names: string[] = [];
  for (const clock of clocks) {
    if (!clock || clock.status !== 'running') continue;
    if (!clock.reminded && clock.reminderAt === wakeAt) names.push(`${clock.label} 到期提醒`);
    if (clock.ladder[clock.escalationLevel] === wakeAt) names.push(`${clock.label} ${levelNames[clock.escalationLevel] ?? `逾期第${clock.escalationLevel + 1}级`}`);
  }
  const what = names.length > 0 ? names.join('；') : '期限';
  return `${what} ${shanghaiDate(wakeAt)}`;
}

/** The summary of a closed case's last timer: the review window ends and so does the workflow. */
export function reviewWindowSummary(endsAtMs: number): string {
  return `复查复核期满，流程结束 ${shanghaiDate(new Date(endsAtMs).toISOString())}`;
}

/** Timer options for the loop's wait; none for runs recorded before the patch. */
export function timerOptions(summary: () => string): { summary?: string } {
  return patched(caseVisibilityPatch) ? { summary: summary() } : {};
}

// The keys that put a task or a case row on the lists people open all day. Each list is one
// equality on the row's `listKeys` array (plus, for cases, optional top-level equalities), so
// FerretDB on PostgreSQL hands filter, sort, page and count to PostgreSQL and a GIN index on
// `listKeys` serves it; MongoDB serves the same filter from a multikey index. A dotted
// `scope.county` filter would be applied in FerretDB after fetching every row in scope.
import { isOpenStatus } from './case-lifecycle';
import { shanghaiDate } from './periods';
import { regionPath, type RegionLevel } from './regions';
import type { Role } from './roles';

/** Where a list is drawn: the user's region (any level) or, for the police, their unit. */
export interface RegionArea {
  level: RegionLevel;
  code: string;
}

export type TaskListView =
  | { view: 'mine'; userId: string }
  | { view: 'unit'; role: Role; unitId: string }
  | { view: 'region'; role: Role; area: RegionArea };

/** What `tasks` rows carry so each view below is one key. */
export interface TaskKeyFields {
  role: Role;
  regionCode: string;
  unitId?: string;
  assigneeId?: string;
}

export function taskListKey(view: TaskListView): string {
  switch (view.view) {
    case 'mine':
      return `assignee:${view.userId}`;
    case 'unit':
      return `${view.role}|unit:${view.unitId}`;
    case 'region':
      return `${view.role}|${view.area.level}:${view.area.code}`;
  }
}

/** Every key under which an open task is listed: its role at each level of its region, its unit, its assignee. */
export function taskListKeys(task: TaskKeyFields): string[] {
  const keys = (regionPath(task.regionCode) ?? []).map((region) => taskListKey({ view: 'region', role: task.role, area: region }));
  if (task.unitId) keys.push(taskListKey({ view: 'unit', role: task.role, unitId: task.unitId }));
  if (task.assigneeId) keys.push(taskListKey({ view: 'mine', userId: task.assigneeId }));
  return keys;
}

export type CaseStatusFilter =
  | { kind: 'any' }
  | { kind: 'open' }
  | { kind: 'overdue' }
  /** Open, not overdue, next deadline on this calendar day (Asia/Shanghai, yyyy-mm-dd). */
  | { kind: 'dueOn'; date: string }
  | { kind: 'status'; status: string };

export function caseListKey(area: RegionArea, filter: CaseStatusFilter): string {
  const region = `${area.level}:${area.code}`;
  switch (filter.kind) {
    case 'any':
      return region;
    case 'open':
      return `${region}|open`;
    case 'overdue':
      return `${region}|overdue`;
    case 'dueOn':
      return `${region}|due:${filter.date}`;
    case 'status':
      return `${region}|status:${filter.status}`;
  }
}

/**
 * Every key under which a case is listed: its region at each level, alone, with its status, as
 * open work and, while a clock of an open case has run out, as overdue; an open case not yet
 * overdue also by the day its next deadline falls on, so "due within 3 days" reads a few days'
 * keys instead of sorting every open case.
 */
export function caseListKeys(row: { regionCode: string; status: string; overdue: boolean; nextDueAt?: Date | string }): string[] {
  const open = isOpenStatus(row.status);
  const dueOn = open && !row.overdue && row.nextDueAt ? shanghaiDate(new Date(row.nextDueAt).toISOString()) : undefined;
  return (regionPath(row.regionCode) ?? []).flatMap((region) => {
    const keys = [caseListKey(region, { kind: 'any' }), caseListKey(region, { kind: 'status', status: row.status })];
    if (open) keys.push(caseListKey(region, { kind: 'open' }));
    if (open && row.overdue) keys.push(caseListKey(region, { kind: 'overdue' }));
    if (dueOn) keys.push(caseListKey(region, { kind: 'dueOn', date: dueOn }));
    return keys;
  });
}

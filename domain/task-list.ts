// Open tasks of a case or a referral: both number them per owner, date them by the clock
// that owns their work, and close them by marking, never by removing (the read model moves
// done tasks from `tasks` to `task_history`). The task kinds and clock ids differ; the bookkeeping is one.
import type { Role } from './roles';

/** The fields a case task and a referral task share. */
export interface ListedTask {
  taskId: string;
  kind: string;
  role: Role;
  regionCode: string;
  unitId?: string;
  dueAt?: string;
  clockId?: string;
  escalationLevel: number;
  status: 'open' | 'done';
  createdAt: string;
  closedAt?: string;
  title: string;
}

export type NewTask<T extends ListedTask> = Pick<T, 'kind' | 'role' | 'regionCode' | 'title'> &
  Partial<Pick<T, 'unitId' | 'clockId' | 'escalationLevel'>>;

export interface TaskOwner<T extends ListedTask> {
  taskSeq: number;
  tasks: T[];
  clocks: Partial<Record<string, { dueAt: string; escalationLevel: number }>>;
}

/**
 * The same piece of work: one kind, for one step (its clock, or its title where it has none), for
 * the same role, region and unit, and at the same 督办 level where the spec names one.
 */
export function isSameStep<T extends ListedTask>(task: T, spec: NewTask<T>): boolean {
  return (
    task.kind === spec.kind &&
    task.clockId === spec.clockId &&
    task.role === spec.role &&
    task.regionCode === spec.regionCode &&
    task.unitId === spec.unitId &&
    (spec.escalationLevel === undefined || task.escalationLevel === spec.escalationLevel) &&
    (spec.clockId !== undefined || task.title === spec.title)
  );
}

/**
 * Adds an open task `<idPrefix>-t<n>`, due when its clock is (if it has one). A task kind exists at
 * most once per step: asked again for an open task's step (`onePerStep`, the default), it returns
 * that task, due when its clock now is, instead of listing the same work twice.
 */
export function addTask<T extends ListedTask>(owner: TaskOwner<T>, idPrefix: string, now: string, spec: NewTask<T>, options: { onePerStep?: boolean } = {}): T {
  if (options.onePerStep ?? true) {
    const existing = owner.tasks.find((task) => task.status === 'open' && isSameStep(task, spec));
    if (existing) {
      if (spec.clockId) existing.dueAt = owner.clocks[spec.clockId]?.dueAt;
      return existing;
    }
  }
  owner.taskSeq += 1;
  const task = {
    taskId: `${idPrefix}-t${owner.taskSeq}`,
    kind: spec.kind,
    role: spec.role,
    regionCode: spec.regionCode,
    unitId: spec.unitId,
    clockId: spec.clockId,
    dueAt: spec.clockId ? owner.clocks[spec.clockId]?.dueAt : undefined,
    escalationLevel: spec.escalationLevel ?? 0,
    status: 'open',
    createdAt: now,
    title: spec.title,
  } as T;
  owner.tasks.push(task);
  return task;
}

/** Marks done every open task that `matches`. */
export function closeTasksWhere<T extends ListedTask>(tasks: T[], now: string, matches: (task: T) => boolean): void {
  for (const task of tasks) {
    if (task.status === 'open' && matches(task)) {
      task.status = 'done';
      task.closedAt = now;
    }
  }
}

/** After a clock's due instant moved: its open tasks show the new due and overdue level. */
export function syncTaskDue<T extends ListedTask>(owner: TaskOwner<T>, clockId: string): void {
  const clock = owner.clocks[clockId];
  for (const task of owner.tasks) {
    if (task.status === 'open' && task.clockId === clockId && clock) {
      task.dueAt = clock.dueAt;
      task.escalationLevel = clock.escalationLevel;
    }
  }
}

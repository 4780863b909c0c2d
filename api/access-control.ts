import type { RequestHandler } from 'express';
import type { Channel } from '../domain/case';
import type { CaseCommand } from '../domain/case-commands';
import { assertCanPerform } from '../domain/case-machine';
import type { CaseState, ClockId } from '../domain/case-state';
import type { DocumentKind } from '../domain/documents';
import { isDomainError } from '../domain/errors';
import { actionPermissions, caseActions, roleLabels, type Actor, type CaseAction, type Role } from '../domain/roles';
import type { AuthenticatedUser } from './auth';
import { HttpError } from './http-errors';
export { canSeeCase, canSeeComplainant, narrowedArea, userArea } from './jurisdiction';

/**
 * Who may do what, in one place: the API routes and the server-rendered pages both ask this
 * module, and the case workflow's validator asks the same domain table (`actionPermissions`),
 * so the three can never disagree. Three layers:
 *  1. role × endpoint (this table): may this role call this endpoint at all?
 *  2. jurisdiction (userArea / canSeeCase): a user sees and acts inside their region subtree;
 *     a case outside it is answered with 404, so its existence is not disclosed.
 *  3. role × case action (domain/roles actionPermissions + the state machine guards): may this
 *     user take this action on this case now?
 * Complainant identity is a separate duty: canSeeComplainant / presentCase strip it for
 * everyone but the registering team and its supervisors.
 */
export const endpoints = [
  'intake.register',
  'cases.list',
  'cases.read',
  'cases.act',
  'tasks.list',
  'board.read',
  'audit.verify',
  'audit.anchors',
  'logins.locks',
] as const;
export type Endpoint = (typeof endpoints)[number];

export const endpointPermissions: Record<Endpoint, readonly Role[]> = {
  // Which channels each role may register is narrower: see intakeChannelRoles.
  'intake.register': ['grid_member', 'officer', 'supervisor'],
  // The police liaison sees only the referrals addressed to their unit (DESIGN.md §1), never
  // the case list or a case's full file; referral endpoints grant that access themselves.
  'cases.list': ['grid_member', 'locality_handler', 'officer', 'supervisor', 'admin'],
  'cases.read': ['grid_member', 'locality_handler', 'officer', 'supervisor', 'admin'],
  'cases.act': ['grid_member', 'locality_handler', 'officer', 'supervisor'],
  'tasks.list': ['grid_member', 'locality_handler', 'officer', 'supervisor', 'police_liaison', 'admin'],
  'board.read': ['supervisor', 'admin'],
  'audit.verify': ['supervisor', 'admin'],
  'audit.anchors': ['admin'],
  'logins.locks': ['admin'],
};

const endpointRefusals: Record<Endpoint, string> = {
  'intake.register': '您的角色不能登记事项',
  'cases.list': '您的角色不能查看案件列表',
  'cases.read': '您的角色不能查看案件详情',
  'cases.act': '您的角色不能办理案件',
  'tasks.list': '您的角色没有待办任务',
  'board.read': '督办看板仅限负责人查看',
  'audit.verify': '仅负责人和管理员可校验留痕链',
  'audit.anchors': '留痕锚点页面仅限管理员查看',
  'logins.locks': '仅管理员可查看和解除登录锁定',
};

/** Which roles may register intake from which channel. */
export const intakeChannelRoles: Record<Channel, readonly Role[]> = {
  patrol: ['grid_member', 'officer'],
  complaint: ['officer', 'supervisor'],
  hotline: ['officer', 'supervisor'],
  online: ['officer', 'supervisor'],
  inspection: ['officer'],
  monitoring: ['officer'],
  referral_in: ['officer', 'supervisor'],
};

export function canAccess(role: Role, endpoint: Endpoint): boolean {
  return endpointPermissions[endpoint].includes(role);
}

export function canRegisterIntake(role: Role, channel: Channel): boolean {
  return intakeChannelRoles[channel].includes(role);
}

export function canPerformAction(role: Role, action: CaseAction): boolean {
  return actionPermissions[action].includes(role);
}

export function assertAccess(user: Pick<AuthenticatedUser, 'role'>, endpoint: Endpoint): void {
  if (!canAccess(user.role, endpoint)) throw new HttpError(403, `${endpointRefusals[endpoint]}（${roleLabels[user.role] ?? user.role}）`);
}

/** Route guard: 401 without a session, 403 when the role may not call the endpoint. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- keeps the route's own param typing
export function requireAccess(endpoint: Endpoint): RequestHandler<any> {
  return (req, _res, next) => {
    if (!req.user) return next(new HttpError(401, '请先登录'));
    try {
      assertAccess(req.user, endpoint);
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** One action the user may take on the case now, with the choices its form offers. */
export interface AvailableAction {
  action: CaseAction;
  /** For claimTask: the tasks this user may claim. */
  taskIds?: string[];
  /** For clock actions: the clocks it applies to. */
  clockIds?: ClockId[];
  /** For decideExtension: whether approving is possible (a second extension needs one level up). */
  canApprove?: boolean;
  /** For reissueDocument: the failed documents to issue again. */
  documents?: { kind: DocumentKind; occasion: string }[];
}

/**
 * The actions `actor` may take on the case now: asks the domain's own validator with a
 * representative command for each action, so the page shows exactly what the workflow would
 * accept (role, jurisdiction, status and the finer guards), and nothing it would refuse.
 */
export function availableActions(state: CaseState, actor: Actor): AvailableAction[] {
  const allowed = (command: CaseCommand): boolean => {
    try {
      assertCanPerform(state, command, actor);
      return true;
    } catch (error) {
      if (isDomainError(error)) return false;
      throw error;
    }
  };
  const available: AvailableAction[] = [];
  const clocks = Object.values(state.clocks).filter((clock) => clock !== undefined);
  for (const action of caseActions) {
    if (!canPerformAction(actor.role, action) || !(pageActions as readonly string[]).includes(action)) continue;
    switch (action) {
      case 'claimTask': {
        const taskIds = state.tasks
          .filter((task) => task.status === 'open' && task.assigneeId !== actor.userId && allowed({ action, taskId: task.taskId }))
          .map((task) => task.taskId);
        if (taskIds.length > 0) available.push({ action, taskIds });
        break;
      }
      case 'requestExtension': {
        const clockIds = clocks
          .filter((clock) => allowed({ action, clockId: clock.id, amount: 1, unit: 'ND', reason: '—' }))
          .map((clock) => clock.id);
        if (clockIds.length > 0) available.push({ action, clockIds });
        break;
      }
      case 'decideExtension': {
        const clockIds = state.pendingExtensions.map((pending) => pending.clockId).filter((clockId) => allowed({ action, clockId, approve: false }));
        if (clockIds.length > 0) {
          available.push({ action, clockIds, canApprove: clockIds.some((clockId) => allowed({ action, clockId, approve: true })) });
        }
        break;
      }
      case 'suspendClock':
      case 'resumeClock': {
        const clockIds = clocks
          .filter((clock) => allowed(action === 'suspendClock' ? { action, clockId: clock.id, reason: '—' } : { action, clockId: clock.id }))
          .map((clock) => clock.id);
        if (clockIds.length > 0) available.push({ action, clockIds });
        break;
      }
      case 'reissueDocument': {
        const documents = (state.failedDocuments ?? [])
          .filter((failed) => allowed({ action, kind: failed.kind, occasion: failed.occasion }))
          .map(({ kind, occasion }) => ({ kind, occasion }));
        if (documents.length > 0) available.push({ action, documents });
        break;
      }
      default:
        if (allowed(sampleCommand(action as SimpleAction))) available.push({ action });
    }
  }
  return available;
}

/**
 * The case actions that have a form on the case page. Others (the referral proposal, with its
 * evidence package) are taken through their own API and pages.
 */
type PageAction = Exclude<CaseAction, 'proposeReferral'>;
export const pageActions: readonly PageAction[] = caseActions.filter((action): action is PageAction => action !== 'proposeReferral');
type SimpleAction = Exclude<PageAction, 'claimTask' | 'requestExtension' | 'decideExtension' | 'suspendClock' | 'resumeClock' | 'reissueDocument'>;

/** A well-formed command of each simple action, used only to ask the validator. */
function sampleCommand(action: SimpleAction): CaseCommand {
  const today = '2000-01-01';
  switch (action) {
    case 'triage':
      return { action, decision: 'accept' };
    case 'acknowledge':
      return { action };
    case 'recordInvestigation':
      return { action, outcome: 'no_violation', findings: '—' };
    case 'reportRectification':
      return { action, report: '—' };
    case 'verify':
      return { action, passed: true, findings: '—' };
    case 'decideClosure':
      return { action, approve: false };
    case 'recordFiling':
      return { action, filedOn: today };
    case 'recordPenaltyDecision':
      return { action, decidedOn: today, decision: '—' };
    case 'escalate':
      return { action, reason: '—' };
    case 'reopen':
      return { action, reason: '—' };
    case 'recordSatisfaction':
      return { action, satisfaction: 'satisfied' };
    default:
      throw new Error(`no sample command for ${String(action)}`);
  }
}

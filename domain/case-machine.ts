import { categoryLabels, isComplaintChannel, statusLabels, type CaseStatus, type IntakeInput } from './case';
import type { CaseCommand, CaseCommandOf } from './case-commands';
import {
  cancelOpenClocks,
  climbOneLevel,
  fromCatalogue,
  isChangeInForce,
  isOpenClock,
  markSuspended,
  meetClock,
  moveDue,
  openClock,
  policyBasis,
  resumeSuspended,
  type CaseContext,
} from './case-clocks';
import type { CaseState, CaseTask, Clock, ClockId, FailedDocument, TaskKind } from './case-state';
import { addTask, closeTasksWhere, syncTaskDue, type NewTask } from './task-list';
import { recordEvent } from './timeline';
import { canTransition } from './case-lifecycle';
import { documentKinds, type DocumentKind } from './documents';
import { DomainError } from './errors';
import { addPeriod, extendDue, shanghaiDate } from './periods';
import { addDays, isCoveredYear, isIsoDate } from './calendar';
import { isWithinRegion } from './regions';
import { actionStatuses, canRolePerform, roleLabels, type Actor, type Role } from './roles';
import { guardProposeReferral, proposeReferralOnCase, type ReferralStartEffect } from './referral-case';

/** Side effects the workflow carries out after a decision: documents to issue, people to tell. */
export type CaseEffect =
  | { type: 'issueDocument'; kind: DocumentKind; occasion: string; fields: Record<string, unknown> }
  | { type: 'notify'; role: Role; regionCode: string; message: string }
  | ReferralStartEffect;

export interface RegistrationInput {
  caseId: string;
  caseNo: string;
  intake: IntakeInput;
  countyCode: string;
  cityCode: string;
  agencyCode: string;
  agencyName: string;
}

/** Registers a new case (接): opens the acceptance clock for complaints and the triage task. */
export function registerCase(input: RegistrationInput, now: string, context: CaseContext, registeredBy?: Actor): CaseState {
  const { intake } = input;
  const state: CaseState = {
    caseId: input.caseId,
    caseNo: input.caseNo,
    status: 'received',
    channel: intake.channel,
    category: intake.category,
    description: intake.description,
    location: intake.location,
    subject: intake.subject,
    reporter: intake.reporter,
    attachments: intake.attachments,
    receivedAt: intake.receivedAt,
    idempotencyKey: intake.idempotencyKey,
    countyCode: input.countyCode,
    cityCode: input.cityCode,
    agencyCode: input.agencyCode,
    agencyName: input.agencyName,
    clocks: {},
    tasks: [],
    pendingExtensions: [],
    relatedComplaints: [],
    documents: [],
    escalationLevel: 0,
    revision: 0,
    eventSeq: 0,
    taskSeq: 0,
    unprojectedEvents: [],
    generation: 0,
  };
  recordEvent(state, now, 'registered', `登记${categoryLabels[intake.category]}问题：${intake.description.slice(0, 40)}`, registeredBy);
  if (isComplaintChannel(intake.channel)) {
    openClock(
      state,
      'acceptance_notice',
      fromCatalogue('complaint_acceptance_notice', 'triage', context),
      intake.receivedAt,
      context,
    );
  }
  openTask(state, now, {
    kind: 'triage',
    role: 'officer',
    regionCode: state.countyCode,
    title: '登记研判：受理或不予受理',
    clockId: isComplaintChannel(intake.channel) ? 'acceptance_notice' : undefined,
  }, context);
  state.revision += 1;
  return state;
}

/**
 * Throws a DomainError when `actor` may not perform `command` on the case now. Pure: the
 * workflow's Update validator calls it, so a refused action leaves no trace in history. Without
 * `now` (the pages asking which forms to show) the checks of dates against today are skipped.
 */
export function assertCanPerform(state: CaseState, command: CaseCommand, actor: Actor, now?: string, context?: CaseContext): void {
  if (!canRolePerform(actor.role, command.action)) {
    throw new DomainError('NotPermitted', `${roleLabels[actor.role]}无权执行此操作 (${command.action})`);
  }
  if (!isWithinRegion(state.countyCode, actor.regionCode) && !isWithinRegion(actor.regionCode, state.countyCode)) {
    throw new DomainError('NotPermitted', `案件不在您的辖区内 (${actor.regionCode})`);
  }
  if (!actionStatuses[command.action].includes(state.status)) {
    throw new DomainError(
      'InvalidTransition',
      `案件当前状态为"${statusLabels[state.status]}"，不能执行此操作 (${command.action})`,
    );
  }
  const guard = guards[command.action] as Guard<CaseCommand>;
  guard(state, command, actor, now, context);
}

/** Applies an action already checked by assertCanPerform; returns the effects to carry out. */
export function perform(state: CaseState, command: CaseCommand, actor: Actor, now: string, context: CaseContext): CaseEffect[] {
  assertCanPerform(state, command, actor, now, context);
  const handler = handlers[command.action] as Handler<CaseCommand>;
  const effects = handler(state, command, actor, now, context);
  state.revision += 1;
  return effects;
}

type Guard<C extends CaseCommand> = (state: CaseState, command: C, actor: Actor, now?: string, context?: CaseContext) => void;
type Handler<C extends CaseCommand> = (
  state: CaseState,
  command: C,
  actor: Actor,
  now: string,
  context: CaseContext,
) => CaseEffect[];

const noGuard = (): void => undefined;

const guards: { [A in CaseCommand['action']]: Guard<CaseCommandOf<A>> } = {
  claimTask(state, command, actor) {
    const task = openTaskById(state, command.taskId);
    if (task.role !== actor.role) throw new DomainError('NotPermitted', `此任务由${roleLabels[task.role]}办理`);
    if (!isWithinRegion(task.regionCode, actor.regionCode)) throw new DomainError('NotPermitted', '任务不在您的辖区内');
    if (task.assigneeId && task.assigneeId !== actor.userId) {
      throw new DomainError('Conflict', `任务已由${task.assigneeName ?? task.assigneeId}认领`);
    }
  },
  triage(state, command) {
    if (command.decision === 'reject' && !command.reason?.trim()) {
      throw new DomainError('InvalidInput', '不予受理须说明理由');
    }
    if (command.unitRegionCode && !isWithinRegion(command.unitRegionCode, state.countyCode)) {
      throw new DomainError('InvalidInput', `承办单位 ${command.unitRegionCode} 不在案件所属县区 ${state.countyCode} 内`);
    }
  },
  acknowledge(state, _command, actor) {
    const unit = state.assignedUnit;
    if (unit && !isWithinRegion(unit.regionCode, actor.regionCode)) {
      throw new DomainError('NotPermitted', '案件已交办其他单位');
    }
    if (unit?.kind === 'township' && actor.role !== 'locality_handler') {
      throw new DomainError('NotPermitted', '立行立改事项由属地经办人签收');
    }
    if (unit?.kind === 'county_team' && actor.role !== 'officer') {
      throw new DomainError('NotPermitted', '此案件由执法人员签收');
    }
  },
  recordInvestigation(_state, command, _actor, now, context) {
    if (command.outcome === 'violation') {
      if (!command.requirement?.trim()) throw new DomainError('InvalidInput', '责令改正须写明整改要求');
      if (!command.rectificationDueDate) throw new DomainError('InvalidInput', '责令改正须写明整改期限');
    }
    if (command.rectificationDueDate) assertDueDateAhead(command.rectificationDueDate, '整改期限', now, context);
  },
  reportRectification: noGuard,
  requestExtension(state, command) {
    const clock = state.clocks[command.clockId];
    if (!isOpenClock(clock)) throw new DomainError('InvalidInput', `时限 ${command.clockId} 不在计时中`);
    if (state.pendingExtensions.some((pending) => pending.clockId === command.clockId)) {
      throw new DomainError('Conflict', '该时限已有待审批的延期申请');
    }
    if (!command.reason.trim()) throw new DomainError('InvalidInput', '延期须说明理由');
    if (!(command.amount > 0)) throw new DomainError('InvalidInput', '延期天数须为正数');
  },
  decideExtension(state, command, actor) {
    const pending = state.pendingExtensions.find((candidate) => candidate.clockId === command.clockId);
    if (!pending) throw new DomainError('InvalidInput', `时限 ${command.clockId} 没有待审批的延期申请`);
    const clock = state.clocks[command.clockId];
    // The first extension is the county supervisor's; a further one needs one level up: a
    // supervisor whose jurisdiction is the county or any part of it (a township) may not.
    if (command.approve && clock && clock.extensions >= 1 && isWithinRegion(actor.regionCode, state.countyCode)) {
      throw new DomainError('NotPermitted', '第二次延期须由上一级负责人批准');
    }
  },
  verify(state, command, actor, now, context) {
    if (!command.passed && !command.newDueDate) throw new DomainError('InvalidInput', '核查不通过须重新确定整改期限');
    if (!command.passed && command.newDueDate) assertDueDateAhead(command.newDueDate, '重新整改期限', now, context);
    if (!state.rectification) throw new DomainError('InvalidTransition', '案件没有整改事项');
    // A grid member checks only the patrol items fixed on the spot that were handed to them
    // (DESIGN.md §3); an order to correct is verified by the enforcement officer.
    if (actor.role === 'grid_member') {
      const mine = state.tasks.some((task) => task.status === 'open' && task.kind === 'verify' && task.role === 'grid_member' && isWithinRegion(task.regionCode, actor.regionCode));
      if (!mine) throw new DomainError('NotPermitted', '此案件由执法人员核查');
    }
  },
  decideClosure(state, command) {
    if (command.approve && isComplaintChannel(state.channel) && !command.answer?.trim()) {
      throw new DomainError('InvalidInput', '信访举报案件结案须填写答复意见');
    }
  },
  recordFiling(state) {
    if (!isOpenClock(state.clocks.penalty_filing)) throw new DomainError('InvalidTransition', '没有待立案的处罚时限');
  },
  recordPenaltyDecision(state) {
    if (!isOpenClock(state.clocks.penalty_decision)) throw new DomainError('InvalidTransition', '尚未立案，不能记录处罚决定');
  },
  escalate(state) {
    if (state.escalationLevel >= 4) throw new DomainError('Conflict', '已是最高督办级别（挂牌督办）');
  },
  suspendClock(state, command) {
    const clock = state.clocks[command.clockId];
    if (!clock || clock.status !== 'running') throw new DomainError('InvalidInput', `时限 ${command.clockId} 不在计时中`);
    if (!command.reason.trim()) throw new DomainError('InvalidInput', '中止计时须说明法定事由');
  },
  resumeClock(state, command) {
    const clock = state.clocks[command.clockId];
    if (!clock || clock.status !== 'suspended') throw new DomainError('InvalidInput', `时限 ${command.clockId} 未中止`);
  },
  reopen(_state, command) {
    if (!command.reason.trim()) throw new DomainError('InvalidInput', '重新办理须说明复查申请事由');
  },
  recordSatisfaction: noGuard,
  proposeReferral: guardProposeReferral,
  reissueDocument(state, command) {
    if (!failedDocument(state, command.kind, command.occasion)) {
      throw new DomainError('InvalidInput', `没有待重新生成的文书（${documentKinds[command.kind]?.title ?? command.kind}）`);
    }
  },
};

const handlers: { [A in CaseCommand['action']]: Handler<CaseCommandOf<A>> } = {
  claimTask(state, command, actor, now) {
    const task = openTaskById(state, command.taskId);
    task.assigneeId = actor.userId;
    task.assigneeName = actor.name;
    recordEvent(state, now, 'task_claimed', `${actor.name}认领任务：${task.title}`, actor, { taskId: task.taskId });
    return [];
  },

  triage(state, command, actor, now, context) {
    closeTasks(state, now, 'triage');
    meetClock(state, 'acceptance_notice');
    if (command.category) state.category = command.category;
    if (command.decision === 'reject') {
      state.rejection = { reason: command.reason ?? '' };
      moveTo(state, 'rejected');
      endCaseWork(state, now, context);
      recordEvent(state, now, 'rejected', `不予受理：${command.reason}`, actor);
      return isComplaintChannel(state.channel)
        ? [document(state, 'rejection_notice', 'triage', { reason: command.reason, decidedAt: now })]
        : [];
    }
    const township = state.channel === 'patrol' && isRectifyOnSpot(state);
    const unitRegion = command.unitRegionCode ?? (township ? state.location.regionCode : state.countyCode);
    state.assignedUnit = { kind: township ? 'township' : 'county_team', regionCode: unitRegion };
    moveTo(state, 'assigned');
    recordEvent(state, now, 'assigned', township ? `交办属地立行立改（${unitRegion}）` : `交办县区执法队（${unitRegion}）`, actor);
    if (isComplaintChannel(state.channel)) {
      openClock(
        state,
        'complaint_answer',
        fromCatalogue('complaint_answer', 'approve_closure', context),
        now,
        context,
      );
    }
    if (township) {
      openClock(
        state,
        'patrol_fix',
        fromCatalogue('patrol_rectify', 'rectify', context),
        now,
        context,
      );
    }
    openClock(
      state,
      'unit_acknowledge',
      fromCatalogue('unit_acknowledge', 'acknowledge', context),
      now,
      context,
    );
    openTask(state, now, {
      kind: 'acknowledge',
      role: township ? 'locality_handler' : 'officer',
      regionCode: unitRegion,
      title: township ? '签收交办事项并立行立改' : '签收交办案件',
      clockId: 'unit_acknowledge',
    }, context);
    const effects: CaseEffect[] = [
      document(state, 'transfer_to_locality', 'triage', { unitRegionCode: unitRegion, township, assignedAt: now }),
    ];
    if (isComplaintChannel(state.channel)) {
      effects.push(document(state, 'acceptance_notice', 'triage', { acceptedAt: now }));
    }
    return effects;
  },

  acknowledge(state, command, actor, now, context) {
    closeTasks(state, now, 'acknowledge');
    meetClock(state, 'unit_acknowledge');
    if (state.assignedUnit?.kind === 'township') {
      moveTo(state, 'rectifying');
      state.rectification = {
        round: 1,
        requirement: '立行立改',
        dueAt: state.clocks.patrol_fix?.dueAt ?? now,
        failures: 0,
      };
      recordEvent(state, now, 'acknowledged', `属地签收，开始立行立改${command.note ? `：${command.note}` : ''}`, actor);
      openTask(state, now, { kind: 'rectify', role: 'locality_handler', regionCode: state.assignedUnit.regionCode, title: '立行立改并上报整改情况', clockId: 'patrol_fix' }, context);
      return [];
    }
    moveTo(state, 'investigating');
    recordEvent(state, now, 'acknowledged', `执法队签收，开始调查核实${command.note ? `：${command.note}` : ''}`, actor);
    openClock(
      state,
      'onsite_investigation',
      fromCatalogue('onsite_investigation', 'investigate', context),
      now,
      context,
    );
    openTask(state, now, { kind: 'investigate', role: 'officer', regionCode: state.countyCode, title: '现场调查并记录调查结论', clockId: 'onsite_investigation' }, context);
    return [];
  },

  recordInvestigation(state, command, actor, now, context) {
    closeTasks(state, now, 'investigate');
    meetClock(state, 'onsite_investigation');
    state.outcome = command.outcome;
    if (command.outcome === 'no_violation') {
      recordEvent(state, now, 'investigated', `调查结论：未发现违法行为。${command.findings}`, actor);
      enterClosing(state, now, context);
      return [];
    }
    const discovery = now;
    // A second conclusion (涉嫌犯罪, then 存在违法行为) does not restart the filing period: it
    // runs from the first discovery of the violation.
    if (!(isOpenClock(state.clocks.penalty_filing) && isChangeInForce(context, onePerStepChange))) {
      openClock(
        state,
        'penalty_filing',
        fromCatalogue('penalty_filing_decision', 'record_penalty', context),
        discovery,
        context,
      );
    }
    openTask(state, now, { kind: 'record_penalty', role: 'officer', regionCode: state.countyCode, title: '立案审查并记录立案决定', clockId: 'penalty_filing' }, context);
    if (command.outcome === 'suspected_crime') {
      recordEvent(state, now, 'investigated', `调查结论：涉嫌环境犯罪，拟移送公安机关。${command.findings}`, actor);
    } else {
      recordEvent(state, now, 'investigated', `调查结论：存在违法行为，责令改正。${command.findings}`, actor);
    }
    if (command.outcome === 'suspected_crime' && !command.requirement) return [];
    const dueAt = endOfDay(command.rectificationDueDate ?? '', context);
    state.rectification = { round: 1, requirement: command.requirement ?? '', dueAt, failures: 0 };
    moveTo(state, 'rectifying');
    openClock(state, 'rectification', { label: '责令改正期限', basis: '责令改正违法行为决定书', source: 'law', step: 'rectify', dueAt }, now, context);
    openClock(
      state,
      'reinspection',
      fromCatalogue('correction_reinspection', 'verify', context),
      now,
      context,
    );
    openTask(state, now, { kind: 'rectify', role: 'locality_handler', regionCode: state.location.regionCode, title: '按责令改正决定整改并上报', clockId: 'rectification' }, context);
    return [
      document(state, 'correction_order', 'round-1', {
        findings: command.findings,
        requirement: command.requirement,
        violatedProvisions: command.violatedProvisions,
        legalBasis: command.legalBasis,
        dueAt,
      }),
    ];
  },

  reportRectification(state, command, actor, now, context) {
    closeTasks(state, now, 'rectify');
    meetClock(state, state.assignedUnit?.kind === 'township' ? 'patrol_fix' : 'rectification');
    moveTo(state, 'verifying');
    recordEvent(state, now, 'rectification_reported', `上报整改情况：${command.report}`, actor, { evidenceFileIds: command.evidenceFileIds ?? [] });
    openClock(
      state,
      'verification',
      { label: '核查验收', basis: policyBasis, source: 'policy', step: 'verify', period: { amount: context.policy.verificationWorkingDays, unit: 'WD' } },
      now,
      context,
    );
    const byGridMember = state.channel === 'patrol' && state.assignedUnit?.kind === 'township';
    openTask(state, now, {
      kind: 'verify',
      role: byGridMember ? 'grid_member' : 'officer',
      regionCode: byGridMember ? state.location.regionCode : state.countyCode,
      title: '核查整改结果',
      clockId: 'verification',
    }, context);
    return [];
  },

  requestExtension(state, command, actor, now, context) {
    const task = openTask(state, now, {
      kind: 'approve_extension',
      role: 'supervisor',
      regionCode: state.countyCode,
      title: `审批延期申请：${state.clocks[command.clockId]?.label ?? command.clockId} 延长${command.amount}${command.unit === 'WD' ? '个工作日' : '日'}`,
    }, context);
    state.pendingExtensions.push({
      clockId: command.clockId,
      amount: command.amount,
      unit: command.unit,
      reason: command.reason,
      requestedBy: actor.userId,
      requestedAt: now,
      taskId: task.taskId,
    });
    recordEvent(state, now, 'extension_requested', `申请延期 ${command.amount}${command.unit === 'WD' ? '个工作日' : '日'}：${command.reason}`, actor, { clockId: command.clockId });
    return [];
  },

  decideExtension(state, command, actor, now, context) {
    const pending = state.pendingExtensions.find((candidate) => candidate.clockId === command.clockId)!;
    state.pendingExtensions = state.pendingExtensions.filter((candidate) => candidate !== pending);
    closeTaskById(state, pending.taskId, now);
    const clock = state.clocks[command.clockId];
    if (!command.approve || !isOpenClock(clock)) {
      recordEvent(state, now, 'extension_refused', `延期申请未获批准${command.note ? `：${command.note}` : ''}`, actor, { clockId: command.clockId });
      return [];
    }
    const to = extendDue(clock.dueAt, pending.amount, pending.unit, context.calendar);
    moveDue(clock, to, `延期获批：${pending.reason}`, now, context, actor.userId);
    clock.extensions += 1;
    syncTaskDue(state, command.clockId);
    if (command.clockId === 'rectification' && state.rectification) state.rectification.dueAt = to;
    recordEvent(state, now, 'extension_approved', `批准延期，${clock.label}期限改为 ${to}`, actor, { clockId: command.clockId, to });
    return [];
  },

  verify(state, command, actor, now, context) {
    closeTasks(state, now, 'verify');
    meetClock(state, 'verification');
    meetClock(state, 'reinspection');
    const rectification = state.rectification!;
    const occasion = `round-${rectification.round}`;
    if (command.passed) {
      recordEvent(state, now, 'verified', `核查通过：${command.findings}`, actor);
      enterClosing(state, now, context);
      return verificationDocuments(state, context, occasion, { passed: true, findings: command.findings, round: rectification.round });
    }
    rectification.failures += 1;
    rectification.round += 1;
    const dueAt = endOfDay(command.newDueDate ?? '', context);
    rectification.dueAt = dueAt;
    moveTo(state, 'rectifying');
    recordEvent(state, now, 'verification_failed', `核查未通过（第${rectification.failures}次）：${command.findings}`, actor);
    const clockId: ClockId = state.assignedUnit?.kind === 'township' ? 'patrol_fix' : 'rectification';
    openClock(state, clockId, { label: '重新整改期限', basis: '整改核查意见书', source: 'law', step: 'rectify', dueAt }, now, context);
    openTask(state, now, { kind: 'rectify', role: 'locality_handler', regionCode: state.location.regionCode, title: `第${rectification.round}轮整改`, clockId }, context);
    const effects: CaseEffect[] = verificationDocuments(state, context, occasion, {
      passed: false,
      findings: command.findings,
      round: rectification.round - 1,
      newDueAt: dueAt,
    });
    if (rectification.failures >= context.policy.failuresBeforeEscalation && state.escalationLevel < 4) {
      effects.push(...escalateCase(state, now, context, { reason: `整改核查${rectification.failures}次未通过` }));
    }
    return effects;
  },

  decideClosure(state, command, actor, now, context) {
    closeTasks(state, now, 'approve_closure');
    if (!command.approve) {
      const back = state.closingFrom ?? 'investigating';
      moveTo(state, back);
      recordEvent(state, now, 'closure_refused', `结案未获批准，退回${statusLabels[back]}${command.note ? `：${command.note}` : ''}`, actor);
      openTask(state, now, back === 'verifying'
        ? { kind: 'verify', role: 'officer', regionCode: state.countyCode, title: '结案退回：重新核查' }
        : { kind: 'investigate', role: 'officer', regionCode: state.countyCode, title: '结案退回：补充调查' }, context);
      return [];
    }
    meetClock(state, 'closure_approval');
    meetClock(state, 'complaint_answer');
    meetClock(state, 'review_opinion');
    state.closure = { ...state.closure, approvedAt: now, answer: command.answer };
    moveTo(state, 'closed');
    endCaseWork(state, now, context);
    recordEvent(state, now, 'closed', '结案审批通过，案件办结', actor);
    const effects: CaseEffect[] = [document(state, 'closure_approval', `closure-${state.generation}-${state.revision}`, { note: command.note, approvedAt: now })];
    if (isComplaintChannel(state.channel) || state.relatedComplaints.length > 0) {
      effects.push(document(state, 'complainant_answer', `closure-${state.generation}-${state.revision}`, { answer: command.answer, answeredAt: now }));
    }
    return effects;
  },

  recordFiling(state, command, actor, now, context) {
    meetClock(state, 'penalty_filing');
    closeTasks(state, now, 'record_penalty');
    state.penalty = { ...state.penalty, filedAt: command.filedOn };
    openClock(
      state,
      'penalty_decision',
      fromCatalogue('penalty_decision', 'record_penalty', context),
      command.filedOn,
      context,
    );
    openTask(state, now, { kind: 'record_penalty', role: 'officer', regionCode: state.countyCode, title: '作出并记录行政处罚决定', clockId: 'penalty_decision' }, context);
    recordEvent(state, now, 'penalty_filed', `行政处罚立案（${command.filedOn}）${command.note ? `：${command.note}` : ''}`, actor);
    return [];
  },

  recordPenaltyDecision(state, command, actor, now) {
    meetClock(state, 'penalty_decision');
    closeTasks(state, now, 'record_penalty');
    state.penalty = { ...state.penalty, decidedAt: command.decidedOn, decision: command.decision };
    recordEvent(state, now, 'penalty_decided', `作出行政处罚决定（${command.decidedOn}）：${command.decision}`, actor);
    return [];
  },

  escalate(state, command, actor, now, context) {
    return escalateCase(state, now, context, { reason: command.reason, actor });
  },

  suspendClock(state, command, actor, now) {
    const clock = state.clocks[command.clockId]!;
    markSuspended(clock, command.reason, now);
    recordEvent(state, now, 'clock_suspended', `${clock.label}中止计时：${command.reason}`, actor, { clockId: clock.id });
    return [];
  },

  resumeClock(state, command, actor, now, context) {
    const clock = state.clocks[command.clockId]!;
    resumeSuspended(clock, now, context, actor.userId, command.note);
    syncTaskDue(state, clock.id);
    recordEvent(state, now, 'clock_resumed', `${clock.label}恢复计时，期限顺延至 ${clock.dueAt}`, actor, { clockId: clock.id });
    return [];
  },

  reopen(state, command, actor, now, context) {
    moveTo(state, 'investigating');
    state.closure = undefined;
    openClock(
      state,
      'review_opinion',
      fromCatalogue('complaint_review_opinion', 'investigate', context),
      now,
      context,
    );
    openTask(state, now, { kind: 'investigate', role: 'officer', regionCode: state.countyCode, title: '复查：重新调查核实', clockId: 'review_opinion' }, context);
    recordEvent(state, now, 'reopened', `依复查申请重新办理：${command.reason}`, actor);
    return [];
  },

  recordSatisfaction(state, command, actor, now) {
    state.closure = { ...state.closure, satisfaction: command.satisfaction };
    recordEvent(state, now, 'satisfaction_recorded', `举报人评价：${satisfactionLabels[command.satisfaction]}`, actor);
    return [];
  },

  proposeReferral: proposeReferralOnCase,

  reissueDocument(state, command, actor, now) {
    const failed = failedDocument(state, command.kind, command.occasion)!;
    recordEvent(state, now, 'document_reissue_requested', `重新生成文书：${documentKinds[failed.kind].title}`, actor, { kind: failed.kind, occasion: failed.occasion });
    return [document(state, failed.kind, failed.occasion, failed.fields)];
  },
};

function failedDocument(state: CaseState, kind: DocumentKind, occasion: string) {
  return (state.failedDocuments ?? []).find((failed) => failed.kind === kind && failed.occasion === occasion);
}

/**
 * A document the workflow could not issue: it is owed still, so it stays listed with the step's
 * fields and the officer gets a task to reissue it (the action `reissueDocument`); nothing
 * waits on it without someone able to act.
 */
export function recordDocumentFailure(state: CaseState, failed: Omit<FailedDocument, 'failedAt'>, now: string): void {
  state.failedDocuments = [...(state.failedDocuments ?? []).filter((other) => !(other.kind === failed.kind && other.occasion === failed.occasion)), { ...failed, failedAt: now }];
  const title = documentKinds[failed.kind].title;
  recordEvent(state, now, 'document_failed', `文书未能生成：${title}${failed.reason ? `（${failed.reason}）` : ''}，请补正后重新生成`, undefined, { kind: failed.kind, occasion: failed.occasion });
  openTask(state, now, { kind: 'reissue_document', role: 'officer', regionCode: state.countyCode, title: `重新生成文书：${title}（${failed.occasion}）` });
  state.revision += 1;
}

/** A reissued document came out: it is owed no more and its task closes. */
export function recordDocumentIssued(state: CaseState, kind: DocumentKind, occasion: string, now: string): void {
  if (!failedDocument(state, kind, occasion)) return;
  state.failedDocuments = (state.failedDocuments ?? []).filter((other) => !(other.kind === kind && other.occasion === occasion));
  const title = `重新生成文书：${documentKinds[kind].title}（${occasion}）`;
  closeTasksWhere(state.tasks, now, (task) => task.kind === 'reissue_document' && task.title === title);
  state.revision += 1;
}

const satisfactionLabels = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' } as const;

/**
 * Fires every reminder and overdue level whose instant has come. Called by the workflow when
 * its timer wakes; safe to call at any time (it only acts on what is due).
 */
export function fireDueClocks(state: CaseState, now: string, context?: CaseContext): CaseEffect[] {
  const effects: CaseEffect[] = [];
  for (const clock of Object.values(state.clocks)) {
    if (!clock || clock.status !== 'running') continue;
    if (!clock.reminded && clock.reminderAt && clock.reminderAt <= now) {
      clock.reminded = true;
      recordEvent(state, now, 'reminder', `${clock.label}将于 ${clock.dueAt} 到期`, undefined, { clockId: clock.id });
      effects.push({ type: 'notify', role: ownerRole(state, clock), regionCode: ownerRegion(state, clock), message: `提醒：${state.caseNo} ${clock.label}即将到期` });
    }
    if (!context || isChangeInForce(context, oneLevelPerWakeChange)) {
      if (climbOneLevel(clock, now)) effects.push(...overdue(state, clock, now, context));
      continue;
    }
    while (clock.escalationLevel < clock.ladder.length && clock.ladder[clock.escalationLevel]! <= now) {
      clock.escalationLevel += 1;
      effects.push(...overdue(state, clock, now, context));
    }
  }
  if (effects.length > 0) state.revision += 1;
  return effects;
}

/** Change ids (Temporal patches): histories recorded before each change replay as they ran. */
const onePerStepChange = 'one-task-per-step';
const oneLevelPerWakeChange = 'one-overdue-level-per-wake';
const terminalEndsWorkChange = 'terminal-ends-case-work';
const dueDateWindowChange = 'due-date-window';

/** How far ahead a decision may set a due date: a year, and never past the holiday calendar. */
const dueDateHorizonDays = 366;

/**
 * A due date a decision sets (整改期限, 重新整改期限) lies between today (Asia/Shanghai) and a year
 * ahead: a date already past would make the case overdue at once and climb the 督办 ladder.
 */
function assertDueDateAhead(date: string, label: string, now: string | undefined, context: CaseContext | undefined): void {
  if (now === undefined || (context && !isChangeInForce(context, dueDateWindowChange))) return;
  if (!isIsoDate(date)) throw new DomainError('InvalidInput', `${label}日期格式应为 YYYY-MM-DD：${date}`);
  const today = shanghaiDate(now);
  if (date < today) throw new DomainError('InvalidInput', `${label}（${date}）不能早于今天（${today}）`);
  const horizon = addDays(today, dueDateHorizonDays);
  if (date > horizon) throw new DomainError('InvalidInput', `${label}（${date}）不能晚于一年后（${horizon}）`);
  if (context && !isCoveredYear(date, context.calendar)) {
    throw new DomainError('InvalidInput', `${label}（${date}）超出节假日日历覆盖的年份，请选择更近的日期`);
  }
}

/**
 * A terminal state (不予受理, 结案) ends the case's work: every clock still counting stops, every
 * open task closes and pending extension requests lapse, so nothing keeps a timer, a reminder or
 * a to-do on a case that is over. A reopened case opens what it needs afresh.
 */
function endCaseWork(state: CaseState, now: string, context: CaseContext): void {
  if (!isChangeInForce(context, terminalEndsWorkChange)) return;
  cancelOpenClocks(Object.values(state.clocks));
  closeTasksWhere(state.tasks, now, () => true);
  state.pendingExtensions = [];
}

function overdue(state: CaseState, clock: Clock, now: string, context?: CaseContext): CaseEffect[] {
  const level = clock.escalationLevel;
  for (const task of state.tasks) {
    // A 督办 task keeps the level it was opened at: the county's task is not the province's.
    if (task.status === 'open' && task.clockId === clock.id && task.kind !== 'supervise_overdue') task.escalationLevel = level;
  }
  if (level === 1) {
    recordEvent(state, now, 'overdue', `${clock.label}已超期（期限 ${clock.dueAt}）`, undefined, { clockId: clock.id, level });
    return [
      { type: 'notify', role: ownerRole(state, clock), regionCode: ownerRegion(state, clock), message: `${state.caseNo} ${clock.label}已超期` },
      { type: 'notify', role: 'supervisor', regionCode: state.countyCode, message: `${state.caseNo} ${clock.label}已超期` },
    ];
  }
  if (state.escalationLevel >= level) return [];
  return escalateCase(state, now, context, { reason: `${clock.label}超期未办结`, toLevel: level, clockId: clock.id });
}

export const escalationLevelNames = ['', '超期提醒', '县级督办', '市级督办', '省级挂牌督办'] as const;

function escalateCase(
  state: CaseState,
  now: string,
  context: CaseContext | undefined,
  options: { reason: string; actor?: Actor; toLevel?: number; clockId?: ClockId },
): CaseEffect[] {
  const { reason, actor, clockId } = options;
  const toLevel = options.toLevel ?? Math.min(4, Math.max(2, state.escalationLevel + 1));
  // The 督办单 sets the unit its own deadline (DOMAIN.md §6: a field of the notice, not a constant).
  const deadline = context
    ? addPeriod({ start: now, amount: context.policy.supervisionWorkingDays ?? 5, unit: 'WD', calendar: context.calendar })
    : undefined;
  state.escalationLevel = toLevel;
  const regionCode = toLevel >= 4 ? '350000' : toLevel === 3 ? state.cityCode : state.countyCode;
  const name = escalationLevelNames[toLevel] ?? '督办';
  recordEvent(state, now, 'escalated', `${name}：${reason}`, actor, { level: toLevel, clockId });
  openTask(state, now, { kind: 'supervise_overdue', role: 'supervisor', regionCode, title: `${name}：${reason}`, escalationLevel: toLevel, clockId }, context);
  return [
    document(state, 'supervision_notice', `level-${toLevel}`, {
      level: toLevel,
      levelName: name,
      reason,
      flagged: toLevel >= 4,
      escalatedAt: now,
      deadline,
    }),
    { type: 'notify', role: 'supervisor', regionCode, message: `${state.caseNo} ${name}` },
  ];
}

/**
 * The 整改核查意见书 answers an order to correct; a patrol item fixed on the spot has none, so its
 * check stays on the timeline only (change 'verification-result-needs-order').
 */
function verificationDocuments(state: CaseState, context: CaseContext, occasion: string, fields: Record<string, unknown>): CaseEffect[] {
  const hasOrder = state.outcome === 'violation' || state.outcome === 'suspected_crime';
  if (!hasOrder && isChangeInForce(context, 'verification-result-needs-order')) return [];
  return [document(state, 'verification_result', occasion, fields)];
}

function enterClosing(state: CaseState, now: string, context: CaseContext): void {
  state.closingFrom = state.status === 'verifying' ? 'verifying' : 'investigating';
  moveTo(state, 'closing');
  openClock(
    state,
    'closure_approval',
    { label: '结案审批', basis: policyBasis, source: 'policy', step: 'approve_closure', period: { amount: context.policy.closureApprovalWorkingDays, unit: 'WD' } },
    now,
    context,
  );
  openTask(state, now, { kind: 'approve_closure', role: 'supervisor', regionCode: state.countyCode, title: '结案审批', clockId: 'closure_approval' }, context);
}

/** Patrol findings that need no enforcement are fixed by the township on the spot (立行立改). */
function isRectifyOnSpot(state: CaseState): boolean {
  return ['rubbish_burning_dumping', 'black_smelly_water', 'other', 'odour', 'noise'].includes(state.category);
}

function moveTo(state: CaseState, status: CaseStatus): void {
  if (!canTransition(state.status, status)) {
    throw new DomainError('InvalidTransition', `不能从"${statusLabels[state.status]}"转为"${statusLabels[status]}"`);
  }
  state.status = status;
}

function endOfDay(date: string, context: CaseContext): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new DomainError('InvalidInput', `日期格式应为 YYYY-MM-DD：${date}`);
  return addPeriod({ start: date, amount: 0, unit: 'ND', calendar: context.calendar });
}

function document(state: CaseState, kind: DocumentKind, occasion: string, fields: Record<string, unknown>): CaseEffect {
  return { type: 'issueDocument', kind, occasion, fields };
}

/** Case tasks are numbered `<caseId>-t<n>`; a task of a kind exists once per step (task-list). */
function openTask(state: CaseState, now: string, spec: NewTask<CaseTask>, context?: CaseContext): CaseTask {
  return addTask(state, state.caseId, now, spec, { onePerStep: !context || isChangeInForce(context, onePerStepChange) });
}

function closeTasks(state: CaseState, now: string, kind: TaskKind): void {
  closeTasksWhere(state.tasks, now, (task) => task.kind === kind);
}

function closeTaskById(state: CaseState, taskId: string, now: string): void {
  closeTasksWhere(state.tasks, now, (task) => task.taskId === taskId);
}

function openTaskById(state: CaseState, taskId: string): CaseTask {
  const task = state.tasks.find((candidate) => candidate.taskId === taskId && candidate.status === 'open');
  if (!task) throw new DomainError('NotFound', `没有待办任务 ${taskId}`);
  return task;
}

function ownerRole(state: CaseState, clock: Clock): Role {
  const task = state.tasks.find((candidate) => candidate.status === 'open' && candidate.clockId === clock.id);
  return task?.role ?? 'officer';
}

function ownerRegion(state: CaseState, clock: Clock): string {
  const task = state.tasks.find((candidate) => candidate.status === 'open' && candidate.clockId === clock.id);
  return task?.regionCode ?? state.countyCode;
}

/** Drops done tasks and projected events so a long case can continue-as-new with a small input. */
export function compactForContinueAsNew(state: CaseState): CaseState {
  return {
    ...state,
    tasks: state.tasks.filter((task) => task.status === 'open'),
    generation: state.generation + 1,
  };
}

/** Merges a repeat complaint (signal) into this open case. */
export function mergeRepeatComplaint(
  state: CaseState,
  repeat: { caseId: string; channel: IntakeInput['channel']; receivedAt: string; description: string; hasReporter: boolean },
  now: string,
): void {
  if (state.relatedComplaints.some((existing) => existing.caseId === repeat.caseId)) return;
  state.relatedComplaints.push(repeat);
  recordEvent(state, now, 'repeat_merged', `重复举报并入本案（${repeat.receivedAt}）：${repeat.description.slice(0, 40)}`, undefined, { relatedCaseId: repeat.caseId });
  state.revision += 1;
}

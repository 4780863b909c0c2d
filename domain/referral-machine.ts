// The referral state machine (DESIGN.md §4, DOMAIN.md §4 and §4.1): who may do what in which
// status, which clocks each step opens and meets, and what the parent case learns. Pure: the
// referral workflow calls it in its Update validator and handler, the API reads its tables.
import { policeUnitName } from './police-units';
import { climbOneLevel, isChangeInForce, type CaseContext } from './case-clocks';
import { assertDocumentReady } from './document-readiness';
import type { CaseEvent } from './case-state';
import type { DocumentKind } from './documents';
import { DomainError } from './errors';
import { addTask, closeTasksWhere, type NewTask } from './task-list';
import { recordEvent } from './timeline';
import { isWithinRegion } from './regions';
import { roleLabels, type Actor, type Role } from './roles';
import {
  endedReferralStatuses,
  packageItemsFor,
  policeUnitFor,
  referralActionRoles,
  referralIdOf,
  referralStatusLabels,
  type ReferralCaseSnapshot,
  type ReferralClock,
  type ReferralClockId,
  type ReferralCommand,
  type ReferralCommandOf,
  type ReferralOutcome,
  type ReferralProposal,
  type ReferralState,
  type ReferralStatus,
  type ReferralTask,
} from './referral';
import {
  cancelAllReferralClocks,
  cancelReferralClock,
  catalogueSpec,
  isOpen,
  isRunning,
  meetReferralClock,
  openReferralClock,
  resumeReferralClock,
  suspendReferralClock,
  type ReferralClockSpec,
} from './referral-clocks';

export type ReferralEffect =
  | { type: 'issueDocument'; kind: DocumentKind; occasion: string; fields: Record<string, unknown>; then?: 'transfer' }
  | { type: 'notify'; role: Role; regionCode: string; unitId?: string; message: string }
  | { type: 'outcome'; outcome: ReferralOutcome };

export interface OpenReferralInput {
  caseSnapshot: ReferralCaseSnapshot;
  sequence: number;
  proposal: ReferralProposal;
  proposedBy: Actor;
}

const liaisonReceiptBasis = '两法衔接办法 第七条（应当立即接受）；24小时为政策默认 (可配置)';
const detentionReceiptBasis = '行政拘留移送办法 第十二条；1个工作日为政策默认 (可配置)';

/** The officer's proposal: opens the head's 3-ND decision clock and the approval task. */
export function openReferral(input: OpenReferralInput, now: string, context: CaseContext): ReferralState {
  const { caseSnapshot, proposal } = input;
  const state: ReferralState = {
    referralId: referralIdOf(caseSnapshot.caseId, input.sequence),
    sequence: input.sequence,
    route: proposal.route,
    status: 'awaiting_approval',
    case: caseSnapshot,
    proposal: { ...proposal, package: normalisePackage(proposal) },
    proposedBy: pickActor(input.proposedBy),
    proposedAt: now,
    policeUnitId: proposal.policeUnitId ?? policeUnitFor(caseSnapshot.countyCode),
    supplements: [],
    decisionPeriod: 'standard',
    clocks: {},
    tasks: [],
    documents: [],
    outcomes: [],
    escalationLevel: 0,
    revision: 0,
    eventSeq: 0,
    taskSeq: 0,
    events: [],
    unprojectedEvents: [],
  };
  const routeName = proposal.route === 'criminal' ? '涉嫌犯罪案件移送' : '行政拘留案件移送';
  event(state, now, 'proposed', `提请${routeName}：${proposal.suspectedOffence}`, input.proposedBy);
  openReferralClock(state, 'head_decision', catalogueSpec('referral_head_decision', context), 'bureau', now, context);
  task(state, now, { kind: 'approve_referral', role: 'supervisor', regionCode: caseSnapshot.countyCode, title: `审批${routeName}`, clockId: 'head_decision' });
  state.revision += 1;
  return state;
}

/** Package items still missing (Art. 6 for the criminal route, Art. 11 for detention). */
export function missingPackageItems(state: Pick<ReferralState, 'route' | 'proposal'>): string[] {
  return packageItemsFor(state.route).filter(
    (name) => !state.proposal.package.some((item) => item.name === name && item.provided),
  );
}

export function isReferralEnded(status: ReferralStatus): boolean {
  return endedReferralStatuses.includes(status);
}

/** Which side of the referral a role acts for. */
export function sideOf(role: Role): 'police' | 'bureau' | 'none' {
  if (role === 'police_liaison') return 'police';
  if (role === 'officer' || role === 'supervisor') return 'bureau';
  return 'none';
}

/** May this user see the referral at all? Police by unit, the bureau by region subtree. */
export function canSeeReferral(state: Pick<ReferralState, 'policeUnitId' | 'case'>, user: Pick<Actor, 'role' | 'regionCode' | 'unitId'>): boolean {
  if (user.role === 'police_liaison') return Boolean(user.unitId) && user.unitId === state.policeUnitId;
  if (user.role === 'admin') return true;
  return isWithinRegion(state.case.countyCode, user.regionCode);
}

/** Throws a DomainError when `actor` may not do `command` now. Pure: the Update validator calls it. */
export function assertCanPerformReferral(state: ReferralState, command: ReferralCommand, actor: Actor, now: string): void {
  if (!referralActionRoles[command.action].includes(actor.role)) {
    throw new DomainError('NotPermitted', `${roleLabels[actor.role]}无权执行此操作 (${command.action})`);
  }
  if (!canSeeReferral(state, actor)) {
    throw new DomainError('NotPermitted', actor.role === 'police_liaison' ? '此移送案件不是移送给您所在公安机关的' : '移送案件不在您的辖区内');
  }
  if (isReferralEnded(state.status)) {
    throw new DomainError('InvalidTransition', `移送已办结（${referralStatusLabels[state.status]}），不能再执行此操作 (${command.action})`);
  }
  const guard = guards[command.action] as (state: ReferralState, command: ReferralCommand, actor: Actor, now: string) => void;
  guard(state, command, actor, now);
}

export function performReferral(state: ReferralState, command: ReferralCommand, actor: Actor, now: string, context: CaseContext): ReferralEffect[] {
  assertCanPerformReferral(state, command, actor, now);
  const handler = handlers[command.action] as Handler<ReferralCommand>;
  const effects = handler(state, command, actor, now, context);
  endWorkIfEnded(state, now);
  state.revision += 1;
  return effects;
}

/**
 * An ended referral keeps no work: every clock stops and every task closes, the 督办 listings
 * included (nobody can act on them any more). One check after every step and every wake-up,
 * so no terminal transition can forget it.
 */
function endWorkIfEnded(state: ReferralState, now: string): void {
  if (!isReferralEnded(state.status)) return;
  cancelAllReferralClocks(state);
  closeTasksWhere(state.tasks, now, () => true);
}

/**
 * Refuses, naming the missing items in Chinese, a step after which the transfer letter could not
 * be issued: the proposal (from the case) and the approval. The same fields the letter is built
 * from, checked by the same required-field list the renderer uses.
 */
export function assertTransferLetterReady(state: Pick<ReferralState, 'route' | 'proposal' | 'case' | 'proposedBy'>): void {
  assertDocumentReady(transferDocumentKind(state), transferFields(state));
}

type Guard<C extends ReferralCommand> = (state: ReferralState, command: C, actor: Actor, now: string) => void;
type Handler<C extends ReferralCommand> = (state: ReferralState, command: C, actor: Actor, now: string, context: CaseContext) => ReferralEffect[];

function requireStatus(state: ReferralState, action: string, ...statuses: ReferralStatus[]): void {
  if (!statuses.includes(state.status)) {
    throw new DomainError('InvalidTransition', `移送当前状态为"${referralStatusLabels[state.status]}"，不能执行此操作 (${action})`);
  }
}

function requireText(value: string | undefined, message: string): void {
  if (!value?.trim()) throw new DomainError('InvalidInput', message);
}

function windowOpen(clock: ReferralClock | undefined, now: string): boolean {
  return isRunning(clock) && now <= clock.dueAt;
}

const guards: { [A in ReferralCommand['action']]: Guard<ReferralCommandOf<A>> } = {
  updatePackage(state) {
    requireStatus(state, 'updatePackage', 'awaiting_approval');
  },
  approve(state) {
    requireStatus(state, 'approve', 'awaiting_approval');
    const missing = missingPackageItems(state);
    if (missing.length > 0) {
      const article = state.route === 'criminal' ? '两法衔接办法 第六条' : '行政拘留移送办法 第十一条';
      throw new DomainError('InvalidInput', `移送材料不全（${article}），缺少：${missing.join('、')}`, { missing });
    }
    assertTransferLetterReady(state);
  },
  reissueDocument(state, command) {
    if (state.status !== 'approved' || state.transfer) {
      throw new DomainError('InvalidTransition', `移送当前状态为"${referralStatusLabels[state.status]}"，没有需要重新生成的移送书`);
    }
    assertTransferLetterReady({ ...state, proposal: corrected(state, command) });
  },
  refuseApproval(state, command) {
    requireStatus(state, 'refuseApproval', 'awaiting_approval');
    requireText(command.reason, '不批准移送须说明理由');
  },
  sign(state) {
    requireStatus(state, 'sign', 'transferred');
  },
  returnReferral(state, command) {
    requireStatus(state, 'returnReferral', 'transferred', 'received');
    requireText(command.reason, '退回须说明理由');
  },
  requestSupplement(state, command, _actor, now) {
    requireStatus(state, 'requestSupplement', 'received');
    if (command.items.length === 0) throw new DomainError('InvalidInput', '须列明需补充的材料');
    if (!windowOpen(state.clocks.supplement_request, now)) {
      const limit = state.route === 'criminal' ? '受理后24小时内（两法衔接办法 第八条）' : '受理后3个工作日内（行政拘留移送办法 第十三条）';
      throw new DomainError('InvalidTransition', `补充材料须在${limit}提出，期限已过`);
    }
  },
  supply(state, command) {
    requireStatus(state, 'supply', 'supplement_requested');
    if (command.items.length === 0) throw new DomainError('InvalidInput', '须列明补充的材料');
  },
  extendDecision(state, command) {
    requireStatus(state, 'extendDecision', 'received', 'supplement_requested');
    if (state.route !== 'criminal') throw new DomainError('InvalidInput', '行政拘留移送不适用延长立案审查期限');
    requireText(command.approvalRef, '延长立案审查期限须记录批准文号或审批记录（两法衔接办法 第九条）');
    requireText(command.reason, '延长立案审查期限须说明理由');
    const order = { standard: 0, leads: 1, complex: 2 } as const;
    if (order[command.period] <= order[state.decisionPeriod]) throw new DomainError('Conflict', '立案审查期限已延长至此，不能再次延长');
  },
  decide(state, command) {
    requireStatus(state, 'decide', 'received');
    const allowed = state.route === 'criminal' ? ['file', 'not_file'] : ['detain', 'refuse'];
    if (!allowed.includes(command.decision)) throw new DomainError('InvalidInput', `本移送可作出的决定为：${allowed.join('、')}`);
    if ((command.decision === 'not_file' || command.decision === 'refuse') && !command.reasons?.trim()) {
      throw new DomainError('InvalidInput', '不予立案（不予受理）须书面说明理由');
    }
  },
  reportOutcome(state, command) {
    requireStatus(state, 'reportOutcome', 'decided');
    requireText(command.noticeNo, '须填写通知书（决定书）文号');
  },
  handOverGoods(state) {
    requireStatus(state, 'handOverGoods', 'filed');
  },
  requestReconsideration(state, command, _actor, now) {
    requireStatus(state, 'requestReconsideration', 'not_filed');
    requireText(command.reason, '提请复议须说明理由');
    if (!windowOpen(state.clocks.reconsideration_request, now)) {
      throw new DomainError('InvalidTransition', '提请复议须在收到不予立案通知书后3个工作日内（两法衔接办法 第十一条），期限已过');
    }
  },
  answerReconsideration(state, command) {
    requireStatus(state, 'answerReconsideration', 'reconsideration_requested');
    requireText(command.reasons, '复议决定须说明理由');
  },
  proposeSupervision(state, command) {
    const answerOverdue = state.status === 'reconsideration_requested' && (state.clocks.reconsideration_answer?.escalationLevel ?? 0) > 0;
    if (state.status !== 'refusal_maintained' && !answerOverdue) {
      throw new DomainError('InvalidTransition', '立案监督建议须在复议维持不予立案或公安逾期未答复后提出（两法衔接办法 第十二条）');
    }
    requireText(command.procuratorate, '须写明检察机关');
    requireText(command.reason, '须说明建议立案监督的理由');
  },
  closeReferral(state) {
    requireStatus(state, 'closeReferral', 'not_filed', 'refusal_maintained');
  },
};

const handlers: { [A in ReferralCommand['action']]: Handler<ReferralCommandOf<A>> } = {
  updatePackage(state, command, actor, now) {
    state.proposal.package = normalisePackage({ route: state.route, package: command.package });
    if (command.evidence) state.proposal.evidence = command.evidence;
    const missing = missingPackageItems(state);
    event(state, now, 'package_updated', missing.length ? `补充移送材料清单，仍缺：${missing.join('、')}` : '移送材料已齐全', actor);
    return [];
  },

  approve(state, command, actor, now, context) {
    meetReferralClock(state, 'head_decision');
    closeTasks(state, now, 'approve_referral');
    state.approval = { by: actor.userId, at: now, note: command.note };
    state.status = 'approved';
    event(state, now, 'approved', `负责人批准移送${command.note ? `：${command.note}` : ''}`, actor);
    openReferralClock(
      state,
      'transfer',
      catalogueSpec(state.route === 'criminal' ? 'referral_transfer' : 'detention_transfer', context),
      'bureau',
      now,
      context,
    );
    return [
      outcome(state, now, 'approved', '负责人批准移送公安机关'),
      { type: 'issueDocument', kind: transferDocumentKind(state), occasion: `referral-${state.sequence}`, fields: transferFields(state), then: 'transfer' },
    ];
  },

  reissueDocument(state, command, actor, now) {
    state.proposal = corrected(state, command);
    closeTasks(state, now, 'referral_reissue');
    event(state, now, 'document_reissued', `重新生成移送书${command.party || command.contact ? '（已补正当事人或联系人信息）' : ''}`, actor);
    return [{ type: 'issueDocument', kind: transferDocumentKind(state), occasion: `referral-${state.sequence}`, fields: transferFields(state), then: 'transfer' }];
  },

  refuseApproval(state, command, actor, now) {
    meetReferralClock(state, 'head_decision');
    closeTasks(state, now, 'approve_referral');
    state.status = 'head_refused';
    cancelAllReferralClocks(state);
    event(state, now, 'head_refused', `负责人不批准移送：${command.reason}`, actor);
    return [outcome(state, now, 'head_refused', `负责人不批准移送：${command.reason}`, true, true)];
  },

  sign(state, command, actor, now, context) {
    meetReferralClock(state, 'police_receipt');
    closeTasks(state, now, 'police_receive');
    state.receipt = { at: now, by: actor.userId };
    state.status = 'received';
    event(state, now, 'received', `公安机关签收移送材料${command.note ? `：${command.note}` : ''}`, actor);
    if (state.route === 'criminal') {
      openReferralClock(state, 'supplement_request', catalogueSpec('referral_supplement_request', context), 'window', now, context);
      openReferralClock(state, 'police_decision', catalogueSpec('referral_police_decision', context), 'police', now, context);
    } else {
      openReferralClock(state, 'supplement_request', catalogueSpec('detention_supplement_request', context), 'window', now, context);
      openReferralClock(state, 'police_decision', catalogueSpec('detention_refusal', context), 'police', now, context);
    }
    task(state, now, policeTask(state, 'police_decide', state.route === 'criminal' ? '决定是否立案' : '决定是否行政拘留', 'police_decision'));
    return [outcome(state, now, 'received', '公安机关已签收')];
  },

  returnReferral(state, command, actor, now) {
    closeTasks(state, now, 'police_receive');
    closeTasks(state, now, 'police_decide');
    cancelAllReferralClocks(state);
    state.status = 'returned';
    event(state, now, 'returned', `公安机关退回移送：${command.reason}`, actor);
    return [outcome(state, now, 'returned', `公安机关退回：${command.reason}`, true, true)];
  },

  requestSupplement(state, command, actor, now, context) {
    state.supplements.push({ requestedAt: now, items: command.items, note: command.note });
    state.status = 'supplement_requested';
    // The police cannot refuse for incomplete materials (Art. 8), and the time the bureau takes
    // to cure them is not theirs to lose: the decision clock stands still meanwhile.
    const decision = state.clocks.police_decision;
    if (decision) suspendReferralClock(decision, '等待补充移送材料', now);
    const cure: ReferralClockSpec =
      state.route === 'criminal'
        ? catalogueSpec('referral_supplement_cure', context)
        : { label: '补充证据材料', basis: '行政拘留移送办法 第十三条；3个工作日为政策默认 (可配置)', source: 'policy', period: { amount: 3, unit: 'WD' } };
    openReferralClock(state, 'supplement_cure', cure, 'bureau', now, context);
    task(state, now, { kind: 'referral_supplement', role: 'officer', regionCode: state.case.countyCode, title: `补充移送材料：${command.items.join('、')}`, clockId: 'supplement_cure' });
    event(state, now, 'supplement_requested', `公安机关要求补充材料：${command.items.join('、')}`, actor);
    return [
      outcome(state, now, 'supplement_requested', `公安机关要求补充：${command.items.join('、')}`),
      { type: 'notify', role: 'officer', regionCode: state.case.countyCode, message: `${state.case.caseNo} 公安机关要求补充移送材料` },
    ];
  },

  supply(state, command, actor, now, context) {
    const request = state.supplements[state.supplements.length - 1];
    if (request) {
      request.suppliedAt = now;
      request.supplied = command.items;
    }
    meetReferralClock(state, 'supplement_cure');
    closeTasks(state, now, 'referral_supplement');
    const decision = state.clocks.police_decision;
    if (decision) resumeReferralClock(decision, now, context, actor.userId);
    syncTaskDue(state, 'police_decision');
    state.status = 'received';
    event(state, now, 'supplied', `补充移送材料：${command.items.join('、')}`, actor);
    return [
      outcome(state, now, 'supplied', `已补充：${command.items.join('、')}`),
      { type: 'notify', role: 'police_liaison', regionCode: state.case.countyCode, unitId: state.policeUnitId, message: `${state.case.caseNo} 已补充移送材料` },
    ];
  },

  extendDecision(state, command, actor, now, context) {
    const previous = state.clocks.police_decision;
    const start = state.receipt?.at ?? now;
    state.decisionPeriod = command.period;
    state.decisionApprovalRef = command.approvalRef;
    const clock = openReferralClock(
      state,
      'police_decision',
      catalogueSpec(command.period === 'leads' ? 'referral_police_decision_leads' : 'referral_police_decision_complex', context),
      'police',
      start,
      context,
    );
    // Any time the clock stood still for supplements still does not count.
    if (previous) {
      clock.history = [...previous.history, { at: now, from: previous.dueAt, to: clock.dueAt, reason: `延长立案审查期限（${command.approvalRef}）：${command.reason}`, by: actor.userId }];
      const stoppedMs = previous.history.filter((change) => change.reason.startsWith('中止期间不计入')).reduce((sum, change) => sum + (Date.parse(change.to) - Date.parse(change.from)), 0);
      if (stoppedMs > 0) clock.dueAt = new Date(Date.parse(clock.dueAt) + stoppedMs).toISOString();
      if (previous.status === 'suspended') suspendReferralClock(clock, previous.suspensionReason ?? '等待补充移送材料', previous.suspendedAt ?? now);
      clock.escalationLevel = clock.ladder.filter((instant) => instant <= now).length;
    }
    syncTaskDue(state, 'police_decision');
    const days = command.period === 'leads' ? 7 : 30;
    event(state, now, 'decision_extended', `立案审查期限延长至${days}日（批准：${command.approvalRef}），期限 ${clock.dueAt}`, actor, { approvalRef: command.approvalRef });
    return [outcome(state, now, 'decision_extended', `立案审查期限延长至${days}日（${command.approvalRef}）`)];
  },

  decide(state, command, actor, now, context) {
    meetReferralClock(state, 'police_decision');
    cancelReferralClock(state, 'supplement_request');
    closeTasks(state, now, 'police_decide');
    state.decision = { kind: command.decision, at: now, reasons: command.reasons, by: actor.userId };
    if (command.decision === 'refuse') {
      // 行政拘留移送办法 第十五条: refusal with written reasons returns the file; the department closes.
      state.status = 'refused';
      cancelAllReferralClocks(state);
      event(state, now, 'refused', `公安机关不予行政拘留，书面说明理由并退回案卷：${command.reasons}`, actor);
      return [outcome(state, now, 'refused', `公安机关不予受理并退回：${command.reasons}`, true, true)];
    }
    state.status = 'decided';
    const notify = state.route === 'criminal' ? catalogueSpec('referral_police_notify', context) : catalogueSpec('detention_decision_copy', context);
    openReferralClock(state, 'police_notify', notify, 'police', now, context);
    task(state, now, policeTask(state, 'police_decide', state.route === 'criminal' ? '书面通知立案结果（抄送检察院）' : '抄送行政拘留决定书', 'police_notify'));
    const label = decisionLabels[command.decision];
    event(state, now, 'decided', `公安机关决定${label}${command.reasons ? `：${command.reasons}` : ''}`, actor);
    return [outcome(state, now, command.decision === 'file' ? 'filed' : command.decision === 'detain' ? 'detained' : 'not_filed', `公安机关决定${label}`)];
  },

  reportOutcome(state, command, actor, now, context) {
    meetReferralClock(state, 'police_notify');
    closeTasks(state, now, 'police_decide');
    state.notice = { at: now, noticeNo: command.noticeNo };
    const decision = state.decision?.kind;
    event(state, now, 'notified', `公安机关书面通知（${command.noticeNo}）：${decisionLabels[decision ?? 'file']}`, actor);
    const effects: ReferralEffect[] = [];
    if (decision === 'detain') {
      state.status = 'detained';
      cancelAllReferralClocks(state);
      effects.push(outcome(state, now, 'notified', `收到行政拘留决定书（${command.noticeNo}）`, false, true));
      return effects;
    }
    if (decision === 'file') {
      state.status = 'filed';
      openReferralClock(state, 'goods_handover', catalogueSpec('referral_goods_handover', context), 'bureau', now, context);
      task(state, now, { kind: 'referral_goods', role: 'officer', regionCode: state.case.countyCode, title: '移交涉案物品及有关材料', clockId: 'goods_handover' });
      effects.push(outcome(state, now, 'notified', `收到立案通知书（${command.noticeNo}）`));
      return effects;
    }
    state.status = 'not_filed';
    openReferralClock(state, 'reconsideration_request', catalogueSpec('referral_reconsideration_request', context), 'window', now, context);
    task(state, now, { kind: 'referral_reconsider', role: 'supervisor', regionCode: state.case.countyCode, title: '决定是否提请复议', clockId: 'reconsideration_request' });
    effects.push(outcome(state, now, 'notified', `收到不予立案通知书（${command.noticeNo}）`));
    return effects;
  },

  handOverGoods(state, command, actor, now) {
    meetReferralClock(state, 'goods_handover');
    closeTasks(state, now, 'referral_goods');
    state.goodsHandover = { at: now, note: command.note };
    state.status = 'completed';
    cancelAllReferralClocks(state);
    event(state, now, 'goods_handed_over', `移交涉案物品及有关材料${command.note ? `：${command.note}` : ''}`, actor);
    return [outcome(state, now, 'goods_handed_over', '已移交涉案物品，刑事程序进行中（待刑事结果后处理处罚）', false, true)];
  },

  requestReconsideration(state, command, actor, now, context) {
    meetReferralClock(state, 'reconsideration_request');
    closeTasks(state, now, 'referral_reconsider');
    state.reconsideration = { requestedAt: now, reason: command.reason };
    state.status = 'reconsideration_requested';
    openReferralClock(state, 'reconsideration_answer', catalogueSpec('referral_reconsideration_answer', context), 'police', now, context);
    task(state, now, policeTask(state, 'police_decide', '作出复议决定', 'reconsideration_answer'));
    event(state, now, 'reconsideration_requested', `提请复议：${command.reason}`, actor);
    return [outcome(state, now, 'reconsideration_requested', `提请公安机关复议：${command.reason}`)];
  },

  answerReconsideration(state, command, actor, now, context) {
    meetReferralClock(state, 'reconsideration_answer');
    closeTasks(state, now, 'police_decide');
    const reconsideration = state.reconsideration!;
    reconsideration.answeredAt = now;
    reconsideration.answer = command.answer;
    reconsideration.reasons = command.reasons;
    if (command.answer === 'file') {
      state.decision = { kind: 'file', at: now, reasons: command.reasons, by: actor.userId };
      state.status = 'filed';
      openReferralClock(state, 'goods_handover', catalogueSpec('referral_goods_handover', context), 'bureau', now, context);
      task(state, now, { kind: 'referral_goods', role: 'officer', regionCode: state.case.countyCode, title: '移交涉案物品及有关材料', clockId: 'goods_handover' });
      event(state, now, 'reconsideration_answered', `复议决定：撤销不予立案，决定立案。${command.reasons}`, actor);
      return [outcome(state, now, 'reconsideration_answered', '复议决定立案')];
    }
    state.status = 'refusal_maintained';
    openReferralClock(
      state,
      'supervision_window',
      { label: '建议立案监督', basis: '行政执法机关移送涉嫌犯罪案件的规定 第九条', source: 'law', period: { amount: 3, unit: 'ND', rollForwardOnHoliday: true } },
      'window',
      now,
      context,
    );
    event(state, now, 'reconsideration_answered', `复议决定：维持不予立案。${command.reasons}`, actor);
    return [outcome(state, now, 'reconsideration_answered', `复议维持不予立案：${command.reasons}`, true, false)];
  },

  proposeSupervision(state, command, actor, now) {
    state.supervision = { proposedAt: now, procuratorate: command.procuratorate, reason: command.reason };
    state.status = 'supervision_proposed';
    cancelAllReferralClocks(state);
    closeAllTasks(state, now);
    event(state, now, 'supervision_proposed', `向${command.procuratorate}提出立案监督建议：${command.reason}`, actor);
    return [outcome(state, now, 'supervision_proposed', `建议${command.procuratorate}立案监督`, true, true)];
  },

  closeReferral(state, command, actor, now) {
    state.status = 'refused';
    cancelAllReferralClocks(state);
    closeAllTasks(state, now);
    event(state, now, 'closed', `不予立案，移送办结${command.note ? `：${command.note}` : ''}`, actor);
    return [outcome(state, now, 'closed', '不予立案，移送办结', true, true)];
  },
};

const decisionLabels = { file: '立案', not_file: '不予立案', detain: '行政拘留', refuse: '不予行政拘留' } as const;

/**
 * After the transfer letter is issued (or failed): the referral reaches the police inbox and
 * the procuratorate's copy is recorded (Art. 6). A failed letter leaves the transfer clock
 * running, so the overdue ladder brings it to the supervisor.
 */
export function completeTransfer(
  state: ReferralState,
  issued: { docNo: string; documentId: string; issuedAt: string } | undefined,
  now: string,
  context: CaseContext,
): ReferralEffect[] {
  if (!issued) {
    event(state, now, 'document_failed', `移送书未能生成，请重新生成后移送`);
    // Someone must be able to act, or the referral sits at 已批准待移送 for good.
    task(state, now, { kind: 'referral_reissue', role: 'officer', regionCode: state.case.countyCode, title: '移送书未能生成：补正后重新生成移送书', clockId: 'transfer' });
    state.revision += 1;
    return [];
  }
  meetReferralClock(state, 'transfer');
  const procuratorate = `${state.case.agencyName.replace(/生态环境局$/, '')}人民检察院`;
  state.transfer = { at: now, docNo: issued.docNo, documentId: issued.documentId, copiedToProcuratorate: procuratorate, copiedAt: now };
  state.status = 'transferred';
  event(state, now, 'transferred', `移送书 ${issued.docNo} 送达${policeUnitName(state.policeUnitId)}，抄送${procuratorate}`);
  const receipt: ReferralClockSpec =
    state.route === 'criminal'
      ? { label: '公安机关接受并签收', basis: liaisonReceiptBasis, source: 'policy', period: { amount: 24, unit: 'H' } }
      : { label: '公安机关接受并签收', basis: detentionReceiptBasis, source: 'policy', period: { amount: 1, unit: 'WD' } };
  openReferralClock(state, 'police_receipt', receipt, 'police', now, context);
  task(state, now, policeTask(state, 'police_receive', `签收移送案件 ${state.case.caseNo}`, 'police_receipt'));
  state.revision += 1;
  return [
    outcome(state, now, 'transferred', `移送书 ${issued.docNo} 已送达公安机关，抄送${procuratorate}`),
    { type: 'notify', role: 'police_liaison', regionCode: state.case.countyCode, unitId: state.policeUnitId, message: `新移送案件待签收：${state.case.caseNo}` },
  ];
}

export const referralEscalationLevelNames = ['', '超期提醒', '县级督办', '市级督办', '联合挂牌督办'] as const;

/** Fires reminders, closes lapsed windows and climbs the overdue ladder of every running clock. */
export function fireDueReferralClocks(state: ReferralState, now: string, context?: CaseContext): ReferralEffect[] {
  const effects: ReferralEffect[] = [];
  for (const clock of Object.values(state.clocks)) {
    if (!isRunning(clock)) continue;
    if (clock.party === 'window') {
      if (clock.dueAt <= now) effects.push(...windowLapsed(state, clock, now));
      continue;
    }
    if (!clock.reminded && clock.reminderAt && clock.reminderAt <= now) {
      clock.reminded = true;
      event(state, now, 'reminder', `${clock.label}将于 ${clock.dueAt} 到期`, undefined, { clockId: clock.id });
      effects.push(ownerNotice(state, clock, `提醒：${state.case.caseNo} ${clock.label}即将到期`));
    }
    if (!context || isChangeInForce(context, 'one-overdue-level-per-wake')) {
      if (climbOneLevel(clock, now)) effects.push(...overdue(state, clock, now));
      continue;
    }
    while (clock.escalationLevel < clock.ladder.length && clock.ladder[clock.escalationLevel]! <= now) {
      clock.escalationLevel += 1;
      effects.push(...overdue(state, clock, now));
    }
  }
  endWorkIfEnded(state, now);
  if (effects.length > 0) state.revision += 1;
  return effects;
}

function windowLapsed(state: ReferralState, clock: ReferralClock, now: string): ReferralEffect[] {
  clock.status = 'met';
  event(state, now, 'window_closed', `${clock.label}期限届满（${clock.dueAt}）`, undefined, { clockId: clock.id });
  if (clock.id === 'reconsideration_request' && state.status === 'not_filed') {
    state.status = 'refused';
    cancelAllReferralClocks(state);
    closeAllTasks(state, now);
    event(state, now, 'refused', '未在期限内提请复议，不予立案决定生效，移送办结');
    return [outcome(state, now, 'refused', '未提请复议，不予立案，移送办结', true, true)];
  }
  if (clock.id === 'supervision_window' && state.status === 'refusal_maintained') {
    state.status = 'refused';
    cancelAllReferralClocks(state);
    closeAllTasks(state, now);
    event(state, now, 'refused', '复议维持不予立案，未建议立案监督，移送办结');
    return [outcome(state, now, 'refused', '复议维持不予立案，移送办结', true, true)];
  }
  return [];
}

function overdue(state: ReferralState, clock: ReferralClock, now: string): ReferralEffect[] {
  const level = clock.escalationLevel;
  state.escalationLevel = Math.max(state.escalationLevel, level);
  for (const open of state.tasks) {
    if (open.status === 'open' && open.clockId === clock.id && open.kind !== 'supervise_overdue') open.escalationLevel = level;
  }
  const who = clock.party === 'police' ? '公安机关' : '本局';
  const name = referralEscalationLevelNames[level] ?? '督办';
  const reason = `${who}${clock.label}超期未办（期限 ${clock.dueAt}）`;
  event(state, now, level === 1 ? 'overdue' : 'escalated', `${name}：${reason}`, undefined, { clockId: clock.id, level });
  const regionCode = level >= 4 ? provinceOf(state) : level === 3 ? state.case.cityCode : state.case.countyCode;
  task(state, now, {
    kind: 'supervise_overdue',
    role: 'supervisor',
    regionCode: level >= 4 ? state.case.countyCode : regionCode,
    title: level >= 4 ? `联合挂牌督办（环保、公安、检察）：${reason}` : `${name}：${reason}`,
    clockId: clock.id,
    escalationLevel: level,
  });
  const effects: ReferralEffect[] = [
    { type: 'notify', role: 'supervisor', regionCode, message: `${state.case.caseNo} ${name}：${reason}` },
  ];
  if (level === 1) effects.push(ownerNotice(state, clock, `${state.case.caseNo} ${clock.label}已超期`));
  if (clock.party === 'police' && level === 1) effects.push(outcome(state, now, 'overdue', reason));
  if (level >= 4 && !state.jointSupervision) {
    state.jointSupervision = { at: now, clockId: clock.id };
    effects.push(outcome(state, now, 'joint_supervision', `联合挂牌督办：${reason}`));
  }
  return effects;
}

function provinceOf(state: ReferralState): string {
  return `${state.case.countyCode.slice(0, 2)}0000`;
}

function ownerNotice(state: ReferralState, clock: ReferralClock, message: string): ReferralEffect {
  if (clock.party === 'police') {
    return { type: 'notify', role: 'police_liaison', regionCode: state.case.countyCode, unitId: state.policeUnitId, message };
  }
  const owner = state.tasks.find((candidate) => candidate.status === 'open' && candidate.clockId === clock.id);
  return { type: 'notify', role: owner?.role ?? 'officer', regionCode: state.case.countyCode, message };
}

function outcome(state: ReferralState, at: string, type: ReferralOutcome['type'], summary: string, releasesPenaltyClocks = false, ended = false): ReferralEffect {
  const result: ReferralOutcome = { referralId: state.referralId, route: state.route, at, type, summary, releasesPenaltyClocks, ended };
  state.outcomes.push(result);
  return { type: 'outcome', outcome: result };
}

function transferDocumentKind(state: Pick<ReferralState, 'route'>): DocumentKind {
  return state.route === 'criminal' ? 'criminal_transfer' : 'detention_transfer';
}

/** The transfer letter's fields: never the complainant, only the case and the package. */
export function transferFields(state: Pick<ReferralState, 'route' | 'proposal' | 'case' | 'proposedBy'>): Record<string, unknown> {
  const { proposal } = state;
  const party = proposal.party ?? { name: state.case.subject?.name ?? '', creditCode: state.case.subject?.creditCode };
  const police = `${state.case.agencyName.replace(/生态环境局$/, '')}公安局`;
  return {
    recipient: police,
    party: { name: party.name, creditCode: party.creditCode ?? '', address: party.address ?? state.case.location.address, legalRepresentative: party.legalRepresentative ?? '' },
    facts: proposal.facts,
    suspectedOffence: proposal.suspectedOffence,
    legalBasis:
      proposal.legalBasis ??
      (state.route === 'criminal'
        ? '《行政执法机关移送涉嫌犯罪案件的规定》第三条、《环境保护行政执法与刑事司法衔接工作办法》第五条'
        : '《中华人民共和国环境保护法》第六十三条、《行政主管部门移送适用行政拘留环境违法案件暂行办法》'),
    materials: proposal.package
      .filter((item) => item.provided)
      .map((item) => ({ name: item.name, copies: item.copies ?? 1, pages: item.pages ?? 1, note: item.note ?? '' })),
    responsiblePersons: proposal.responsiblePersons ?? [],
    copyTo: `${state.case.agencyName.replace(/生态环境局$/, '')}人民检察院`,
    contact: proposal.contact ?? { name: state.proposedBy.name, phone: '' },
  };
}

/** The proposal with the party and contact a reissue corrects; the party starts from the case's subject, as the letter does. */
function corrected(state: Pick<ReferralState, 'proposal' | 'case'>, command: ReferralCommandOf<'reissueDocument'>): ReferralProposal {
  const { proposal } = state;
  const party = proposal.party ?? { name: state.case.subject?.name ?? '', creditCode: state.case.subject?.creditCode };
  return {
    ...proposal,
    ...(command.party ? { party: { ...party, ...command.party, name: command.party.name ?? party.name } } : {}),
    ...(command.contact ? { contact: command.contact } : {}),
  };
}

function normalisePackage(proposal: Pick<ReferralProposal, 'route' | 'package'>): ReferralProposal['package'] {
  const given = new Map(proposal.package.map((item) => [item.name, item]));
  const items = packageItemsFor(proposal.route).map((name) => given.get(name) ?? { name, provided: false });
  const extra = proposal.package.filter((item) => !packageItemsFor(proposal.route).includes(item.name));
  return [...items, ...extra];
}

function pickActor(actor: Actor): ReferralState['proposedBy'] {
  return { userId: actor.userId, name: actor.name, role: actor.role, regionCode: actor.regionCode };
}

function policeTask(state: ReferralState, kind: ReferralTask['kind'], title: string, clockId: ReferralClockId): NewTask<ReferralTask> {
  return { kind, role: 'police_liaison', regionCode: state.case.countyCode, unitId: state.policeUnitId, title, clockId };
}

/** Referral tasks are numbered `<referralId>-t<n>`, so a task names its referral. */
function task(state: ReferralState, now: string, spec: NewTask<ReferralTask>): ReferralTask {
  return addTask(state, state.referralId, now, spec);
}

function closeTasks(state: ReferralState, now: string, kind: ReferralTask['kind']): void {
  closeTasksWhere(state.tasks, now, (open) => open.kind === kind);
}

/** The referral has ended: its work is done, but an overdue listing stays for the supervisor. */
function closeAllTasks(state: ReferralState, now: string): void {
  closeTasksWhere(state.tasks, now, (open) => open.kind !== 'supervise_overdue');
}

function syncTaskDue(state: ReferralState, clockId: ReferralClockId): void {
  const clock = state.clocks[clockId];
  for (const open of state.tasks) {
    if (open.status === 'open' && open.clockId === clockId && clock) open.dueAt = clock.dueAt;
  }
}

/** A referral keeps its whole timeline too (its page shows it); the case keeps only what is unprojected. */
function event(state: ReferralState, at: string, type: string, summary: string, actor?: Actor, data?: Record<string, unknown>): CaseEvent {
  const recorded = recordEvent(state, at, type, summary, actor, data);
  state.events.push(recorded);
  return recorded;
}

export { isOpen as isOpenReferralClock };

/** The inbox a referral sits in, for GET /api/referrals?box=… */
export function referralBoxOf(status: ReferralStatus): 'awaiting_approval' | 'awaiting_receipt' | 'awaiting_decision' | 'decided' | 'ended' {
  if (isReferralEnded(status)) return 'ended';
  if (status === 'awaiting_approval' || status === 'approved') return 'awaiting_approval';
  if (status === 'transferred') return 'awaiting_receipt';
  if (status === 'received' || status === 'supplement_requested') return 'awaiting_decision';
  return 'decided';
}

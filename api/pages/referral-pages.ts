import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ZodError } from 'zod';
import { getDocumentPdf } from '../../read-model/documents.repository';
import { assertCanPerform } from '../../domain/case-machine';
import type { CaseState } from '../../domain/case-state';
import { documentKinds } from '../../domain/documents';
import { isDomainError } from '../../domain/errors';
import {
  packageItemsFor,
  referralActionRoles,
  referralActions,
  referralStatusLabels,
  referralWorkflowId,
  type ReferralAction,
  type ReferralClock,
  type ReferralCommand,
  type ReferralRoute,
  type ReferralState,
  type ReferralStatus,
  type ReferralView,
} from '../../domain/referral';
import { policeUnitName, policeUnitsFor } from '../../domain/police-units';
import { assertCanPerformReferral, missingPackageItems, sideOf } from '../../domain/referral-machine';
import type { Actor, Role } from '../../domain/roles';
import { countReferrals, listReferralInbox, listReferralStatusesOfCase } from '../../read-model/referrals.repository';
import { referralActionUpdate } from '../../workflows/referral-messages';
import { canPerformAction } from '../access-control';
import { actorOf, currentUser } from '../auth';
import { assertCaseVisible } from '../case-queries';
import { performCaseAction, type CaseCommandDeps } from '../case-commands';
import { HttpError, toProblem } from '../http-errors';
import { countAction } from '../metrics';
import { auditReferralRefusal, canUseReferrals, referralAudience, visibleReferral } from '../referral-access';
import { referralCommandSchema, referralProposalSchema } from '../referrals.schemas';
import type { PageCsrf } from './csrf';
import { formFields } from './forms';
import { clockStatusLabels, dateTime, fieldLabels, regionName, roleLabel, timeLeft, type TimeLeft } from './present';
import { readableSummary } from '../../domain/timeline';

/**
 * The referral pages (两法衔接 / 行政拘留): the inbox (the police liaison's unit only; the bureau
 * its region subtree), one referral with its package, clocks, documents and timeline, and the
 * forms of exactly the actions the validator would accept from this user now. Reads the same
 * read model the referral API reads, asks the same domain validator, and sends commands through
 * the same workflow Update. A referral never carries the complainant's identity, and nothing
 * here reads it from the case.
 */

export interface FormState {
  action: string;
  errors: string[];
  values: Record<string, string>;
}

export interface ReferralPageContext {
  render(req: Request, res: Response, view: string, context: Record<string, unknown>, status?: number): void;
  csrf: PageCsrf;
  requirePage: RequestHandler;
  commandDeps: CaseCommandDeps;
  /** Re-renders the case page with a refused form (the 移送公安 proposal lives there). */
  renderCase(req: Request, res: Response, caseId: string, form?: FormState, status?: number): Promise<void>;
}

export function canUseReferralPages(role: Role): boolean {
  return canUseReferrals(role);
}

type Box = 'awaiting_approval' | 'awaiting_receipt' | 'awaiting_decision' | 'overdue' | 'decided' | 'ended';

const boxLabels: Record<Box, string> = {
  awaiting_approval: '待审批',
  awaiting_receipt: '待签收',
  awaiting_decision: '待决定',
  overdue: '已超期',
  decided: '已决定',
  ended: '已办结',
};

/** The police liaison's four tabs; the bureau also follows approvals and ended referrals. */
function boxesFor(role: Role): Box[] {
  return role === 'police_liaison'
    ? ['awaiting_receipt', 'awaiting_decision', 'overdue', 'decided']
    : ['awaiting_approval', 'awaiting_receipt', 'awaiting_decision', 'overdue', 'decided', 'ended'];
}

export const routeLabels: Record<ReferralRoute, string> = { criminal: '涉嫌犯罪案件移送', detention: '行政拘留案件移送' };

export const referralActionLabels: Record<ReferralAction, string> = {
  updatePackage: '更新移送材料清单',
  approve: '批准移送',
  refuseApproval: '不批准移送',
  sign: '签收移送材料',
  returnReferral: '退回移送',
  requestSupplement: '要求补充材料',
  supply: '补充移送材料',
  extendDecision: '延长立案审查期限',
  decide: '作出决定',
  reportOutcome: '书面通知决定',
  handOverGoods: '移交涉案物品',
  requestReconsideration: '提请复议',
  answerReconsideration: '作出复议决定',
  proposeSupervision: '建议检察院立案监督',
  closeReferral: '移送办结',
  reissueDocument: '重新生成移送书',
};

const partyLabels: Record<ReferralClock['party'], string> = { police: '公安机关', bureau: '本局', window: '期间' };

const decisionLabels = { file: '立案', not_file: '不予立案', detain: '行政拘留', refuse: '不予行政拘留' } as const;

const referralFieldLabels: Record<string, string> = {
  items: '材料',
  note: '备注',
  reason: '理由',
  reasons: '理由',
  period: '延长期限',
  approvalRef: '批准文号或审批记录',
  decision: '决定',
  noticeNo: '通知书（决定书）文号',
  answer: '复议决定',
  procuratorate: '检察机关',
  package: '移送材料清单',
  route: '移送类型',
  suspectedOffence: '涉嫌罪名或违法情形',
  facts: '涉嫌犯罪（违法）事实',
  legalBasis: '法律依据',
  evidence: '证据清单',
  'party.name': '当事人名称',
  'party.creditCode': '统一社会信用代码',
  'party.address': '当事人地址',
  'party.legalRepresentative': '法定代表人',
  'contact.name': '联系人',
  'contact.phone': '联系电话',
};

/** Zod issues as sentences naming the field in Chinese (array positions fold into their field). */
export function referralFormErrors(error: ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((part) => typeof part === 'string').join('.');
    const label = referralFieldLabels[path] ?? fieldLabels[path] ?? (path || '表单');
    const message = issue.code === 'invalid_type' ? '必填' : issue.code === 'invalid_value' || issue.code === 'invalid_union' ? '请从选项中选择' : issue.message;
    return `${label}：${message}`;
  });
}

// --- queries ------------------------------------------------------------------------------

/** The clock whose end matters most to this user: their side's earliest running one. */
function nextDue(view: ReferralView, role: Role): string | undefined {
  const running = Object.values(view.clocks).filter((clock): clock is ReferralClock => clock?.status === 'running' && clock.party !== 'window');
  const side = sideOf(role) === 'police' ? 'police' : 'bureau';
  const mine = running.filter((clock) => clock.party === side);
  // The liaison counts only what the police owe; the bureau follows the police's clocks too.
  return (mine.length > 0 || side === 'police' ? mine : running).map((clock) => clock.dueAt).sort()[0];
}

// --- what the user may do now ------------------------------------------------------------

/** A well-formed command of each action, used only to ask the domain validator. */
function sampleCommand(action: ReferralAction, view: ReferralView): ReferralCommand {
  switch (action) {
    case 'updatePackage':
      return { action, package: view.proposal.package };
    case 'approve':
    case 'sign':
    case 'handOverGoods':
    case 'closeReferral':
    case 'reissueDocument':
      return { action };
    case 'refuseApproval':
    case 'returnReferral':
    case 'requestReconsideration':
      return { action, reason: '—' };
    case 'requestSupplement':
    case 'supply':
      return { action, items: ['—'] };
    case 'extendDecision':
      return { action, period: 'complex', approvalRef: '—', reason: '—' };
    case 'decide':
      return { action, decision: view.route === 'criminal' ? 'file' : 'detain' };
    case 'reportOutcome':
      return { action, noticeNo: '—' };
    case 'answerReconsideration':
      return { action, answer: 'maintain', reasons: '—' };
    case 'proposeSupervision':
      return { action, procuratorate: '—', reason: '—' };
  }
}

/**
 * The referral actions `actor` may take now: the validator the workflow runs is asked with a
 * sample of each. Approval is offered while the package is incomplete, so that the supervisor
 * sees why it is refused (the validator names the missing items on the form).
 */
export function availableReferralActions(view: ReferralView, ended: boolean, actor: Actor, now = new Date().toISOString()): ReferralAction[] {
  if (ended) return [];
  const state: ReferralState = { ...view, unprojectedEvents: [] };
  return referralActions.filter((action) => {
    if (!referralActionRoles[action].includes(actor.role)) return false;
    const command = sampleCommand(action, view);
    try {
      assertCanPerformReferral(state, command, actor, now);
      return true;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      // Offered even when refused for missing content, so the form says what to supply.
      return error.code === 'InvalidInput' && ((action === 'approve' && view.status === 'awaiting_approval') || (action === 'reissueDocument' && view.status === 'approved'));
    }
  });
}

// --- forms -> commands ---------------------------------------------------------------------

function lines(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/\r?\n|；|;/u)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** 直接责任人员, one a line as 姓名，职务 (a missing 职务 stays empty for the schema to ask for). */
function persons(value: unknown): { name: string; role: string }[] {
  return lines(value).map((line) => {
    const [name = '', ...role] = line.split(/[，,]/u);
    return { name: name.trim(), role: role.join('，').trim() };
  });
}

function checked(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** A referral action's form as the command the API schema takes. */
export function referralCommandFromForm(action: string, body: Record<string, unknown> | undefined, view: ReferralView): Record<string, unknown> {
  const fields = formFields(body ?? {}, ['_csrf', 'items', 'provided']);
  const command: Record<string, unknown> = { ...fields, action };
  if (action === 'requestSupplement' || action === 'supply') command.items = lines(body?.items);
  if (action === 'updatePackage') {
    const provided = new Set(checked(body?.provided));
    command.package = view.proposal.package.map((item) => ({ ...item, provided: provided.has(item.name) }));
  }
  if (action === 'reissueDocument') {
    const { partyName, partyCreditCode, partyAddress, partyLegalRepresentative, contactName, contactPhone } = fields;
    const party = Object.fromEntries(Object.entries({ name: partyName, creditCode: partyCreditCode, address: partyAddress, legalRepresentative: partyLegalRepresentative }).filter(([, value]) => value));
    return {
      action,
      ...(Object.keys(party).length > 0 ? { party } : {}),
      ...(contactPhone ? { contact: { name: contactName || view.proposedBy.name, phone: contactPhone } } : {}),
    };
  }
  return command;
}

/** The 移送公安 form on the case page as the proposal the API schema takes. No reporter field exists. */
export function proposalFromForm(body: Record<string, unknown> | undefined): Record<string, unknown> {
  const fields = formFields(body ?? {}, ['_csrf', 'evidence', 'package_criminal', 'package_detention']);
  const route = fields.route === 'detention' ? 'detention' : fields.route === 'criminal' ? 'criminal' : fields.route;
  const provided = new Set(checked(route === 'detention' ? body?.package_detention : body?.package_criminal));
  const names = route === 'criminal' || route === 'detention' ? packageItemsFor(route) : [];
  return {
    route,
    suspectedOffence: fields.suspectedOffence,
    facts: fields.facts,
    ...(fields.legalBasis ? { legalBasis: fields.legalBasis } : {}),
    ...(fields.policeUnitId ? { policeUnitId: fields.policeUnitId } : {}),
    evidence: lines(body?.evidence),
    ...(persons(body?.responsiblePersons).length ? { responsiblePersons: persons(body?.responsiblePersons) } : {}),
    package: names.map((name) => ({ name, provided: provided.has(name) })),
    ...(fields.partyName ? { party: { name: fields.partyName, ...(fields.partyCreditCode ? { creditCode: fields.partyCreditCode } : {}), ...(fields.partyAddress ? { address: fields.partyAddress } : {}), ...(fields.partyLegalRepresentative ? { legalRepresentative: fields.partyLegalRepresentative } : {}) } } : {}),
    // The contact name comes filled with the officer's; without a phone the letter names the proposer.
    ...(fields.contactPhone ? { contact: { name: fields.contactName, phone: fields.contactPhone } } : {}),
  };
}

// --- the case page's panel ---------------------------------------------------------------

/**
 * The case page's referral panel: the case's referrals (links) and, for an officer while the
 * case is investigating or later, the 移送公安 form with the route's package as checkboxes.
 */
export async function caseReferralPanel(state: CaseState | undefined, actor: Actor, form?: FormState): Promise<Record<string, unknown> | undefined> {
  if (!state || !canUseReferralPages(actor.role) || actor.role === 'police_liaison') return undefined;
  const refs = state.referrals ?? [];
  const records = refs.length ? await listReferralStatusesOfCase(state.caseId) : [];
  const referrals = refs.map((ref) => {
    const record = records.find((candidate) => candidate.referralId === ref.referralId);
    const status = (record?.status ?? 'awaiting_approval') as ReferralStatus;
    return { ...ref, routeLabel: routeLabels[ref.route], statusLabel: referralStatusLabels[status] ?? status, proposed: dateTime(ref.proposedAt) };
  });
  const routes = canPerformAction(actor.role, 'proposeReferral')
    ? (['criminal', 'detention'] as const).filter((route) => {
        try {
          assertCanPerform(state, { action: 'proposeReferral', route, suspectedOffence: '—', facts: '—', evidence: [], package: [] }, actor);
          return true;
        } catch (error) {
          // Missing content (the sample has none) is for the form to ask for, not a reason to hide it.
          if (isDomainError(error)) return error.code === 'InvalidInput';
          throw error;
        }
      })
    : [];
  const mine = form?.action === 'proposeReferral';
  const values = mine ? form.values : {};
  const selectedRoute = values.route ?? routes[0];
  const checkedItems = new Set(mine ? (form.values._checked ?? '').split('\n') : []);
  const propose = routes.length
    ? {
        errors: mine ? form.errors : undefined,
        values: {
          ...values,
          partyName: values.partyName ?? (mine ? '' : state.subject?.name ?? ''),
          partyCreditCode: values.partyCreditCode ?? (mine ? '' : state.subject?.creditCode ?? ''),
          partyAddress: values.partyAddress ?? (mine ? '' : state.location.address),
          contactName: values.contactName ?? (mine ? '' : actor.name),
        },
        // Only units that answer for the case are offered, by name; the same-level one first.
        policeUnits: policeUnitsFor(state.countyCode).map((unit, index) => ({
          id: unit.id,
          name: unit.name,
          selected: values.policeUnitId ? values.policeUnitId === unit.id : index === 0,
        })),
        routes: routes.map((route) => ({
          route,
          label: routeLabels[route],
          selected: route === selectedRoute,
          items: packageItemsFor(route).map((name, index) => ({ name, index, checked: checkedItems.has(`${route}:${name}`) })),
        })),
      }
    : undefined;
  if (!referrals.length && !propose) return undefined;
  return { referrals, propose };
}

// --- routes -------------------------------------------------------------------------------

export function referralPages(ctx: ReferralPageContext): Router {
  const { render, csrf, requirePage, commandDeps } = ctx;
  const router = Router();

  router.get('/referrals', requirePage, async (req, res) => {
    const user = currentUser(req);
    if (!canUseReferralPages(user.role)) throw new HttpError(403, '您的角色不能查看移送案件');
    const boxes = boxesFor(user.role);
    const box = (boxes as string[]).includes(String(req.query.box)) ? (req.query.box as Box) : boxes[0]!;
    const now = new Date();
    const [docs, counts] = await Promise.all([
      listReferralInbox(referralAudience(user), box, 100),
      Promise.all(boxes.map((name) => countReferrals(referralAudience(user), name))),
    ]);
    const rows = docs
      .map((doc) => {
        const view = doc.view as ReferralView;
        const due = view ? nextDue(view, user.role) : doc.policeDueAt?.toISOString();
        const left: TimeLeft = doc.ended ? { text: '已办结', urgency: 'none', ms: Number.POSITIVE_INFINITY } : timeLeft(due, now);
        return {
          referralId: doc._id,
          caseNo: doc.caseNo,
          routeLabel: routeLabels[doc.route as ReferralRoute] ?? doc.route,
          status: doc.status,
          statusLabel: referralStatusLabels[doc.status as ReferralStatus] ?? doc.status,
          suspectedOffence: doc.suspectedOffence,
          partyName: doc.partyName,
          agencyName: view?.case.agencyName,
          escalationLevel: doc.escalationLevel ?? 0,
          due: dateTime(due),
          left,
        };
      })
      .sort((a, b) => a.left.ms - b.left.ms);
    render(req, res, 'referrals', {
      title: '移送案件',
      isPolice: user.role === 'police_liaison',
      unitName: user.unitId ? policeUnitName(user.unitId) : undefined,
      tabs: boxes.map((name, index) => ({ box: name, label: boxLabels[name], count: counts[index], current: name === box })),
      boxLabel: boxLabels[box],
      rows,
    });
  });

  const renderReferral = async (req: Request, res: Response, referralId: string, form?: FormState, status = 200) => {
    const user = currentUser(req);
    const { view, ended } = await visibleReferral(user, referralId);
    const now = new Date();
    const actions = availableReferralActions(view, ended, actorOf(req), now.toISOString());
    const missing = missingPackageItems(view);
    const lastSupplement = view.supplements[view.supplements.length - 1];
    const clocks = Object.values(view.clocks)
      .filter((clock): clock is ReferralClock => clock !== undefined)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
      .map((clock) => ({
        ...clock,
        partyLabel: partyLabels[clock.party],
        statusLabel: clockStatusLabels[clock.status] ?? clock.status,
        started: dateTime(clock.startedAt),
        due: dateTime(clock.dueAt),
        left: clock.status === 'running' && clock.party !== 'window' ? timeLeft(clock.dueAt, now) : undefined,
        // The basis of a policy period already says 政策默认; the note is for others only.
        isPolicy: clock.source === 'policy' && !clock.basis.includes('政策默认'),
        history: clock.history.map((change) => ({ ...change, atText: dateTime(change.at), fromText: dateTime(change.from), toText: dateTime(change.to) })),
      }));
    const periodOrder = { standard: 0, leads: 1, complex: 2 } as const;
    render(
      req,
      res,
      'referral',
      {
        title: `移送 ${view.case.caseNo}`,
        view,
        routeLabel: routeLabels[view.route],
        statusLabel: referralStatusLabels[view.status] ?? view.status,
        ended,
        isBureau: sideOf(user.role) === 'bureau' || user.role === 'admin',
        caseRegion: regionName(view.case.location.regionCode),
        policeUnitName: policeUnitName(view.policeUnitId),
        proposed: dateTime(view.proposedAt),
        transferred: view.transfer && { ...view.transfer, atText: dateTime(view.transfer.at) },
        received: view.receipt && dateTime(view.receipt.at),
        decision: view.decision && { ...view.decision, label: decisionLabels[view.decision.kind], atText: dateTime(view.decision.at) },
        notice: view.notice && { ...view.notice, atText: dateTime(view.notice.at) },
        packageItems: view.proposal.package.map((item) => ({ ...item, missing: !item.provided })),
        missing,
        supplements: view.supplements.map((supplement) => ({
          ...supplement,
          requested: dateTime(supplement.requestedAt),
          suppliedText: supplement.suppliedAt ? dateTime(supplement.suppliedAt) : '',
        })),
        clocks,
        openTasks: view.tasks
          .filter((task) => task.status === 'open')
          .map((task) => ({ ...task, roleLabel: roleLabel(task.role), due: dateTime(task.dueAt), left: timeLeft(task.dueAt, now) })),
        documents: view.documents.map((doc) => ({
          ...doc,
          title: documentKinds[doc.kind]?.title ?? doc.kind,
          issued: dateTime(doc.issuedAt),
          pdfUrl: `/referrals/${encodeURIComponent(view.referralId)}/documents/${encodeURIComponent(doc.documentId)}/pdf`,
        })),
        timeline: view.events.map((event) => ({ seq: event.seq, type: event.type, summary: readableSummary(event.summary), atText: dateTime(event.at), actorName: event.actor?.name, roleLabel: event.actor ? roleLabel(event.actor.role) : '' })),
        actions: actions.map((action) => {
          const mine = form?.action === action;
          const values = mine ? form.values : {};
          return {
            action,
            label: referralActionLabels[action],
            partial: `referral-action-${action}`,
            errors: mine ? form.errors : undefined,
            values: {
              ...values,
              items: values.items ?? (action === 'supply' && lastSupplement ? lastSupplement.items.join('\n') : ''),
            },
            packageItems: action === 'updatePackage' ? view.proposal.package : undefined,
            criminal: view.route === 'criminal',
            periods: action === 'extendDecision'
              ? (['leads', 'complex'] as const)
                  .filter((period) => periodOrder[period] > periodOrder[view.decisionPeriod])
                  .map((period) => ({ period, label: period === 'leads' ? '需核查线索：延长至7日' : '重大疑难复杂：延长至30日', selected: values.period === period }))
              : undefined,
            decisions: action === 'decide'
              ? (view.route === 'criminal' ? (['file', 'not_file'] as const) : (['detain', 'refuse'] as const)).map((decision, index) => ({
                  decision,
                  label: decisionLabels[decision],
                  checked: values.decision ? values.decision === decision : index === 0,
                }))
              : undefined,
          };
        }),
        // A refused action whose form is no longer drawn (the referral moved on, or ended) still says why.
        refusal: form && !actions.some((action) => action === form.action)
          ? { label: referralActionLabels[form.action as ReferralAction] ?? form.action, errors: form.errors.length > 0 ? form.errors : ['操作未能完成'] }
          : undefined,
        done: typeof req.query.done === 'string' && req.query.done in referralActionLabels ? referralActionLabels[req.query.done as ReferralAction] : undefined,
      },
      status,
    );
  };

  router.get('/referrals/:referralId', requirePage, async (req, res) => renderReferral(req, res, req.params.referralId as string));

  router.post('/referrals/:referralId/actions/:action', requirePage, csrf.protect, async (req, res) => {
    const user = currentUser(req);
    const actor = actorOf(req);
    const referralId = req.params.referralId as string;
    const action = req.params.action as string;
    const { view, ended } = await visibleReferral(user, referralId);
    const body = req.body as Record<string, unknown> | undefined;
    const values = formFields(body ?? {}, ['_csrf', 'provided']);
    const parsed = referralCommandSchema.safeParse(referralCommandFromForm(action, body, view));
    if (!parsed.success) return renderReferral(req, res, referralId, { action, errors: referralFormErrors(parsed.error), values }, 400);
    const command = parsed.data;
    const refused = async (status: number, message: string) => {
      await auditReferralRefusal(view, actor, command.action, message);
      return renderReferral(req, res, referralId, { action, errors: [message], values }, status);
    };
    if (ended) return refused(409, `移送已办结，不能再执行此操作（${referralActionLabels[command.action]}）`);
    const handle = commandDeps.temporal.workflow.getHandle(referralWorkflowId(view.case.caseId, view.sequence));
    try {
      await handle.executeUpdate(referralActionUpdate, { args: [{ command, actor }] });
      countAction('referral', command.action);
    } catch (error) {
      const { status, body: problem } = toProblem(error);
      if (status >= 500) throw error;
      return refused(status, problem.error);
    }
    res.redirect(303, `/referrals/${encodeURIComponent(referralId)}?done=${encodeURIComponent(command.action)}#actions`);
  });

  /** The referral's own documents (the transfer letter) for whoever may see the referral. */
  router.get('/referrals/:referralId/documents/:documentId/pdf', requirePage, async (req, res) => {
    const { view } = await visibleReferral(currentUser(req), req.params.referralId as string);
    const listed = view.documents.find((doc) => doc.documentId === req.params.documentId);
    const pdf = listed && (await getDocumentPdf(listed.documentId));
    if (!pdf) throw new HttpError(404, `文书不存在或尚未生成：${String(req.params.documentId)}`);
    res.set({ 'Content-Type': 'application/pdf', 'Cache-Control': 'private, no-cache', 'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(pdf.docNo)}.pdf` });
    res.status(200).send(pdf.bytes);
  });

  // The 移送公安 proposal, from the case page.
  router.post('/cases/:caseId/referrals', requirePage, csrf.protect, async (req, res) => {
    const user = currentUser(req);
    const caseId = req.params.caseId as string;
    await assertCaseVisible(user, caseId);
    const body = req.body as Record<string, unknown> | undefined;
    const route = body?.route === 'detention' ? 'detention' : 'criminal';
    const values = {
      ...formFields(body ?? {}, ['_csrf', 'package_criminal', 'package_detention']),
      _checked: checked(route === 'detention' ? body?.package_detention : body?.package_criminal).map((name) => `${route}:${name}`).join('\n'),
    };
    const form = (errors: string[]): FormState => ({ action: 'proposeReferral', errors, values });
    const parsed = referralProposalSchema.safeParse(proposalFromForm(body));
    if (!parsed.success) return ctx.renderCase(req, res, caseId, form(referralFormErrors(parsed.error)), 400);
    try {
      await performCaseAction(commandDeps, caseId, { action: 'proposeReferral', ...parsed.data }, actorOf(req));
    } catch (error) {
      const { status, body: problem } = toProblem(error);
      if (status >= 500) throw error;
      return ctx.renderCase(req, res, caseId, form([problem.error]), status);
    }
    res.redirect(303, `/cases/${encodeURIComponent(caseId)}?done=proposeReferral#referrals`);
  });

  return router;
}

/** The referral behind a task, from its id (`<caseId>-<sequence>-t<n>`; case tasks are `<caseId>-t<n>`). */
export function referralIdOfTask(task: { taskId: string; caseId: string }): string | undefined {
  const rest = task.taskId.startsWith(`${task.caseId}-`) ? task.taskId.slice(task.caseId.length + 1) : '';
  const match = /^(\d+)-t\d+$/u.exec(rest);
  return match ? `${task.caseId}-${match[1]}` : undefined;
}

export function referralStatusLabel(status: string): string {
  return referralStatusLabels[status as ReferralStatus] ?? status;
}

import { categoryLabels, channelLabels, type Channel } from './case';
import type { CaseTask, CaseView, Clock, ClockId, TaskKind } from './case-state';
import { chinaCalendarDate, complaintOutcomes, findMissingFields, type ComplaintOutcome, type DocumentKind } from './documents';
import { policeUnitName } from './police-units';
import type { ReferralView } from './referral';
import { findRegion, regionPath } from './regions';

/**
 * The template fields of a case document (see `documentKinds[kind].requiredFields`), from the
 * case as it stands after the step and the facts of the step that issues it (`stepFields`, as
 * domain/case-machine.ts passes them in its `document(state, kind, occasion, fields)` effects).
 *
 * Pure: no Node imports, no clock, no I/O; safe in Temporal's workflow sandbox.
 *
 * Rules:
 * - Optional facts the case does not record (a legal representative, a credit code, who did the
 *   work) are left out, so the template omits their line; nothing prints a placeholder.
 *   Required ones (`documentKinds[kind].requiredFields`) stay empty and fail the document, and
 *   `missingDocumentFields` lets a step refuse before it would issue one.
 * - What only the officer can say (the facts found, the correction required, the reasons of a
 *   refusal, the answer to the complainant, the provisions breached) is never invented: if the
 *   step did not supply it the field stays empty, `findMissingFields` names it and the document
 *   fails without retry (the workflow records `document_failed`).
 * - Dates print through the `chineseDate` helper, which throws on anything that is not an ISO
 *   date; a missing date therefore stays empty (and fails) instead of becoming '（未填写）'.
 * - The complainant's identity goes only into documents addressed to the complainant
 *   (acceptance_notice, rejection_notice, complainant_answer). Every other builder reads no
 *   `state.reporter` at all.
 */
export function buildCaseDocumentFields(
  state: CaseView,
  kind: DocumentKind,
  stepFields: Record<string, unknown>,
  issuedAt: string,
): Record<string, unknown> {
  const builder = builders[kind];
  return builder(state, stepFields, issuedAt);
}

type Builder = (state: CaseView, step: Record<string, unknown>, issuedAt: string) => Record<string, unknown>;

/**
 * The template fields of a case document and the required ones still missing: what a step
 * asks before it issues the document, so that it can refuse instead of issuing a failed one.
 */
export function missingDocumentFields(
  state: CaseView,
  kind: DocumentKind,
  stepFields: Record<string, unknown>,
  issuedAt: string,
): string[] {
  return findMissingFields(kind, buildCaseDocumentFields(state, kind, stepFields, issuedAt));
}

/**
 * The authority in whose name a case document goes out: the county bureau of the case, except
 * a supervision notice of the city (level 3) or the province (level 4), which the city bureau
 * or the provincial department issues in its own name and numbers in its own sequence.
 */
export function issuingAuthority(
  state: Pick<CaseView, 'agencyCode' | 'agencyName' | 'countyCode' | 'cityCode'>,
  kind: DocumentKind,
  stepFields: Record<string, unknown>,
): { agencyCode: string; agencyName: string; level: 'county' | 'city' | 'province' } {
  const level = kind === 'supervision_notice' ? supervisionLevel(stepFields) : 'county';
  if (level === 'county') return { agencyCode: state.agencyCode, agencyName: state.agencyName, level };
  const region = findRegion(level === 'city' ? state.cityCode : provinceOf(state.countyCode));
  const agencyName = region && agencyNameOfRegion(region.code);
  if (!region?.agencyCode || !agencyName) return { agencyCode: state.agencyCode, agencyName: state.agencyName, level: 'county' };
  return { agencyCode: region.agencyCode, agencyName, level };
}

function supervisionLevel(step: Record<string, unknown>): 'county' | 'city' | 'province' {
  const level = typeof step.level === 'number' ? step.level : 0;
  return level >= 4 || step.flagged === true ? 'province' : level === 3 ? 'city' : 'county';
}

function provinceOf(code: string): string {
  return regionPath(code)?.find((entry) => entry.level === 'province')?.code ?? code;
}

/** 福建省生态环境厅, 漳州市生态环境局, 漳州市芗城区生态环境局. */
export function agencyNameOfRegion(code: string): string | undefined {
  const region = findRegion(code);
  if (!region) return undefined;
  if (region.level === 'province') return `${region.name}生态环境厅`;
  if (region.level === 'city') return `${region.name}生态环境局`;
  const county = countyFullName(region.code);
  return county ? `${county}生态环境局` : undefined;
}

/**
 * The public contact number of every eco-environment bureau: the 12369 environmental hotline,
 * which each bureau staffs for its own area (环保举报热线工作管理办法). The case records no
 * direct line of the handling officer, and a made-up number would be worse than the hotline.
 */
export const AGENCY_PUBLIC_PHONE = '12369';

// Bases printed where no clock of the case carries one. Article texts as in force:
// 环境保护法 (2014) Art. 10 ¶1 (统一监督管理) and Art. 67 ¶1 (上级对下级的监督);
// 信访工作条例 (2022) Art. 23 (书面告知是否受理) and Art. 32 (处理意见书的内容).
const basis = {
  supervisionByLaw: '中华人民共和国环境保护法 第十条',
  superiorSupervision: '中华人民共和国环境保护法 第六十七条',
  flaggedSupervision: '环境违法案件挂牌督办管理办法',
  complaintReceipt: '信访工作条例 第二十三条',
  complaintAnswerContent: '信访工作条例 第三十二条',
  reinspection: '环境保护主管部门实施按日连续处罚办法 第十条',
} as const;

const builders: Record<DocumentKind, Builder> = {
  transfer_to_locality: transferToLocality,
  acceptance_notice: acceptanceNotice,
  rejection_notice: rejectionNotice,
  correction_order: correctionOrder,
  verification_result: verificationResult,
  supervision_notice: supervisionNotice,
  closure_approval: closureApproval,
  complainant_answer: complainantAnswer,
  // Issued by the referral workflow with its own complete fields; passed through as given.
  criminal_transfer: passThrough,
  detention_transfer: passThrough,
};

// ---------------------------------------------------------------------------------------------
// One builder per kind.

/** 交办单: to the unit the case was assigned to. No complainant identity. */
function transferToLocality(state: CaseView, step: Record<string, unknown>): Record<string, unknown> {
  const unitRegion = text(step.unitRegionCode) ?? state.assignedUnit?.regionCode ?? state.countyCode;
  const township = step.township === true || state.assignedUnit?.kind === 'township';
  const recipient = unitName(unitRegion, township);
  const deadlineClock = township
    ? state.clocks.patrol_fix
    : isComplaint(state.channel)
      ? state.clocks.complaint_answer
      : state.clocks.unit_acknowledge;
  const acknowledgeBy = dateOf(state.clocks.unit_acknowledge?.dueAt);
  const requirements = township
    ? [
        `收到本交办单后${acknowledgeBy ? `于${printDate(acknowledgeBy)}前` : '及时'}签收，并组织现场核查`,
        '属实的，督促责任主体立行立改；不能立即整改的，明确整改措施和时限',
        '整改完成后上传整改前后照片等佐证材料，报送整改情况',
      ]
    : [
        `收到本交办单后${acknowledgeBy ? `于${printDate(acknowledgeBy)}前` : '及时'}签收，组织现场调查，查清事实`,
        '发现环境违法行为的，依法责令改正并立案查处',
        '调查处理情况及相关证据材料及时录入案件系统',
      ];
  return {
    recipient,
    complaint: complaintFacts(state),
    problem: problemToVerify(state),
    ...(state.subject?.name ? { party: party(state) } : {}),
    requirements,
    deadline: dateOf(deadlineClock?.dueAt),
    legalBasis: legalBasisText(
      isComplaint(state.channel) ? [state.clocks.acceptance_notice, state.clocks.complaint_answer] : [],
      basis.supervisionByLaw,
    ),
    contact: agencyContact(state, ['triage']),
  };
}

/** 受理告知书: addressed to the complainant. */
function acceptanceNotice(state: CaseView, step: Record<string, unknown>, issuedAt: string): Record<string, unknown> {
  const handlingUnit = state.assignedUnit
    ? unitName(state.assignedUnit.regionCode, state.assignedUnit.kind === 'township')
    : state.agencyName;
  return {
    addressee: complainantName(state),
    complaint: complaintFacts(state),
    acceptedOn: dateOf(text(step.acceptedAt) ?? issuedAt),
    handlingUnit,
    replyDeadline: dateOf(state.clocks.complaint_answer?.dueAt),
    legalBasis: legalBasisText([state.clocks.acceptance_notice, state.clocks.complaint_answer], basis.complaintReceipt),
    contact: agencyContact(state, ['triage']),
  };
}

/** 不予受理告知书: addressed to the complainant; the reasons are the officer's. */
function rejectionNotice(state: CaseView, step: Record<string, unknown>): Record<string, unknown> {
  return {
    addressee: complainantName(state),
    complaint: complaintFacts(state),
    reasons: text(step.reason) ?? text(state.rejection?.reason),
    legalBasis: legalBasisText([state.clocks.acceptance_notice], basis.complaintReceipt),
    guidance:
      `如有新的事实和理由，可以向我局重新反映；属于其他机关职责范围的事项，请向有权处理的机关提出。` +
      `如需咨询，可拨打环保举报热线${AGENCY_PUBLIC_PHONE}。`,
  };
}

/**
 * 责令改正违法行为决定书 (按日连续处罚办法 Art. 9). Facts, corrections, the provisions breached
 * and the basis of the order are the officer's, and they are two different things: the article
 * that imposes the duty and the article that empowers the order. A step that supplies only one
 * (or the same text twice) leaves `violatedProvisions` empty, and the order is not issued.
 */
function correctionOrder(state: CaseView, step: Record<string, unknown>): Record<string, unknown> {
  const findings = text(step.findings);
  const requirement = text(step.requirement) ?? text(state.rectification?.requirement);
  const legalBasis = text(step.legalBasis);
  const evidence = [
    `${state.agencyName}现场调查核实记录（案件编号：${state.caseNo}）`,
    ...state.attachments.map((attachment) => `登记材料：${attachment.name}`),
  ];
  return {
    party: party(state),
    facts: findings,
    evidence,
    violatedProvisions: distinctFrom(text(step.violatedProvisions), legalBasis),
    legalBasis,
    corrections: listItems(requirement),
    correctionDeadline: dateOf(text(step.dueAt) ?? state.rectification?.dueAt ?? state.clocks.rectification?.dueAt),
    remedy: {
      reconsiderationBody: countyGovernment(state.countyCode),
      court: basicCourt(state.countyCode),
    },
  };
}

/**
 * 整改核查意见书: cites the order it checks. A case without a correction order (a patrol item
 * fixed on the spot) has nothing to cite, so the number stays empty and the document fails
 * rather than citing the wrong document.
 */
function verificationResult(state: CaseView, step: Record<string, unknown>, issuedAt: string): Record<string, unknown> {
  const passed = typeof step.passed === 'boolean' ? step.passed : undefined;
  const newDue = dateOf(text(step.newDueAt));
  return {
    party: party(state),
    orderDocNo: latestDocument(state, 'correction_order')?.docNo,
    verifiedOn: dateOf(text(step.verifiedAt) ?? issuedAt),
    ...optionalList('inspectors', handlerNames(state, ['verify'])),
    findings: text(step.findings),
    conclusion: passed === undefined ? undefined : passed ? 'rectified' : 'not_rectified',
    nextSteps:
      passed === false
        ? `请你单位${newDue ? `于${printDate(newDue)}前` : '限期'}完成整改并书面报告我局，我局将再次核查；拒不改正的，将依法按日连续处罚。`
        : passed === true
          ? '请你单位持续保持污染防治设施正常运行，我局将适时开展“回头看”检查。'
          : undefined,
    legalBasis: legalBasisText([state.clocks.reinspection], basis.reinspection),
  };
}

/**
 * 督办通知书 / 挂牌督办通知书. The county's notice goes to the unit handling the case; the city's
 * and the province's, issued in their own name (`issuingAuthority`), go to the county bureau
 * that owns the case (上级对下级的督办). No complainant identity.
 */
function supervisionNotice(state: CaseView, step: Record<string, unknown>, issuedAt: string): Record<string, unknown> {
  const flagged = step.flagged === true;
  const levelName = text(step.levelName) ?? '督办';
  const reason = text(step.reason);
  const escalatedAt = text(step.escalatedAt) ?? issuedAt;
  const authority = issuingAuthority(state, 'supervision_notice', step);
  const byCounty = authority.level === 'county';
  const self = authority.level === 'province' ? '我厅' : '我局';
  const transfer = latestDocument(state, 'transfer_to_locality');
  const recipient = !byCounty
    ? state.agencyName
    : state.assignedUnit
      ? unitName(state.assignedUnit.regionCode, state.assignedUnit.kind === 'township')
      : `${state.agencyName}执法大队`;
  const received = dateOf(state.receivedAt);
  const summary = [
    `${received ? `${printDate(received)}，` : ''}${byCounty ? '我局' : state.agencyName}通过${channelLabels[state.channel]}收到${categoryLabels[state.category]}问题一件（案件编号：${state.caseNo}）`,
    transfer && byCounty ? `，并于${printDate(dateOf(transfer.issuedAt))}以《交办单》（${transfer.docNo}）交你单位办理` : '',
    transfer && !byCounty ? `，并于${printDate(dateOf(transfer.issuedAt))}以《交办单》（${transfer.docNo}）交办` : '',
    `。${reason ? `因${reason}，` : ''}${self}现予${levelName}。`,
  ].join('');
  const problem = [
    sentence(state.description),
    state.rectification?.requirement
      ? `整改要求：${withoutFinalStop(state.rectification.requirement)}${dateOf(state.rectification.dueAt) ? `（期限${printDate(dateOf(state.rectification.dueAt))}）` : ''}。`
      : '',
  ]
    .filter((part) => part !== '')
    .join('\n');
  // The 督办单 carries its own deadline, set by the escalation; older cases fall back to the case's clocks.
  const deadline = text(step.deadline) ? dateOf(text(step.deadline)) : supervisionDeadline(state, escalatedAt);
  // A numbered list in a 公文 ends its items with ； and the last with 。.
  const requirements = [
    '接到本通知后立即查明未按期办结的原因，明确责任人和整改措施',
    '依法依规办结，并举一反三排查同类问题',
    ...(flagged ? [`挂牌督办期间，每半个月向${self}报送一次办理进展情况`] : []),
  ].map((item, index, all) => `${item}${index === all.length - 1 ? '。' : '；'}`);
  return {
    recipient,
    flagged,
    self,
    caseSummary: summary,
    problem,
    requirements,
    deadline,
    legalBasis: flagged
      ? legalBasisText([], basis.flaggedSupervision)
      : legalBasisText(overdueLawClocks(state), basis.superiorSupervision),
    contact: byCounty ? agencyContact(state, []) : { name: authority.agencyName, phone: AGENCY_PUBLIC_PHONE },
  };
}

/** 结案审批表: an internal form. No complainant identity. */
function closureApproval(state: CaseView, step: Record<string, unknown>): Record<string, unknown> {
  const subjectName = state.subject?.name;
  return {
    caseTitle: `${subjectName ?? state.location.address}${categoryLabels[state.category]}问题案`,
    ...(state.subject?.name ? { party: party(state) } : {}),
    // 立案 is a penalty-procedure step: only a case filed for a penalty has a 立案日期.
    registeredOn: dateOf(state.penalty?.filedAt),
    receivedOn: dateOf(state.receivedAt),
    facts: `${receivedPrefix(state)}通过${channelLabels[state.channel]}受理：${state.description}`,
    handlingResult: handlingResult(state),
    legalBasis: legalBasisText(lawClocks(state), basis.supervisionByLaw),
    // Left blank for the signature when nobody claimed the work (tasks record only claimants).
    ...optionalList('undertakers', handlerNames(state, ['investigate', 'verify', 'acknowledge', 'triage'])),
    undertakerOpinion: `${outcomeSentence(state)}建议结案。`,
    reviewOpinion: '',
    approvalOpinion: text(step.note) ?? '',
  };
}

/** 答复意见书: addressed to the complainant; the answer is the approver's. */
function complainantAnswer(state: CaseView, step: Record<string, unknown>): Record<string, unknown> {
  return {
    addressee: complainantName(state),
    complaint: complaintFacts(state),
    findings: `${outcomeSentence(state)}${documentTrail(state)}`,
    opinion: text(step.answer) ?? text(state.closure?.answer),
    outcome: complaintOutcome(state, step),
    legalBasis: legalBasisText(
      [{ basis: basis.complaintAnswerContent, source: 'law' }, state.clocks.complaint_answer],
      basis.complaintAnswerContent,
    ),
    remedy: { reviewBody: superiorAgency(state.countyCode) },
  };
}

function passThrough(_state: CaseView, step: Record<string, unknown>): Record<string, unknown> {
  return { ...step };
}

/**
 * The template fields of a referral's transfer letter (移送书), from the fields the referral
 * workflow computed and the referral itself: the police unit addressed by its registered name
 * (never its code), the materials list with only the copies and pages the officer entered, and
 * the party's lines that were entered. Other fields pass through as given.
 */
export function buildReferralDocumentFields(
  referral: Pick<ReferralView, 'policeUnitId' | 'proposal' | 'proposedBy'>,
  stepFields: Record<string, unknown>,
): Record<string, unknown> {
  const given = stepFields.party && typeof stepFields.party === 'object' ? (stepFields.party as Record<string, unknown>) : {};
  const contact = stepFields.contact && typeof stepFields.contact === 'object' ? (stepFields.contact as Record<string, unknown>) : {};
  return {
    ...stepFields,
    recipient: policeUnitName(referral.policeUnitId),
    party: compactRecord({
      name: text(given.name),
      creditCode: text(given.creditCode),
      address: text(given.address),
      legalRepresentative: text(given.legalRepresentative),
    }),
    materials: referral.proposal.package
      .filter((item) => item.provided)
      .map((item) => ({
        name: item.name,
        ...(item.copies !== undefined ? { copies: item.copies } : {}),
        ...(item.pages !== undefined ? { pages: item.pages } : {}),
        ...(item.note ? { note: item.note } : {}),
      })),
    // The officer's own line if given, else the bureau's public number, as on the case documents.
    contact: { name: text(contact.name) ?? referral.proposedBy.name, phone: text(contact.phone) ?? AGENCY_PUBLIC_PHONE },
  };
}

// ---------------------------------------------------------------------------------------------
// Shared pieces.

function complaintFacts(state: CaseView): { source: string; receivedOn: string | undefined; summary: string } {
  return {
    source: channelLabels[state.channel],
    receivedOn: dateOf(state.receivedAt),
    summary: state.description,
  };
}

function problemToVerify(state: CaseView): string {
  const who = state.subject?.name ? `${state.subject.name}（${state.location.address}）` : state.location.address;
  return `核实${who}是否存在所反映的${categoryLabels[state.category]}问题，查明是否存在环境违法行为，并依法处理。`;
}

/**
 * 当事人: the subject of the case. The address is where the problem was reported. The case
 * records no legal representative, so that line is left out (the template omits empty lines).
 */
function party(state: CaseView): Record<string, string> {
  return compactRecord({
    name: state.subject?.name?.trim(),
    creditCode: state.subject?.creditCode?.trim(),
    address: state.location.address.trim(),
  });
}

function compactRecord(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => !!entry[1]));
}

function optionalList(key: string, values: string[]): Record<string, string[]> {
  return values.length > 0 ? { [key]: values } : {};
}

function receivedPrefix(state: CaseView): string {
  const received = dateOf(state.receivedAt);
  return received ? printDate(received) : '';
}

/** Only for documents addressed to the complainant. */
function complainantName(state: CaseView): string {
  const reporter = state.reporter;
  if (!reporter || reporter.anonymous) return '举报人（匿名）';
  // A reporter who gave no name is still addressed, as 举报人.
  return reporter.name?.trim() || '举报人';
}

function agencyContact(state: CaseView, kinds: TaskKind[]): { name: string; phone: string } {
  const handler = kinds.length > 0 ? handlerNames(state, kinds)[0] : undefined;
  return { name: handler ? `${handler}（${state.agencyName}）` : state.agencyName, phone: AGENCY_PUBLIC_PHONE };
}

/**
 * Who did the work: the claimants of the done tasks of `kinds`, latest first. A task done
 * without being claimed names nobody, so the list may be empty.
 */
function handlerNames(state: CaseView, kinds: TaskKind[]): string[] {
  const names = state.tasks
    .filter((task: CaseTask) => task.status === 'done' && kinds.includes(task.kind) && task.assigneeName)
    .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''))
    .map((task) => task.assigneeName as string);
  const unique = [...new Set(names)];
  return unique;
}

/**
 * The name of the unit a case is assigned to: a township's government (a 街道's office), or
 * the county bureau's enforcement team.
 */
export function unitName(regionCode: string, township: boolean): string | undefined {
  const region = findRegion(regionCode);
  if (!region) return undefined;
  if (township || region.level === 'township') {
    return region.name.endsWith('街道') ? `${region.name}办事处` : `${region.name}人民政府`;
  }
  if (region.level === 'county') return `${countyFullName(region.code)}生态环境局执法大队`;
  return `${region.name}生态环境局`;
}

/** 漳州市芗城区: the county with its city, as official names print it. */
function countyFullName(countyCode: string): string {
  const path = regionPath(countyCode) ?? [];
  const city = path.find((entry) => entry.level === 'city');
  const county = path.find((entry) => entry.level === 'county');
  return `${city?.name ?? ''}${county?.name ?? findRegion(countyCode)?.name ?? ''}`;
}

/** 行政复议: since the 2023 行政复议法, a county department's decisions go to the county government. */
function countyGovernment(countyCode: string): string | undefined {
  const name = countyFullName(countyCode);
  return name ? `${name}人民政府` : undefined;
}

/** 行政诉讼 at first instance: the basic court where the agency sits (no 集中管辖 table here). */
function basicCourt(countyCode: string): string | undefined {
  const name = countyFullName(countyCode);
  return name ? `${name}人民法院` : undefined;
}

/** 复查 (信访工作条例 Art. 35): the next-higher agency of a county bureau is the city bureau. */
function superiorAgency(countyCode: string): string {
  const city = regionPath(countyCode)?.find((entry) => entry.level === 'city');
  return city ? `${city.name}生态环境局` : '福建省生态环境厅';
}

function latestDocument(state: CaseView, kind: DocumentKind): CaseView['documents'][number] | undefined {
  return state.documents.filter((doc) => doc.kind === kind).at(-1);
}

function outcomeSentence(state: CaseView): string {
  const who = state.subject?.name ?? '被反映单位';
  switch (state.outcome) {
    case 'no_violation':
      return `经调查核实，未发现${who}存在所反映的环境违法行为。`;
    case 'violation':
      return `经调查核实，${who}存在环境违法行为。`;
    case 'suspected_crime':
      return `经调查核实，${who}涉嫌环境犯罪。`;
    default:
      return state.rectification ? `经现场核查，所反映的问题属实，已督促属地立行立改。` : '经调查核实，案件已办理完毕。';
  }
}

/** The documents and decisions that show what was done, for the answer and the closure form. */
function documentTrail(state: CaseView): string {
  const parts: string[] = [];
  const order = latestDocument(state, 'correction_order');
  if (order) parts.push(`我局已依法责令改正（${order.docNo}）`);
  else if (state.rectification) parts.push(`已要求${state.rectification.requirement}`);
  const verification = latestDocument(state, 'verification_result');
  if (verification) parts.push(`经核查已整改到位（${verification.docNo}）`);
  if (state.penalty?.decision) parts.push(`已作出行政处罚决定：${state.penalty.decision}`);
  else if (state.penalty?.filedAt) parts.push('已依法立案查处');
  return parts.length > 0 ? `${parts.join('，')}。` : '';
}

function handlingResult(state: CaseView): string {
  return `${outcomeSentence(state)}${documentTrail(state)}`;
}

function complaintOutcome(state: CaseView, step: Record<string, unknown>): ComplaintOutcome | undefined {
  if (typeof step.outcome === 'string' && step.outcome in complaintOutcomes) return step.outcome as ComplaintOutcome;
  if (state.outcome === 'violation' || state.outcome === 'suspected_crime') return 'supported';
  if (state.outcome === 'no_violation') return 'not_supported';
  if (state.rectification) return 'supported';
  return undefined;
}

/**
 * The supervision deadline (DOMAIN.md §6: a field of the notice, not a constant), the first of
 * these that lies ahead: the next escalation instant of an overdue clock (finish before it
 * escalates again); the due date of the unit's open work (acknowledge, investigate, rectify,
 * verify); the complaint answer date. Nothing ahead leaves it empty, so the notice fails rather
 * than set a deadline already passed.
 */
function supervisionDeadline(state: CaseView, escalatedAt: string): string | undefined {
  const running = Object.values(state.clocks).filter((clock): clock is Clock => !!clock && clock.status === 'running');
  const unitClockIds = new Set(
    state.tasks
      .filter((task) => task.status === 'open' && ['acknowledge', 'investigate', 'rectify', 'verify'].includes(task.kind) && task.clockId)
      .map((task) => task.clockId),
  );
  const groups: (string | undefined)[][] = [
    running.filter((clock) => clock.escalationLevel > 0).map((clock) => clock.ladder[clock.escalationLevel]),
    running.filter((clock) => unitClockIds.has(clock.id)).map((clock) => clock.dueAt),
    running.filter((clock) => clock.id === 'complaint_answer').map((clock) => clock.dueAt),
  ];
  for (const group of groups) {
    const ahead = group.filter((instant): instant is string => !!instant && instant > escalatedAt).sort();
    if (ahead.length > 0) return dateOf(ahead[0]);
  }
  return undefined;
}

function overdueLawClocks(state: CaseView): Clock[] {
  return Object.values(state.clocks).filter(
    (clock): clock is Clock => !!clock && clock.source === 'law' && clock.escalationLevel > 0,
  );
}

function lawClocks(state: CaseView): Clock[] {
  const order: ClockId[] = ['acceptance_notice', 'complaint_answer', 'reinspection', 'penalty_filing', 'penalty_decision', 'review_opinion'];
  return order.map((id) => state.clocks[id]).filter((clock): clock is Clock => !!clock && clock.source === 'law');
}

// ---------------------------------------------------------------------------------------------
// Legal bases as printed: '信访工作条例 第三十四条；福建省“12369”…暂行规定' becomes
// '《信访工作条例》第三十四条和《福建省“12369”…暂行规定》', several articles of one act are
// joined (第二十三条、第三十四条), and policy periods, which have no legal basis, are left out.

const actTitles: Record<string, string> = {
  行政处罚法: '中华人民共和国行政处罚法',
  环境保护法: '中华人民共和国环境保护法',
  两法衔接办法: '环境保护行政执法与刑事司法衔接工作办法',
  行政拘留移送办法: '行政主管部门移送适用行政拘留环境违法案件暂行办法',
  '生态环境行政处罚办法（2023）': '生态环境行政处罚办法',
};

export function legalBasisText(
  sources: ReadonlyArray<Pick<Clock, 'basis' | 'source'> | undefined>,
  fallback: string,
): string {
  const acts = new Map<string, string[]>();
  const add = (raw: string): void => {
    for (const part of raw.split(/[；;]/u)) {
      const cited = parseCitation(part);
      if (!cited) continue;
      const articles = acts.get(cited.act) ?? [];
      for (const article of cited.articles) if (!articles.includes(article)) articles.push(article);
      acts.set(cited.act, articles);
    }
  };
  for (const source of sources) if (source && source.source === 'law') add(source.basis);
  if (acts.size === 0) add(fallback);
  const printed = [...acts].map(([act, articles]) => `《${act}》${articles.join('、')}`);
  if (printed.length <= 1) return printed[0] ?? '';
  return `${printed.slice(0, -1).join('、')}和${printed.at(-1)}`;
}

function parseCitation(part: string): { act: string; articles: string[] } | undefined {
  const trimmed = part.trim();
  // Clocks set by a decision carry the document's name (责令改正违法行为决定书), not a law.
  if (trimmed === '' || /书$/u.test(trimmed) || !/[法例定则》]/u.test(trimmed)) return undefined;
  const match = /^《?(.+?)》?\s*((?:第[^、，,\s]+?条[^、，,\s]*[、，,\s]*)*)$/u.exec(trimmed);
  if (!match) return { act: trimmed.replace(/[《》]/gu, ''), articles: [] };
  const [, rawAct = '', rawArticles = ''] = match;
  const act = actTitles[rawAct.trim()] ?? rawAct.trim();
  const articles = rawArticles
    .split(/[、，,\s]+/u)
    .map((article) => article.trim())
    .filter((article) => article !== '');
  return { act, articles };
}

// ---------------------------------------------------------------------------------------------
// Values.

function isComplaint(channel: Channel): boolean {
  return channel === 'complaint' || channel === 'hotline' || channel === 'online';
}

/** The provisions breached, unless they merely repeat the basis (then they were not given). */
function distinctFrom(value: string | undefined, other: string | undefined): string | undefined {
  if (!value) return undefined;
  const normalise = (citation: string) => citation.replace(/[\s《》“”"、，,。；;和及]/gu, '');
  return other && normalise(value) === normalise(other) ? undefined : value;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** 'YYYY-MM-DD' in China time, or undefined for a missing or unreadable value. */
export function dateOf(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  try {
    const { year, month, day } = chinaCalendarDate(iso);
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  } catch {
    return undefined;
  }
}

/** A date inside running text: 2026年3月5日 (GB/T 9704); callers leave out a phrase without one. */
function printDate(date: string | undefined): string {
  if (!date) return '';
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** Entered text without its closing stop, so that the document can go on after it (……（期限……）。). */
function withoutFinalStop(value: string): string {
  return value.trim().replace(/[。；;，,.\s]+$/u, '');
}

/** Entered text as a sentence: ends with one 。 (or the ！/？ it has). */
function sentence(value: string): string {
  const trimmed = withoutFinalStop(value);
  return /[！？!?]$/u.test(trimmed) ? trimmed : `${trimmed}。`;
}

/** An officer's requirement as a numbered list: one item per line or per '；'. */
function listItems(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/\r?\n|[；;]/u)
    .map((item) => item.replace(/^\s*(?:\d+[.、．]|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*/u, '').trim())
    .filter((item) => item !== '');
}

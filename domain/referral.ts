// The administrative-criminal link (两法衔接) and the detention transfer (行政拘留) as data:
// routes, statuses, package checklists, clocks and the commands people give. Plain JSON; the
// rules that use these types live in referral-machine.ts. Nothing here carries the
// complainant's identity: a referral goes to the police, who must never learn it.
import type { Clock, CaseEvent } from './case-state';
import type { Actor, Role } from './roles';
import type { DocumentKind } from './documents';
import type { Location, Subject } from './case';

import { referralRoutes, type ReferralOutcomeType, type ReferralRoute } from './referral-ref';

export { referralRoutes, type ReferralOutcomeType, type ReferralRoute };

/** Art. 6 package of the criminal route, each a checklist item. */
export const criminalPackageItems = [
  '案件移送书',
  '移送材料清单',
  '案件调查报告',
  '现场检查(勘察)笔录/调查询问笔录/现场勘验图/采样记录单',
  '涉案物品清单',
  '照片/音像资料及说明',
  '监测/检验报告或认定意见',
  '其他材料/已作出的行政处罚决定书',
] as const;

/** Art. 11 package of the detention route; materials must be originals. */
export const detentionPackageItems = [
  '移送材料清单',
  '案件移送书',
  '案件调查报告',
  '证据材料',
  '涉案物品清单',
  '行政处罚决定书及相关材料',
  '其他材料',
] as const;

export function packageItemsFor(route: ReferralRoute): readonly string[] {
  return route === 'criminal' ? criminalPackageItems : detentionPackageItems;
}

export interface PackageItem {
  name: string;
  provided: boolean;
  copies?: number;
  pages?: number;
  note?: string;
  fileIds?: string[];
}

export const referralStatuses = [
  'awaiting_approval',
  'approved',
  'transferred',
  'received',
  'supplement_requested',
  'decided',
  'filed',
  'not_filed',
  'reconsideration_requested',
  'refusal_maintained',
  // ended
  'head_refused',
  'returned',
  'refused',
  'supervision_proposed',
  'completed',
  'detained',
] as const;
export type ReferralStatus = (typeof referralStatuses)[number];

export const endedReferralStatuses: readonly ReferralStatus[] = [
  'head_refused',
  'returned',
  'refused',
  'supervision_proposed',
  'completed',
  'detained',
];

export const referralStatusLabels: Record<ReferralStatus, string> = {
  awaiting_approval: '待负责人审批',
  approved: '已批准待移送',
  transferred: '已移送待签收',
  received: '公安已签收待决定',
  supplement_requested: '公安要求补充材料',
  decided: '公安已决定待书面通知',
  filed: '公安已立案待移交涉案物品',
  not_filed: '公安不予立案（可提请复议）',
  reconsideration_requested: '已提请复议',
  refusal_maintained: '复议维持不予立案（可建议立案监督）',
  head_refused: '负责人不批准移送',
  returned: '公安退回',
  refused: '不予立案（办结）',
  supervision_proposed: '已建议检察院立案监督',
  completed: '已立案，涉案物品已移交',
  detained: '公安已作出行政拘留决定',
};

export const referralClockIds = [
  'head_decision',
  'transfer',
  'police_receipt',
  'supplement_request',
  'supplement_cure',
  'police_decision',
  'police_notify',
  'goods_handover',
  'reconsideration_request',
  'reconsideration_answer',
  'supervision_window',
] as const;
export type ReferralClockId = (typeof referralClockIds)[number];

/** Who owes the act when the clock runs out: the police, the bureau, or nobody (a window). */
export type ClockParty = 'police' | 'bureau' | 'window';

/** The same shape as a case clock (so the reminder and ladder helpers apply), with its own ids. */
export type ReferralClock = Omit<Clock, 'id' | 'step'> & {
  id: ReferralClockId;
  party: ClockParty;
  /** The deadline catalogue entry the period came from, where there is one. */
  kind?: string;
};

export interface ReferralTask {
  taskId: string;
  kind: 'approve_referral' | 'police_receive' | 'police_decide' | 'supervise_overdue' | 'referral_supplement' | 'referral_goods' | 'referral_reconsider' | 'referral_reissue';
  role: Role;
  regionCode: string;
  unitId?: string;
  dueAt?: string;
  clockId?: ReferralClockId;
  escalationLevel: number;
  status: 'open' | 'done';
  createdAt: string;
  closedAt?: string;
  title: string;
}

export interface ReferralParty {
  name: string;
  creditCode?: string;
  address?: string;
  legalRepresentative?: string;
}

export interface ReferralProposal {
  route: ReferralRoute;
  /** e.g. 刑法第三百三十八条（污染环境罪）; for detention the Art. 63 situation. */
  suspectedOffence: string;
  facts: string;
  legalBasis?: string;
  /** The evidence list as the officer wrote it. */
  evidence: string[];
  /** Checklist: each package item and whether it is in the file. */
  package: PackageItem[];
  party?: ReferralParty;
  /** Detention route: the persons directly responsible (names, roles). */
  responsiblePersons?: { name: string; role: string }[];
  contact?: { name: string; phone: string };
  /** The police unit addressed; defaults to the same-level police of the bureau's county. */
  policeUnitId?: string;
}

/** What the referral knows of its case: never the reporter. */
export interface ReferralCaseSnapshot {
  caseId: string;
  caseNo: string;
  countyCode: string;
  cityCode: string;
  agencyCode: string;
  agencyName: string;
  description: string;
  location: Location;
  subject?: Subject;
}

export type PoliceDecision = 'file' | 'not_file' | 'detain' | 'refuse';

export interface ReferralState {
  referralId: string;
  sequence: number;
  route: ReferralRoute;
  status: ReferralStatus;
  case: ReferralCaseSnapshot;
  proposal: ReferralProposal;
  proposedBy: Pick<Actor, 'userId' | 'name' | 'role' | 'regionCode'>;
  proposedAt: string;
  policeUnitId: string;
  approval?: { by: string; at: string; note?: string };
  transfer?: { at: string; docNo?: string; documentId?: string; copiedToProcuratorate: string; copiedAt: string };
  receipt?: { at: string; by: string };
  supplements: { requestedAt: string; items: string[]; note?: string; suppliedAt?: string; supplied?: string[] }[];
  decisionPeriod: 'standard' | 'leads' | 'complex';
  decisionApprovalRef?: string;
  decision?: { kind: PoliceDecision; at: string; reasons?: string; by: string };
  notice?: { at: string; noticeNo: string };
  goodsHandover?: { at: string; note?: string };
  reconsideration?: { requestedAt: string; reason: string; answeredAt?: string; answer?: 'file' | 'maintain'; reasons?: string };
  supervision?: { proposedAt: string; procuratorate: string; reason: string };
  /** Level 4 reached on any police clock: joint listing by 环保, 公安 and 检察 (Art. 31). */
  jointSupervision?: { at: string; clockId: ReferralClockId };
  clocks: Partial<Record<ReferralClockId, ReferralClock>>;
  tasks: ReferralTask[];
  documents: { kind: DocumentKind; occasion: string; docNo: string; documentId: string; issuedAt: string }[];
  /** Outcomes already sent to the parent case, in order. */
  outcomes: ReferralOutcome[];
  escalationLevel: number;
  revision: number;
  eventSeq: number;
  taskSeq: number;
  events: CaseEvent[];
  unprojectedEvents: CaseEvent[];
}

export type ReferralView = Omit<ReferralState, 'unprojectedEvents'>;

export const referralActions = [
  'updatePackage',
  'approve',
  'refuseApproval',
  'sign',
  'returnReferral',
  'requestSupplement',
  'supply',
  'extendDecision',
  'decide',
  'reportOutcome',
  'handOverGoods',
  'requestReconsideration',
  'answerReconsideration',
  'proposeSupervision',
  'closeReferral',
  'reissueDocument',
] as const;
export type ReferralAction = (typeof referralActions)[number];

export const referralActionRoles: Record<ReferralAction, readonly Role[]> = {
  updatePackage: ['officer'],
  approve: ['supervisor'],
  refuseApproval: ['supervisor'],
  sign: ['police_liaison'],
  returnReferral: ['police_liaison'],
  requestSupplement: ['police_liaison'],
  supply: ['officer'],
  extendDecision: ['police_liaison'],
  decide: ['police_liaison'],
  reportOutcome: ['police_liaison'],
  handOverGoods: ['officer'],
  requestReconsideration: ['officer', 'supervisor'],
  answerReconsideration: ['police_liaison'],
  proposeSupervision: ['officer', 'supervisor'],
  closeReferral: ['supervisor'],
  reissueDocument: ['officer', 'supervisor'],
};

export type ReferralCommand =
  | { action: 'updatePackage'; package: PackageItem[]; evidence?: string[] }
  | { action: 'approve'; note?: string }
  | { action: 'refuseApproval'; reason: string }
  | { action: 'sign'; note?: string }
  | { action: 'returnReferral'; reason: string }
  | { action: 'requestSupplement'; items: string[]; note?: string }
  | { action: 'supply'; items: string[]; note?: string }
  | { action: 'extendDecision'; period: 'leads' | 'complex'; approvalRef: string; reason: string }
  | { action: 'decide'; decision: PoliceDecision; reasons?: string }
  | { action: 'reportOutcome'; noticeNo: string; note?: string }
  | { action: 'handOverGoods'; note?: string }
  | { action: 'requestReconsideration'; reason: string }
  | { action: 'answerReconsideration'; answer: 'file' | 'maintain'; reasons: string }
  | { action: 'proposeSupervision'; procuratorate: string; reason: string }
  | { action: 'closeReferral'; note?: string }
  /** After the transfer letter failed: issue it again, with the party or contact corrected. */
  | { action: 'reissueDocument'; party?: Partial<ReferralParty>; contact?: { name: string; phone: string } };

export type ReferralCommandOf<A extends ReferralAction> = Extract<ReferralCommand, { action: A }>;

/** What the parent case learns, by signal, at every step. */
export interface ReferralOutcome {
  referralId: string;
  route: ReferralRoute;
  at: string;
  type: ReferralOutcomeType;
  summary: string;
  /** The referral no longer holds the parent's penalty clocks: they run again. */
  releasesPenaltyClocks: boolean;
  ended: boolean;
}

/** The same-level police unit of a county bureau (demo convention psb-<county>). */
export function policeUnitFor(countyCode: string): string {
  return `psb-${countyCode}`;
}

export function referralWorkflowId(caseId: string, sequence: number): string {
  return `referral-${caseId}-${sequence}`;
}

export function referralIdOf(caseId: string, sequence: number): string {
  return `${caseId}-${sequence}`;
}

/** The parent case's penalty clocks do not run while a referral is pending (Art. 16). */
export const referralSuspensionReason = '移送公安期间不计入 两法衔接办法 第十六条';

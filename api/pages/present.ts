import { categoryLabels, channelLabels, statusLabels, type CaseStatus, type Category, type Channel } from '../../domain/case';
import type { Clock } from '../../domain/case-state';
import { escalationLevelNames } from '../../domain/case-machine';
import { referralEscalationLevelNames } from '../../domain/referral-machine';
import { findRegion, regions, isWithinRegion } from '../../domain/regions';
import { roleLabels, type CaseAction, type Role } from '../../domain/roles';

/** Display helpers for the pages: Beijing time, time left, labels. Pure; `now` is a parameter. */

const beijingOffsetMs = 8 * 3_600_000;

export function dateTime(iso: string | Date | undefined | null): string {
  if (!iso) return '';
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Date(date.getTime() + beijingOffsetMs).toISOString().slice(0, 16).replace('T', ' ');
}

export type Urgency = 'overdue' | 'urgent' | 'soon' | 'ok' | 'none';

export interface TimeLeft {
  text: string;
  urgency: Urgency;
  /** Milliseconds left; negative when overdue; Infinity without a due date. */
  ms: number;
}

/** "剩余 3 天" / "剩余 5 小时" / "已超期 2 天"; urgent under a day, soon within three. */
export function timeLeft(dueAt: string | Date | undefined | null, now: Date): TimeLeft {
  if (!dueAt) return { text: '无时限', urgency: 'none', ms: Number.POSITIVE_INFINITY };
  const ms = new Date(dueAt).getTime() - now.getTime();
  const hours = Math.abs(ms) / 3_600_000;
  const amount = hours < 24 ? `${Math.max(1, Math.ceil(hours))} 小时` : `${Math.ceil(hours / 24)} 天`;
  if (ms < 0) return { text: `已超期 ${amount}`, urgency: 'overdue', ms };
  if (hours < 24) return { text: `剩余 ${amount}`, urgency: 'urgent', ms };
  if (hours <= 72) return { text: `剩余 ${amount}`, urgency: 'soon', ms };
  return { text: `剩余 ${amount}`, urgency: 'ok', ms };
}

export const statusLabel = (status: string): string => statusLabels[status as CaseStatus] ?? status;
export const channelLabel = (channel: string): string => channelLabels[channel as Channel] ?? channel;
export const categoryLabel = (category: string): string => categoryLabels[category as Category] ?? category;
export const roleLabel = (role: string): string => roleLabels[role as Role] ?? role;

/** A 督办 level as its name (县级督办, 市级督办, …), never a bare number; a referral's top level is the joint one. */
export function escalationName(level: unknown, referral?: unknown): string {
  if (typeof level !== 'number' || level <= 0) return '';
  const names: readonly string[] = referral === true ? referralEscalationLevelNames : escalationLevelNames;
  return names[level] ?? `督办${level}级`;
}

/** A document's occasion (the workflow's key for it) as words: round-2 → 第2轮, level-3 → 市级督办. */
export function occasionLabel(occasion: string): string {
  const round = /^round-(\d+)$/u.exec(occasion);
  if (round) return `第${round[1]}轮`;
  const level = /^level-(\d+)$/u.exec(occasion);
  if (level) return escalationName(Number(level[1]));
  if (occasion === 'triage') return '受理研判';
  if (occasion.startsWith('closure-')) return '办结';
  return '';
}

/** A task title as stored: a reissue task's occasion key in words, without the kind it repeats when `kindLabel` is given. */
export function taskTitle(title: string, kindLabel?: string): string {
  // The page prints 种类：标题; a title that starts with its own kind would say it twice.
  const own = kindLabel && title.startsWith(`${kindLabel}：`) ? title.slice(kindLabel.length + 1) : title;
  return own.replace(/（((?:round|level|closure)-[\d-]+|triage)）$/u, (_match, occasion: string) => {
    const label = occasionLabel(occasion);
    return label ? `（${label}）` : '';
  });
}

export function regionName(code: string | undefined | null): string {
  if (!code) return '';
  const region = findRegion(code);
  return region ? region.name : code;
}

/** Regions a user may pick: their subtree, indented by level, by name (names are unique in the registry). */
export function regionOptions(rootCode: string, selected?: string): { code: string; label: string; selected: boolean }[] {
  const depth = { province: 0, city: 1, county: 2, township: 3 } as const;
  const root = findRegion(rootCode);
  if (!root) return [];
  return regions
    .filter((region) => isWithinRegion(region.code, rootCode))
    .map((region) => ({
      code: region.code,
      label: `${'　'.repeat(depth[region.level] - depth[root.level])}${region.name}`,
      selected: region.code === selected,
    }));
}

export const clockStatusLabels: Record<Clock['status'], string> = { running: '计时中', suspended: '已中止', met: '已完成', cancelled: '已取消' };

export const actionLabels: Partial<Record<CaseAction, string>> = {
  claimTask: '认领任务',
  triage: '受理审查',
  acknowledge: '签收',
  recordInvestigation: '记录调查结论',
  reportRectification: '上报整改情况',
  requestExtension: '申请延期',
  decideExtension: '审批延期',
  verify: '核查整改',
  decideClosure: '结案审批',
  recordFiling: '记录立案',
  recordPenaltyDecision: '记录处罚决定',
  escalate: '督办升级',
  suspendClock: '中止计时',
  resumeClock: '恢复计时',
  reopen: '重新办理（复查）',
  recordSatisfaction: '记录举报人评价',
  proposeReferral: '提出移送公安',
  reissueDocument: '重新生成文书',
} as Partial<Record<CaseAction, string>>;

export const taskKindLabels: Record<string, string> = {
  triage: '受理审查',
  acknowledge: '签收',
  investigate: '调查核实',
  rectify: '整改',
  verify: '核查',
  approve_extension: '延期审批',
  approve_closure: '结案审批',
  approve_referral: '移送审批',
  police_receive: '移送签收',
  police_decide: '立案决定',
  supervise_overdue: '超期督办',
  record_penalty: '行政处罚',
  referral_reissue: '重新生成移送书',
  reissue_document: '重新生成文书',
};

/** Chinese names of form fields, for error messages that say which field is wrong. */
export const fieldLabels: Record<string, string> = {
  decision: '受理决定',
  reason: '理由',
  unitRegionCode: '承办单位',
  category: '问题类别',
  note: '备注',
  outcome: '调查结论',
  findings: '调查/核查情况',
  requirement: '整改要求',
  rectificationDueDate: '整改期限',
  legalBasis: '法律依据',
  violatedProvisions: '违反的规定',
  report: '整改情况',
  clockId: '时限',
  amount: '延期天数',
  unit: '计日方式',
  approve: '审批意见',
  passed: '核查结论',
  newDueDate: '新整改期限',
  answer: '答复意见',
  filedOn: '立案日期',
  decidedOn: '决定日期',
  satisfaction: '评价',
  taskId: '任务',
  channel: '来源渠道',
  description: '问题描述',
  'location.address': '地址',
  'location.regionCode': '所在区域',
  'location.coordinates.lng': '经度',
  'location.coordinates.lat': '纬度',
  'subject.name': '被反映单位名称',
  'subject.creditCode': '统一社会信用代码',
  'reporter.name': '举报人姓名',
  'reporter.phone': '联系电话',
  idempotencyKey: '表单标识',
  photos: '照片',
  username: '用户名',
  password: '密码',
};

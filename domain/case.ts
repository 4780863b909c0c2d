/**
 * The case as plain JSON: what crosses the workflow, activity and API boundaries.
 * String-literal unions (not enums) so they read well in Temporal history and in MongoDB.
 */

export const caseStatuses = [
  'received',
  'rejected',
  'assigned',
  'investigating',
  'rectifying',
  'verifying',
  'closing',
  'closed',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** 接转办核验: the provincial name of the step each status belongs to. */
export const stepOfStatus: Record<CaseStatus, '接' | '转' | '办' | '核' | '验'> = {
  received: '接',
  rejected: '接',
  assigned: '转',
  investigating: '办',
  rectifying: '办',
  verifying: '核',
  closing: '验',
  closed: '验',
};

export const statusLabels: Record<CaseStatus, string> = {
  received: '已登记',
  rejected: '不予受理',
  assigned: '已交办',
  investigating: '调查核实',
  rectifying: '整改中',
  verifying: '核查验收',
  closing: '待结案',
  closed: '已结案',
};

export const channels = ['patrol', 'complaint', 'hotline', 'online', 'inspection', 'monitoring', 'referral_in'] as const;
export type Channel = (typeof channels)[number];

export const channelLabels: Record<Channel, string> = {
  patrol: '网格巡查',
  complaint: '信访',
  hotline: '12369热线',
  online: '网络举报',
  inspection: '执法检查',
  monitoring: '在线监控报警',
  referral_in: '部门移交',
};

export const categories = [
  'water',
  'air',
  'noise',
  'solid_waste',
  'odour',
  'black_smelly_water',
  'rubbish_burning_dumping',
  'ecological_damage',
  'other',
] as const;
export type Category = (typeof categories)[number];

export const categoryLabels: Record<Category, string> = {
  water: '水污染',
  air: '大气污染',
  noise: '噪声',
  solid_waste: '固体废物',
  odour: '恶臭异味',
  black_smelly_water: '黑臭水体',
  rubbish_burning_dumping: '垃圾焚烧倾倒',
  ecological_damage: '生态破坏',
  other: '其他',
};

/** Channels whose reporter is owed a written answer (信访工作条例, 12369 rules). */
export const complaintChannels: readonly Channel[] = ['complaint', 'hotline', 'online'];

export function isComplaintChannel(channel: Channel): boolean {
  return complaintChannels.includes(channel);
}

export interface Location {
  address: string;
  regionCode: string;
  /** WGS-84 longitude, latitude. */
  coordinates?: { lng: number; lat: number };
}

export interface Subject {
  name: string;
  /** 统一社会信用代码, validated with its check character at the edge. */
  creditCode?: string;
}

export interface Reporter {
  anonymous: boolean;
  name?: string;
  phone?: string;
}

export interface Attachment {
  name: string;
  contentType: string;
  /** Where the bytes live (read-model id); attachments are stored before the intake is sent. */
  fileId: string;
  sha256: string;
}

export interface IntakeInput {
  channel: Channel;
  category: Category;
  description: string;
  location: Location;
  subject?: Subject;
  reporter?: Reporter;
  attachments: Attachment[];
  /** From the sending system: the same key always yields the same case. */
  idempotencyKey: string;
  receivedAt: string;
  /**
   * SHA-256 of `intakeContent` (domain/intake.ts), set by the API: the same idempotency key with
   * another content is a different intake and is refused. Absent in intakes recorded before.
   */
  contentFingerprint?: string;
  /** Why a receipt older than the late-entry window is entered now (补录原因). */
  lateEntryReason?: string;
}

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { caseStatuses, categories, channels, type IntakeInput } from '../domain/case';
import type { CaseCommand } from '../domain/case-commands';
import { clockIds } from '../domain/case-state';
import { intakeContent } from '../domain/intake';
import { documentKindList } from '../domain/documents';
import { findRegion, responsibleCounty } from '../domain/regions';
import { validateUscc } from '../domain/uscc';
import './validation-messages';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不超过 ${max} 字`);

const regionCode = z.string().refine((code) => findRegion(code) !== undefined, { message: '未知的行政区划代码', abort: true });

// Every object refuses keys it does not know (z.strictObject): a field the sender misspelt or
// added would otherwise be dropped silently and the command executed without it.

export const creditCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((code, ctx) => {
    const result = validateUscc(code);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  });

export const intakeSchema = z.strictObject({
  channel: z.enum(channels),
  category: z.enum(categories),
  description: text(2000),
  location: z.strictObject({
    address: text(200),
    // A case belongs to a county bureau (its number, agency and dedupe scope come from it): a
    // city or province code has none, and the workflow would fail on it after starting.
    regionCode: regionCode.refine((code) => responsibleCounty(code) !== undefined, { message: '问题地点须具体到县区或乡镇街道' }),
    coordinates: z
      .strictObject({
        lng: z.number().min(73, '应在 73 至 136 之间（中国境内）').max(136, '应在 73 至 136 之间（中国境内）'),
        lat: z.number().min(3, '应在 3 至 54 之间（中国境内）').max(54, '应在 3 至 54 之间（中国境内）'),
      })
      .optional(),
  }),
  subject: z.strictObject({ name: text(200), creditCode: creditCodeSchema.optional() }).optional(),
  reporter: z
    .strictObject({ anonymous: z.boolean(), name: z.string().trim().max(50).optional(), phone: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, '电话号码格式不正确').optional() })
    .optional(),
  attachments: z
    .array(z.strictObject({ name: text(200), contentType: text(100), fileId: text(100), sha256: z.string().regex(/^[0-9a-f]{64}$/, '应为 64 位十六进制 SHA-256') }))
    .max(20)
    .default([]),
  idempotencyKey: z.string().trim().min(8, '幂等键至少 8 个字符').max(200),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  lateEntryReason: z.string().trim().min(1, '不能为空').max(500).optional(),
});

export type IntakeBody = z.infer<typeof intakeSchema>;

/**
 * The intake as the workflow gets it; `receivedAt` defaults to the moment the API took it, and
 * the content's fingerprint is taken before that default so a resend without it matches.
 */
export function toIntakeInput(body: IntakeBody, now: Date): IntakeInput {
  const sentAt = body.receivedAt ? new Date(body.receivedAt).toISOString() : undefined;
  return {
    ...body,
    receivedAt: sentAt ?? now.toISOString(),
    contentFingerprint: createHash('sha256').update(intakeContent({ ...body, receivedAt: sentAt })).digest('hex'),
  } satisfies IntakeInput;
}

const clockId = z.enum(clockIds);

export const caseCommandSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('claimTask'), taskId: text(100) }),
  z.strictObject({
    action: z.literal('triage'),
    decision: z.enum(['accept', 'reject']),
    reason: z.string().trim().max(1000).optional(),
    unitRegionCode: regionCode.optional(),
    category: z.enum(categories).optional(),
  }),
  z.strictObject({ action: z.literal('acknowledge'), note: z.string().trim().max(1000).optional() }),
  // An order to correct (a violation's, or one given with a suspected crime) cites its basis:
  // without it the 责令改正违法行为决定书 cannot be issued.
  z.strictObject({
    action: z.literal('recordInvestigation'),
    outcome: z.enum(['no_violation', 'violation', 'suspected_crime']),
    findings: text(4000),
    requirement: z.string().trim().max(2000).optional(),
    rectificationDueDate: isoDate.optional(),
    violatedProvisions: z.string().trim().max(500).optional(),
    legalBasis: z.string().trim().max(500).optional(),
  }).refine((command) => (command.outcome !== 'violation' && !command.requirement) || Boolean(command.legalBasis), {
    message: '责令改正须写明违反的规定和法律依据',
    path: ['legalBasis'],
  }),
  z.strictObject({ action: z.literal('reportRectification'), report: text(4000), evidenceFileIds: z.array(z.string()).max(20).optional() }),
  z.strictObject({ action: z.literal('requestExtension'), clockId, amount: z.number().int().min(1).max(90), unit: z.enum(['ND', 'WD']), reason: text(1000) }),
  z.strictObject({ action: z.literal('decideExtension'), clockId, approve: z.boolean(), note: z.string().trim().max(1000).optional() }),
  z.strictObject({ action: z.literal('verify'), passed: z.boolean(), findings: text(4000), newDueDate: isoDate.optional() }),
  z.strictObject({ action: z.literal('decideClosure'), approve: z.boolean(), answer: z.string().trim().max(4000).optional(), note: z.string().trim().max(1000).optional() }),
  z.strictObject({ action: z.literal('recordFiling'), filedOn: isoDate, note: z.string().trim().max(1000).optional() }),
  z.strictObject({ action: z.literal('recordPenaltyDecision'), decidedOn: isoDate, decision: text(2000) }),
  z.strictObject({ action: z.literal('escalate'), reason: text(1000) }),
  z.strictObject({ action: z.literal('suspendClock'), clockId, reason: text(1000) }),
  z.strictObject({ action: z.literal('resumeClock'), clockId, note: z.string().trim().max(1000).optional() }),
  z.strictObject({ action: z.literal('reopen'), reason: text(1000) }),
  z.strictObject({ action: z.literal('recordSatisfaction'), satisfaction: z.enum(['satisfied', 'basically_satisfied', 'dissatisfied']), note: z.string().trim().max(1000).optional() }),
  z.strictObject({ action: z.literal('reissueDocument'), kind: z.enum(documentKindList), occasion: text(200) }),
]) satisfies z.ZodType<CaseCommand>;

export const caseListQuerySchema = z.object({
  status: z.enum([...caseStatuses, 'open']).optional(),
  caseNo: z
    .string()
    .trim()
    .regex(/^\d{6}-\d{4}-\d{5}$/, '案件编号应为“区县代码-年份-五位序号”，如 350602-2026-00001')
    .optional(),
  overdue: z.enum(['true', 'false']).optional(),
  category: z.enum(categories).optional(),
  region: regionCode.optional(),
  dueBefore: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const taskListQuerySchema = z.object({
  view: z.enum(['mine', 'unit']).default('unit'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

import { z } from 'zod';
import './validation-messages';
import { referralRoutes, type ReferralCommand, type ReferralProposal } from '../domain/referral';

const text = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不超过 ${max} 字`);
const optionalText = (max: number) => z.string().trim().max(max).optional();

const packageItem = z.strictObject({
  name: text(200),
  provided: z.boolean(),
  copies: z.number().int().min(1).max(999).optional(),
  pages: z.number().int().min(1).max(99_999).optional(),
  note: optionalText(500),
  fileIds: z.array(z.string().max(100)).max(50).optional(),
});

/** The officer's proposal (case action proposeReferral). No reporter field exists here. */
export const referralProposalSchema = z.strictObject({
  route: z.enum(referralRoutes),
  suspectedOffence: text(200),
  facts: text(8000),
  legalBasis: optionalText(1000),
  evidence: z.array(text(500)).max(100).default([]),
  package: z.array(packageItem).max(50).default([]),
  party: z
    .strictObject({ name: text(200), creditCode: optionalText(18), address: optionalText(200), legalRepresentative: optionalText(50) })
    .optional(),
  responsiblePersons: z.array(z.strictObject({ name: text(50), role: text(100) })).max(20).optional(),
  contact: z.strictObject({ name: text(50), phone: text(30) }).optional(),
  policeUnitId: optionalText(50),
}) satisfies z.ZodType<ReferralProposal>;

const items = z.array(text(200)).min(1, '至少一项').max(50);

export const referralCommandSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('updatePackage'), package: z.array(packageItem).max(50), evidence: z.array(text(500)).max(100).optional() }),
  z.strictObject({ action: z.literal('approve'), note: optionalText(1000) }),
  z.strictObject({ action: z.literal('refuseApproval'), reason: text(1000) }),
  z.strictObject({ action: z.literal('sign'), note: optionalText(1000) }),
  z.strictObject({ action: z.literal('returnReferral'), reason: text(1000) }),
  z.strictObject({ action: z.literal('requestSupplement'), items, note: optionalText(1000) }),
  z.strictObject({ action: z.literal('supply'), items, note: optionalText(1000) }),
  z.strictObject({ action: z.literal('extendDecision'), period: z.enum(['leads', 'complex']), approvalRef: text(200), reason: text(1000) }),
  z.strictObject({ action: z.literal('decide'), decision: z.enum(['file', 'not_file', 'detain', 'refuse']), reasons: optionalText(4000) }),
  z.strictObject({ action: z.literal('reportOutcome'), noticeNo: text(100), note: optionalText(1000) }),
  z.strictObject({ action: z.literal('handOverGoods'), note: optionalText(1000) }),
  z.strictObject({ action: z.literal('requestReconsideration'), reason: text(2000) }),
  z.strictObject({ action: z.literal('answerReconsideration'), answer: z.enum(['file', 'maintain']), reasons: text(4000) }),
  z.strictObject({ action: z.literal('proposeSupervision'), procuratorate: text(200), reason: text(2000) }),
  z.strictObject({ action: z.literal('closeReferral'), note: optionalText(1000) }),
  z.strictObject({
    action: z.literal('reissueDocument'),
    party: z.strictObject({ name: optionalText(200), creditCode: optionalText(18), address: optionalText(200), legalRepresentative: optionalText(50) }).optional(),
    contact: z.strictObject({ name: text(50), phone: text(30) }).optional(),
  }),
]) satisfies z.ZodType<ReferralCommand>;

export const referralBoxes = ['awaiting_approval', 'awaiting_receipt', 'awaiting_decision', 'overdue', 'decided', 'ended'] as const;

export const referralListQuerySchema = z.object({
  box: z.enum(referralBoxes).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

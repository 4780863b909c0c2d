// What a case keeps of its referrals, apart from the referral model (referral.ts), so that the
// case state can name it without the two importing each other.

export const referralRoutes = ['criminal', 'detention'] as const;
/** criminal: 两法衔接办法 (环环监〔2017〕17号); detention: 行政拘留移送办法 (环境保护法 第六十三条). */
export type ReferralRoute = (typeof referralRoutes)[number];

/** What the parent case learns, by signal, at every step of a referral (ReferralOutcome.type). */
export type ReferralOutcomeType =
  | 'approved'
  | 'head_refused'
  | 'transferred'
  | 'received'
  | 'returned'
  | 'supplement_requested'
  | 'supplied'
  | 'decision_extended'
  | 'filed'
  | 'not_filed'
  | 'detained'
  | 'refused'
  | 'notified'
  | 'goods_handed_over'
  | 'reconsideration_requested'
  | 'reconsideration_answered'
  | 'supervision_proposed'
  | 'overdue'
  | 'joint_supervision'
  | 'closed';

/** What the case keeps of each of its referrals. */
export interface CaseReferralRef {
  referralId: string;
  sequence: number;
  route: ReferralRoute;
  proposedAt: string;
  lastOutcome?: ReferralOutcomeType;
  ended: boolean;
}

import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReferralCommand, ReferralOutcome, ReferralView } from '../domain/referral';
import type { Actor } from '../domain/roles';

/** The referral workflow's public API, and the signal by which the case learns each outcome. */

export interface ReferralActionInput {
  command: ReferralCommand;
  actor: Actor;
}

export const referralActionUpdate = defineUpdate<ReferralView, [ReferralActionInput]>('referralAction');
export const getReferralQuery = defineQuery<ReferralView>('getReferral');
/** Child → parent case: every outcome of a referral, in order. */
export const referralOutcomeSignal = defineSignal<[ReferralOutcome]>('referralOutcome');

export { referralWorkflowId } from '../domain/referral';

// The worker's workflowsPath: every workflow type the task queue serves.
export { caseProcessingWorkflow } from './case-processing.workflow';
export { referralWorkflow } from './referral.workflow';
export { auditAnchorWorkflow } from './audit-anchor.workflow';
export { boardRefresherWorkflow } from './board-refresher.workflow';

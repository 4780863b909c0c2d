import type { CaseEvent } from '../domain/case-state';
import type { DocumentKind } from '../domain/documents';
import type { ReferralView } from '../domain/referral';
import type { Role } from '../domain/roles';

export interface ProjectReferralInput {
  referral: ReferralView;
  events: CaseEvent[];
}

export interface IssueReferralDocumentInput {
  referral: ReferralView;
  kind: DocumentKind;
  occasion: string;
  fields: Record<string, unknown>;
}

export interface NotifyReferralInput {
  referralId: string;
  caseId: string;
  caseNo: string;
  key: string;
  role: Role;
  regionCode: string;
  unitId?: string;
  message: string;
}

/** The activities the referral workflow calls. */
export interface ReferralActivities {
  projectReferral(input: ProjectReferralInput): Promise<void>;
  issueReferralDocument(input: IssueReferralDocumentInput): Promise<{ docNo: string; documentId: string; issuedAt: string }>;
  notifyReferral(input: NotifyReferralInput): Promise<void>;
}

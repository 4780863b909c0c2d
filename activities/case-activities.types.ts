import type { IntakeInput } from '../domain/case';
import type { CaseEvent, CaseView } from '../domain/case-state';
import type { DocumentKind, IssuedDocumentSummary } from '../domain/documents';
import type { Role } from '../domain/roles';

export interface PrepareIntakeInput {
  caseId: string;
  intake: IntakeInput;
}

export interface PrepareIntakeResult {
  caseNo: string;
  jurisdiction: { countyCode: string; cityCode: string; agencyCode: string; agencyName: string };
  /** An open case this intake repeats (same category, same subject or within 200 m, 30 ND). */
  duplicateOf?: { caseId: string; caseNo: string };
}

export interface ProjectCaseInput {
  state: CaseView;
  events: CaseEvent[];
}

export interface RecordMergedIntakeInput {
  idempotencyKey: string;
  channel: IntakeInput['channel'];
  caseId: string;
  mergedInto: { caseId: string; caseNo: string };
}

export interface NotifyInput {
  caseId: string;
  caseNo: string;
  /** Idempotency: the same notification is stored once however often the activity runs. */
  key: string;
  role: Role;
  regionCode: string;
  message: string;
}

export interface IssueCaseDocumentInput {
  state: CaseView;
  kind: DocumentKind;
  occasion: string;
  fields: Record<string, unknown>;
}

/** The activities the case workflow calls; the worker registers an implementation of each. */
export interface CaseActivities {
  prepareIntake(input: PrepareIntakeInput): Promise<PrepareIntakeResult>;
  projectCase(input: ProjectCaseInput): Promise<void>;
  recordMergedIntake(input: RecordMergedIntakeInput): Promise<void>;
  notify(input: NotifyInput): Promise<void>;
  issueCaseDocument(input: IssueCaseDocumentInput): Promise<IssuedDocumentSummary>;
}

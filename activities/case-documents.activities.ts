import { ApplicationFailure } from '@temporalio/common';
import { buildCaseDocumentFields, issuingAuthority } from '../domain/case-document-fields';
import { findMissingFields } from '../domain/documents';
import { missingFieldsReason } from '../domain/document-readiness';
import type { CaseActivities } from './case-activities.types';
import { createDocumentActivities, type DocumentActivities, type DocumentActivityDeps } from './documents/issue-document';

/**
 * Issues a case's document: turns the case as it stands into the template's fields and hands
 * them to numbering and rendering. Missing fields are a programming or data error, not a
 * passing fault, so they fail without retry and the workflow records the failure.
 */
export function createCaseDocumentActivities(
  deps: DocumentActivityDeps,
): Pick<CaseActivities, 'issueCaseDocument'> & Pick<DocumentActivities, 'issueDocument'> {
  const documents = createDocumentActivities(deps);
  return {
    // Referral documents carry their own fields; they share this numbering and renderer.
    issueDocument: (input) => documents.issueDocument(input),
    async issueCaseDocument({ state, kind, occasion, fields }) {
      const issuedAt = new Date().toISOString();
      const templateFields = buildCaseDocumentFields(state, kind, fields, issuedAt);
      const missing = findMissingFields(kind, templateFields);
      if (missing.length > 0) {
        // The message is the reason the case timeline shows the officer: in words, not field paths.
        throw ApplicationFailure.nonRetryable(missingFieldsReason(missing), 'MissingDocumentFields', { kind, missing });
      }
      // A city's or the province's 督办 goes out in that authority's name and sequence.
      const authority = issuingAuthority(state, kind, fields);
      return documents.issueDocument({
        caseId: state.caseId,
        caseNo: state.caseNo,
        kind,
        occasion,
        agencyCode: authority.agencyCode,
        agencyName: authority.agencyName,
        issuedAt,
        fields: templateFields,
      });
    },
  };
}

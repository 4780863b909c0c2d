import type { CaseState } from './case-state';
import type { DocumentKind } from './documents';

/**
 * The template fields of a case document, from the case as it stands and the facts of the
 * step that issues it. One function per kind would be clearer; see the TODO owner in README.
 */
export function buildCaseDocumentFields(
  state: Omit<CaseState, 'unprojectedEvents'>,
  _kind: DocumentKind,
  stepFields: Record<string, unknown>,
  issuedAt: string,
): Record<string, unknown> {
  return {
    caseNo: state.caseNo,
    issuedAt,
    description: state.description,
    address: state.location.address,
    subject: state.subject,
    ...stepFields,
  };
}

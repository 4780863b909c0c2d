// Whether a document can be issued from the fields a step would give it, checked before the step
// is taken: a step whose document is bound to fail (the 移送书 without the party's credit code)
// is refused with the missing items named, instead of being taken and leaving the document, and
// whoever waits for it, stuck. The required fields themselves stay where they are defined
// (`documentKinds[kind].requiredFields`, `findMissingFields`); this file only names them for people.
import { documentKinds, findMissingFields, type DocumentKind } from './documents';
import { DomainError } from './errors';

/** How a required field is called on the form that supplies it. */
const fieldLabels: Record<string, string> = {
  recipient: '主送机关',
  'party.name': '当事人名称',
  'party.creditCode': '当事人统一社会信用代码（或身份证件号码）',
  'party.address': '当事人住所（地址）',
  'party.legalRepresentative': '法定代表人（负责人）',
  facts: '违法（涉嫌犯罪）事实',
  suspectedOffence: '涉嫌罪名或违法情形',
  legalBasis: '法律依据',
  materials: '移送材料',
  responsiblePersons: '直接责任人员',
  'contact.name': '联系人',
  'contact.phone': '联系电话',
};

/** The missing fields' names in Chinese; a field without a label is shown by its path. */
export function missingFieldLabels(missing: readonly string[]): string[] {
  return missing.map((path) => fieldLabels[path] ?? path);
}

/** Why a document could not be issued, as the case timeline shows it (缺少必填内容：当事人名称). */
export function missingFieldsReason(missing: readonly string[]): string {
  return `缺少必填内容：${missingFieldLabels(missing).join('、')}`;
}

/** Throws InvalidInput naming, in Chinese, what the document of `kind` would lack. */
export function assertDocumentReady(kind: DocumentKind, fields: Record<string, unknown>): void {
  const missing = findMissingFields(kind, fields);
  if (missing.length === 0) return;
  throw new DomainError(
    'InvalidInput',
    `${documentKinds[kind].title}缺少必填内容：${missingFieldLabels(missing).join('、')}。请补充后再提交`,
    { missing },
  );
}

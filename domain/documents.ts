/**
 * Official documents (法律文书): kinds, kind codes, unified numbers (文号), Chinese dates and
 * amounts in capitals, and the activity input/output types.
 *
 * Pure: no Node imports, no clock, no I/O. Workflow code imports this file, so everything here
 * must run inside Temporal's sandbox.
 */

/**
 * Kind code (机关代字 suffix) per kind. Each sequence is keyed by (agency, kind, year), and the
 * number printed is `{agencyCode}{kindCode}〔{year}〕{n}号`; codes must therefore be unique,
 * or two sequences would print the same number.
 *
 * | kind                  | document                               | code |
 * |-----------------------|----------------------------------------|------|
 * | transfer_to_locality  | 交办单                                 | 交   |
 * | acceptance_notice     | 受理告知书                             | 受   |
 * | rejection_notice      | 不予受理告知书                         | 不受 |
 * | correction_order      | 责令改正违法行为决定书                 | 责改 |
 * | verification_result   | 整改核查意见书                         | 核   |
 * | supervision_notice    | 督办通知书 (挂牌督办通知书 if flagged) | 督   |
 * | criminal_transfer     | 涉嫌环境犯罪案件移送书 + 移送材料清单  | 移送 |
 * | detention_transfer    | 行政拘留案件移送书                     | 拘移 |
 * | closure_approval      | 结案审批表                             | 结   |
 * | complainant_answer    | 答复意见书                             | 复   |
 */
export const documentKinds = {
  transfer_to_locality: {
    title: '交办单',
    kindCode: '交',
    requiredFields: [
      'recipient',
      'complaint.source',
      'complaint.receivedOn',
      'complaint.summary',
      'problem',
      'requirements',
      'deadline',
      'legalBasis',
      'contact.name',
      'contact.phone',
    ],
  },
  acceptance_notice: {
    title: '受理告知书',
    kindCode: '受',
    requiredFields: [
      'addressee',
      'complaint.receivedOn',
      'complaint.summary',
      'acceptedOn',
      'handlingUnit',
      'replyDeadline',
      'legalBasis',
    ],
  },
  rejection_notice: {
    title: '不予受理告知书',
    kindCode: '不受',
    requiredFields: [
      'addressee',
      'complaint.receivedOn',
      'complaint.summary',
      'reasons',
      'legalBasis',
      'guidance',
    ],
  },
  correction_order: {
    title: '责令改正违法行为决定书',
    kindCode: '责改',
    requiredFields: [
      'party.name',
      'party.address',
      'facts',
      'evidence',
      'violatedProvisions',
      'legalBasis',
      'corrections',
      'correctionDeadline',
      'remedy.reconsiderationBody',
      'remedy.court',
    ],
  },
  verification_result: {
    title: '整改核查意见书',
    kindCode: '核',
    requiredFields: [
      'party.name',
      'party.address',
      'orderDocNo',
      'verifiedOn',
      'findings',
      'conclusion', // 'rectified' | 'not_rectified'
      'legalBasis',
    ],
  },
  supervision_notice: {
    title: '督办通知书',
    kindCode: '督',
    requiredFields: [
      'recipient',
      'caseSummary',
      'problem',
      'requirements',
      'deadline',
      'legalBasis',
      'contact.name',
      'contact.phone',
    ],
  },
  criminal_transfer: {
    title: '涉嫌环境犯罪案件移送书',
    kindCode: '移送',
    requiredFields: [
      'recipient',
      'party.name',
      'party.address',
      'facts',
      'suspectedOffence',
      'legalBasis',
      'materials',
      'contact.name',
      'contact.phone',
    ],
  },
  detention_transfer: {
    title: '行政拘留案件移送书',
    kindCode: '拘移',
    requiredFields: [
      'recipient',
      'party.name',
      'party.address',
      'responsiblePersons',
      'facts',
      'legalBasis',
      'materials',
      'contact.name',
      'contact.phone',
    ],
  },
  closure_approval: {
    title: '结案审批表',
    kindCode: '结',
    requiredFields: [
      'caseTitle',
      'receivedOn',
      'facts',
      'handlingResult',
      'legalBasis',
      'undertakerOpinion',
    ],
  },
  complainant_answer: {
    title: '答复意见书',
    kindCode: '复',
    requiredFields: [
      'addressee',
      'complaint.receivedOn',
      'complaint.summary',
      'findings',
      'opinion',
      'outcome', // a ComplaintOutcome
      'legalBasis',
      'remedy.reviewBody',
    ],
  },
} as const satisfies Record<string, DocumentKindDefinition>;

export interface DocumentKindDefinition {
  /** Printed title; some kinds vary it by a field (see `documentTitle`). */
  readonly title: string;
  readonly kindCode: string;
  /**
   * Dot paths into `fields` that must be present and non-empty (arrays: at least one item)
   * before the document may be issued; every other field is optional and, when never entered,
   * left out of the printed document. What the law asks but the case cannot know (a party's
   * legal representative or credit code, the officers who did the work when nobody claimed the
   * task) is optional: printed when entered, never invented.
   */
  readonly requiredFields: readonly string[];
}

export type DocumentKind = keyof typeof documentKinds;

export const documentKindList = Object.keys(documentKinds) as DocumentKind[];

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(documentKinds, value);
}

export function kindCodeOf(kind: DocumentKind): string {
  return documentKinds[kind].kindCode;
}

/** The 挂牌督办 flag turns a supervision notice into a 挂牌督办通知书; same sequence, same code. */
export function documentTitle(kind: DocumentKind, fields: Record<string, unknown>): string {
  if (kind === 'supervision_notice' && fields.flagged === true) return '挂牌督办通知书';
  return documentKinds[kind].title;
}

/** Required field paths that are missing or empty, so the caller can fail without retrying. */
export function findMissingFields(kind: DocumentKind, fields: Record<string, unknown>): string[] {
  return documentKinds[kind].requiredFields.filter((path) => isEmpty(valueAt(fields, path)));
}

function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Activity payloads. Plain JSON: they cross the Temporal boundary.

export type DocumentStatus = 'rendering' | 'issued' | 'voided';

export interface IssueDocumentInput {
  caseId: string;
  caseNo: string;
  kind: DocumentKind;
  /**
   * Why this document is issued within the case (e.g. 'rectification-1', 'escalation-2').
   * (caseId, kind, occasion) identifies the document: issuing again returns the same one.
   */
  occasion: string;
  /** 机关代字, e.g. 漳环 */
  agencyCode: string;
  /** Printed in the banner and the seal block, e.g. 漳州市生态环境局 */
  agencyName: string;
  /** ISO instant; its date in China time is the printed date and picks the number's year. */
  issuedAt: string;
  issuedBy?: string;
  /** Template data; see `documentKinds[kind].requiredFields`. */
  fields: Record<string, unknown>;
}

export interface IssuedDocumentSummary {
  documentId: string;
  docNo: string;
  kind: DocumentKind;
  /** Serial n of the number; gapless per (agency, kind, year). */
  serial: number;
  status: DocumentStatus;
  sha256: string;
  templateVersion: string;
  issuedAt: string;
}

export interface VoidDocumentInput {
  documentId: string;
  reason: string;
  voidedBy?: string;
  /** ISO instant; workflows pass their own time. Default: the activity's clock. */
  voidedAt?: string;
}

export interface VoidDocumentResult {
  documentId: string;
  docNo: string;
  status: 'voided';
  voidReason: string;
  voidedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Numbers (文号), GB/T 9704-2012 §7.2.4: year in six-corner brackets 〔〕, no padding, no 第.

export const YEAR_OPEN = '\u3014'; // 〔
export const YEAR_CLOSE = '\u3015'; // 〕

export interface DocumentNumberParts {
  agencyCode: string;
  kindCode: string;
  year: number;
  serial: number;
}

export function formatDocumentNumber(parts: DocumentNumberParts): string {
  if (!Number.isInteger(parts.year) || parts.year < 1000 || parts.year > 9999) {
    throw new RangeError(`document number year must have four digits: ${parts.year}`);
  }
  if (!Number.isSafeInteger(parts.serial) || parts.serial < 1) {
    throw new RangeError(`document number serial must be a positive integer: ${parts.serial}`);
  }
  return `${parts.agencyCode}${parts.kindCode}${YEAR_OPEN}${parts.year}${YEAR_CLOSE}${parts.serial}号`;
}

export interface ParsedDocumentNumber {
  /** Everything before the year bracket: agency code plus kind code. */
  prefix: string;
  year: number;
  serial: number;
  /** Set when the prefix ends in one of our kind codes (longest code wins). */
  kind?: DocumentKind;
  kindCode?: string;
  agencyCode?: string;
  /** The number re-emitted in canonical form. */
  canonical: string;
}

// Only the bracket pair around the four-digit year is normalised: agency codes such as
// 惠市环(龙门) keep their own brackets.
const numberPattern =
  /^(.+?)[[(（［【〔<〈]\s*(\d{4})\s*[\])）］】〕>〉]\s*第?\s*0*(\d+)\s*号$/u;

/**
 * Reads a number written by hand or by other systems: [], (), （）, 【】 and ［］ around the year,
 * full-width digits, zero padding and 第 are accepted; `canonical` is the GB/T 9704 form.
 */
export function parseDocumentNumber(text: string): ParsedDocumentNumber | undefined {
  const compact = toHalfWidthDigits(text).replace(/\s+/gu, '');
  const match = numberPattern.exec(compact);
  if (!match) return undefined;
  const [, prefix = '', yearText = '', serialText = ''] = match;
  const year = Number(yearText);
  const serial = Number(serialText);
  if (!Number.isSafeInteger(serial) || serial < 1) return undefined;
  const canonical = `${prefix}${YEAR_OPEN}${year}${YEAR_CLOSE}${serial}号`;
  const kind = kindByPrefix(prefix);
  if (!kind) return { prefix, year, serial, canonical };
  const kindCode = kindCodeOf(kind);
  return {
    prefix,
    year,
    serial,
    kind,
    kindCode,
    agencyCode: prefix.slice(0, prefix.length - kindCode.length),
    canonical,
  };
}

/** The canonical form of a number, or undefined if the text is not a document number. */
export function normalizeDocumentNumber(text: string): string | undefined {
  return parseDocumentNumber(text)?.canonical;
}

function kindByPrefix(prefix: string): DocumentKind | undefined {
  const byLongestCode = [...documentKindList].sort(
    (a, b) => kindCodeOf(b).length - kindCodeOf(a).length,
  );
  return byLongestCode.find(
    (kind) => prefix.endsWith(kindCodeOf(kind)) && prefix.length > kindCodeOf(kind).length,
  );
}

function toHalfWidthDigits(text: string): string {
  return text.replace(/[０-９]/gu, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
}

// ---------------------------------------------------------------------------------------------
// Dates. China has used UTC+8 without daylight saving since 1991, so the offset is a constant.

const chinaOffsetMs = 8 * 60 * 60 * 1000;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * The calendar date of an ISO value in China: a plain date ('2026-03-05') is taken as is, an
 * instant ('2026-03-04T16:30:00Z') is read in UTC+8, so an evening UTC time is the next day.
 */
export function chinaCalendarDate(iso: string): CalendarDate {
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(iso.trim());
  if (plain) {
    const [, y = '', m = '', d = ''] = plain;
    const date = { year: Number(y), month: Number(m), day: Number(d) };
    assertRealDate(date, iso);
    return date;
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}T/u.test(iso.trim())) {
    throw new RangeError(`not an ISO date: ${iso}`);
  }
  const shifted = new Date(time + chinaOffsetMs);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

function assertRealDate(date: CalendarDate, source: string): void {
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (
    check.getUTCFullYear() !== date.year ||
    check.getUTCMonth() !== date.month - 1 ||
    check.getUTCDate() !== date.day
  ) {
    throw new RangeError(`not a calendar date: ${source}`);
  }
}

/** Official form with Arabic numerals and no padding (GB/T 9704-2012): 2026年3月5日. */
export function chineseDate(iso: string): string {
  const { year, month, day } = chinaCalendarDate(iso);
  return `${year}年${month}月${day}日`;
}

/** The year a document number belongs to: the issue date's year in China. */
export function documentYear(issuedAt: string): number {
  return chinaCalendarDate(issuedAt).year;
}

// ---------------------------------------------------------------------------------------------
// Amounts in capitals (人民币大写), after 《支付结算办法》 附件: 壹拾 is written out, a zero
// inside the number is read once, 整 follows 元 or 角 but never 分.

const capitalDigits = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const placeUnits = ['', '拾', '佰', '仟'] as const;
const groupUnits = ['', '万', '亿', '万亿'] as const;

/** Amount in yuan (number or decimal string, at most two decimals) → 壹万贰仟叁佰元整. */
export function amountInCapitals(amount: number | string): string {
  const cents = toCents(amount);
  const yuan = Math.floor(cents / 100);
  const jiao = Math.floor((cents % 100) / 10);
  const fen = cents % 10;
  if (cents === 0) return '零元整';

  let text = yuan > 0 ? `${integerInCapitals(yuan)}元` : '';
  if (jiao > 0) text += `${capitalDigits[jiao]}角`;
  else if (fen > 0 && yuan > 0) text += '零';
  if (fen > 0) text += `${capitalDigits[fen]}分`;
  else text += '整';
  return text;
}

function toCents(amount: number | string): number {
  let cents: number;
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount)) throw new RangeError(`not an amount: ${amount}`);
    cents = Math.round(amount * 100);
    if (Math.abs(amount * 100 - cents) > 1e-6) {
      throw new RangeError(`amount has more than two decimals: ${amount}`);
    }
  } else {
    const match = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/u.exec(amount.replace(/,/gu, ''));
    if (!match) throw new RangeError(`not an amount: ${amount}`);
    const [, whole = '0', fraction = ''] = match;
    cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  }
  if (cents < 0) throw new RangeError(`amount must not be negative: ${amount}`);
  if (!Number.isSafeInteger(cents) || cents >= 1e18) {
    throw new RangeError(`amount too large: ${amount}`);
  }
  return cents;
}

function integerInCapitals(value: number): string {
  const groups: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);

  let text = '';
  let zeroPending = false;
  for (let index = groups.length - 1; index >= 0; index -= 1) {
    const group = groups[index] ?? 0;
    if (group === 0) {
      zeroPending = text !== '';
      continue;
    }
    // A lower group that does not fill its thousands place is read after a 零 (壹万零伍).
    if (text !== '' && (zeroPending || group < 1000)) text += '零';
    text += groupInCapitals(group) + (groupUnits[index] ?? '');
    zeroPending = false;
  }
  return text;
}

function groupInCapitals(group: number): string {
  let text = '';
  let zeroPending = false;
  for (let place = 3; place >= 0; place -= 1) {
    const digit = Math.floor(group / 10 ** place) % 10;
    if (digit === 0) {
      zeroPending = text !== '';
      continue;
    }
    if (zeroPending) text += '零';
    text += `${capitalDigits[digit]}${placeUnits[place]}`;
    zeroPending = false;
  }
  return text;
}

/** ¥12,300.00 style figure printed next to the capitals. */
export function amountInFigures(amount: number | string): string {
  const cents = toCents(amount);
  const yuan = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/gu, ',');
  return `¥${yuan}.${String(cents % 100).padStart(2, '0')}`;
}

/** 一、二、… for numbered headings (GB/T 9704 first-level heading). Up to 99. */
export function chineseOrdinal(n: number): string {
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`ordinal out of range: ${n}`);
  if (n < 10) return digits[n] ?? '';
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digits[tens]}十${ones === 0 ? '' : digits[ones]}`;
}

/** Outcome categories of a complaint answer (信访工作条例 Art. 32) and their printed wording. */
export const complaintOutcomes = {
  supported: '予以支持',
  partly_supported: '部分予以支持',
  not_supported: '不予支持',
} as const;

export type ComplaintOutcome = keyof typeof complaintOutcomes;

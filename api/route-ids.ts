/**
 * The shapes of the ids that appear in routes, checked before any database lookup: a path
 * segment may decode to anything (NUL, lone bytes, megabytes), and FerretDB answers some of
 * that with an internal error. An id of the wrong shape names nothing, so it gets the same
 * 404 as an id that names nothing in the user's jurisdiction.
 */

/** caseIdFor: the first 20 hex digits of a SHA-256. */
export function isCaseId(value: string): boolean {
  return /^[0-9a-f]{20}$/u.test(value);
}

/** referralIdOf: the case id and the referral's sequence number. */
export function isReferralId(value: string): boolean {
  return /^[0-9a-f]{20}-[1-9][0-9]{0,5}$/u.test(value);
}

/** A document's id: a random UUID, or the ObjectId hex of a document issued before ids were random. */
export function isDocumentId(value: string): boolean {
  return /^[0-9a-f]{24}$/u.test(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u.test(value);
}

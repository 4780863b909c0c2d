/**
 * Anchors of the audit chain (全过程留痕) kept outside the database it protects: the anchor
 * workflow records the chain's head (serial and hash of the last entry) in its own Temporal
 * history at each interval, and once a day a head signed with a key the database never sees.
 * An attacker who can write MongoDB can rewrite every hash from one entry onward, or delete the
 * tail and move the head back, and the chain still links up; it no longer matches its anchors.
 * Pure data and functions: the workflow, the activities, the API and the command share them.
 */

export interface AuditHead {
  serial: number;
  hash: string;
}

export interface AuditAnchor extends AuditHead {
  /** When the workflow read this head (workflow time, ISO). */
  at: string;
}

export interface SignedAuditHead extends AuditHead {
  /** The Asia/Shanghai calendar day this head was signed for (YYYY-MM-DD). */
  day: string;
  at: string;
  /** HMAC-SHA256 of `signedHeadPayload`, hex. */
  signature: string;
}

/** The workflow found an anchored entry changed or gone: evidence it keeps for good. */
export interface AnchorConflict {
  at: string;
  anchored: AuditAnchor;
  /** What is stored at the anchored serial now; null when that entry is gone. */
  found: AuditHead | null;
}

export interface AuditAnchorState {
  anchors: AuditAnchor[];
  signedHeads: SignedAuditHead[];
  conflicts: AnchorConflict[];
  /** Conflicts seen in all, including those beyond the kept ones. */
  conflictCount: number;
  lastCheckedAt?: string;
}

/** What the head-reading activity reports on one tick. */
export interface HeadReading {
  /** The last entry the chain's head names, with its stored hash; null for an empty chain. */
  head: AuditHead | null;
  /** Whether the entry at the last anchor's serial still carries the anchored hash. */
  previous?: { holds: boolean; found: AuditHead | null };
}

/**
 * Kept in the workflow's state and carried over continue-as-new. A day of anchors at the default
 * interval is plenty: any rewrite of an entry at or below the last anchor is caught by the next
 * tick and kept as a conflict; the earliest conflicts are the evidence, so those stay.
 */
export const anchorLimits = { anchors: 96, signedHeads: 62, conflicts: 20 } as const;

export function emptyAnchorState(): AuditAnchorState {
  return { anchors: [], signedHeads: [], conflicts: [], conflictCount: 0 };
}

/** The Asia/Shanghai calendar day of an instant (no daylight saving: UTC+8 all year). */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** One tick: records a conflict when the last anchor no longer holds, then anchors the head. */
export function recordReading(state: AuditAnchorState, reading: HeadReading, at: string): AuditAnchorState {
  const last = state.anchors.at(-1);
  let conflicts = state.conflicts;
  let conflictCount = state.conflictCount;
  const broken = last !== undefined && reading.previous !== undefined && !reading.previous.holds;
  if (broken) {
    conflictCount += 1;
    if (conflicts.length < anchorLimits.conflicts) conflicts = [...conflicts, { at, anchored: last, found: reading.previous?.found ?? null }];
  }
  let anchors = state.anchors;
  const head = reading.head;
  // A head behind the last anchor whose entry still holds is a lagging head (a writer died
  // before moving it), not tampering: nothing new to anchor. After a conflict the head is
  // anchored as it is, so the next tick checks the chain from there.
  const moved = head !== null && (last === undefined || head.serial > last.serial || (broken && (head.serial !== last.serial || head.hash !== last.hash)));
  if (moved) anchors = [...anchors, { serial: head.serial, hash: head.hash, at }].slice(-anchorLimits.anchors);
  return { ...state, anchors, conflicts, conflictCount, lastCheckedAt: at };
}

export function needsSignature(state: AuditAnchorState, day: string): boolean {
  return state.signedHeads.at(-1)?.day !== day;
}

export function withSignedHead(state: AuditAnchorState, signed: SignedAuditHead): AuditAnchorState {
  return { ...state, signedHeads: [...state.signedHeads, signed].slice(-anchorLimits.signedHeads) };
}

/** The exact text that is signed: a domain tag, so the key signs nothing else by accident. */
export function signedHeadPayload(head: { day: string; serial: number; hash: string }): string {
  return `envcase-audit-head/v1|${head.day}|${head.serial}|${head.hash}`;
}

/** The line printed to the log; `parseSignedHeadLine` reads it back for the command. */
export function formatSignedHeadLine(head: SignedAuditHead): string {
  return `AUDIT-HEAD day=${head.day} serial=${head.serial} hash=${head.hash} at=${head.at} sig=${head.signature}`;
}

export function parseSignedHeadLine(line: string): SignedAuditHead | undefined {
  const match = /AUDIT-HEAD day=(\d{4}-\d{2}-\d{2}) serial=(\d+) hash=([0-9a-f]{64}) at=(\S+) sig=([0-9a-f]{64})/.exec(line);
  if (!match) return undefined;
  return { day: match[1]!, serial: Number(match[2]), hash: match[3]!, at: match[4]!, signature: match[5]! };
}

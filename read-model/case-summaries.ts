// A case as lists show it, and the order and columns every case list reads.

/** Least time left first (cases without a running clock last), then the newest. */
export const caseListOrder = { sortDue: 1, receivedAt: -1, _id: 1 } as const;
/** What a list row leaves out: the state, the complainant, the keys. */
export const caseListColumns = { state: 0, reporter: 0, listKeys: 0 } as const;

export interface CaseSummary {
  caseId: string;
  caseNo: string;
  status: string;
  channel: string;
  category: string;
  description: string;
  address?: string | null;
  regionCode: string;
  nextDueAt?: string;
  overdue: boolean;
  escalationLevel: number;
  receivedAt: string;
}

export function toSummary(doc: Record<string, unknown>): CaseSummary {
  return {
    caseId: String(doc._id),
    caseNo: String(doc.caseNo),
    status: String(doc.status),
    channel: String(doc.channel),
    category: String(doc.category),
    description: String(doc.description),
    address: doc.address as string | undefined,
    regionCode: String(doc.regionCode),
    nextDueAt: doc.nextDueAt ? (doc.nextDueAt as Date).toISOString() : undefined,
    overdue: Boolean(doc.overdue),
    escalationLevel: Number(doc.escalationLevel ?? 0),
    receivedAt: (doc.receivedAt as Date).toISOString(),
  };
}


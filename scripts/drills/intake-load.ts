import { runPool } from '../../bench/lib/bench-stack';

export interface IntakeLoadOptions {
  baseUrl: string;
  /** Bearer header value of a user who may register hotline intakes in 芗城区. */
  authorization: string;
  count: number;
  concurrency: number;
  runId: string;
  /** Per attempt; a sender that hears nothing for this long sends again with the same key. */
  attemptTimeoutMs: number;
  /** Per intake; after this the sender gives up and the intake counts as never acknowledged. */
  giveUpAfterMs: number;
  /** Called after each acknowledgement, so faults can be timed to the load's progress. */
  onAcknowledged?: (record: IntakeRecord, acknowledged: number) => void;
}

export interface IntakeRecord {
  key: string;
  attempts: number;
  /** Every case id an acknowledgement named for this key (more than one is a duplicate). */
  caseIds: Set<string>;
  acknowledgedAt?: number;
  /** When the attempt that was finally acknowledged was sent. */
  acknowledgedAttemptSentAt?: number;
}

export interface IntakeLoadResult {
  records: IntakeRecord[];
  /** Answers 500–599 other than 503. */
  serverErrors: number;
  /** 503 answers: the server saying a dependency is down; the sender retries. */
  unavailable: number;
  timeouts: number;
  connectionFailures: number;
  /** 4xx answers other than the ones a resend may meet: a refused intake is a bug in the drill or the API. */
  refused: { status: number; body: string }[];
  elapsedMs: number;
}

/** A distinct spot per intake, about 550 m apart on a grid, so none is merged as a repeat. */
export function drillComplaint(spot: number, key: string) {
  return {
    channel: 'hotline',
    category: 'water',
    description: `演练：排污口排放污水（第${spot}处）`,
    location: {
      address: `漳州市芗城区东铺头街道演练点${spot}号`,
      regionCode: '350602001',
      coordinates: { lng: 117.3 + (spot % 100) * 0.0055, lat: 24.2 + Math.floor(spot / 100) * 0.005 },
    },
    reporter: { anonymous: true },
    idempotencyKey: key,
  };
}

/**
 * Sends `count` intakes at `concurrency` the way a sending system (12369, the grid app) would:
 * each with its own idempotency key, and on a timeout, a dropped connection or a 5xx the same
 * body with the same key again, after a short backoff, until acknowledged or out of time.
 */
export async function runIntakeLoad(options: IntakeLoadOptions): Promise<IntakeLoadResult> {
  const records: IntakeRecord[] = Array.from({ length: options.count }, (_, index) => ({
    key: `drill-${options.runId}-${String(index).padStart(4, '0')}`,
    attempts: 0,
    caseIds: new Set<string>(),
  }));
  const result: IntakeLoadResult = { records, serverErrors: 0, unavailable: 0, timeouts: 0, connectionFailures: 0, refused: [], elapsedMs: 0 };
  let acknowledged = 0;

  const send = async (index: number) => {
    const record = records[index]!;
    const body = JSON.stringify(drillComplaint(index, record.key));
    const giveUpAt = Date.now() + options.giveUpAfterMs;
    for (let backoffMs = 250; Date.now() < giveUpAt; backoffMs = Math.min(backoffMs * 2, 4_000)) {
      record.attempts += 1;
      const sentAt = Date.now();
      try {
        const response = await fetch(`${options.baseUrl}/api/intakes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: options.authorization },
          body,
          signal: AbortSignal.timeout(options.attemptTimeoutMs),
        });
        const text = await response.text();
        if (response.status === 200 || response.status === 201) {
          const outcome = JSON.parse(text) as { caseId: string };
          record.caseIds.add(outcome.caseId);
          record.acknowledgedAt = Date.now();
          record.acknowledgedAttemptSentAt = sentAt;
          acknowledged += 1;
          options.onAcknowledged?.(record, acknowledged);
          return;
        }
        if (response.status === 503) result.unavailable += 1;
        else if (response.status >= 500) result.serverErrors += 1;
        else {
          result.refused.push({ status: response.status, body: text.slice(0, 300) });
          return;
        }
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') result.timeouts += 1;
        else result.connectionFailures += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
    }
  };

  const { elapsedMs } = await runPool(options.count, options.concurrency, send);
  result.elapsedMs = elapsedMs;
  return result;
}

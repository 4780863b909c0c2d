import { contractRequest } from '../../support/openapi-contract';
import type { TestStack } from '../../support/stack';

/** A hotline complaint in 芗城区 东铺头街道 (350602001), with the reporter known. */
export interface ComplaintOptions {
  key: string;
  /** Each place is about 1 km from the next, so complaints at different places never dedupe. */
  place: number;
  category?: string;
  regionCode?: string;
  creditCode?: string;
  /** Metres east of the place, to report the same spot again from a little way off. */
  offsetMetres?: number;
  receivedAt?: string;
}

/** 0.01° of longitude at 24.5° N is about 1 012 m; one metre is 1 / 101 200 of it. */
const degreesPerMetre = 0.01 / 1012;

export function aComplaint(options: ComplaintOptions): Record<string, unknown> {
  const lng = 117.6 + options.place * 0.01 + (options.offsetMetres ?? 0) * degreesPerMetre;
  return {
    channel: 'hotline',
    category: options.category ?? 'water',
    description: `排污口夜间排放黄色污水，河面有泡沫（第${options.place}处）`,
    location: {
      address: `漳州市芗城区东铺头街道九龙江边${options.place}号`,
      regionCode: options.regionCode ?? '350602001',
      coordinates: { lng, lat: 24.51 },
    },
    ...(options.creditCode ? { subject: { name: '漳州某化工有限公司', creditCode: options.creditCode } } : {}),
    reporter: { anonymous: false, name: '李先生', phone: '13800000000' },
    idempotencyKey: options.key,
    ...(options.receivedAt ? { receivedAt: options.receivedAt } : {}),
  };
}

export interface TimelineEntry {
  seq: number;
  type: string;
  summary: string;
  actor?: { userId: string; name: string; role: string };
}

export interface CaseClock {
  id: string;
  label: string;
  basis: string;
  source: 'law' | 'policy';
  dueAt: string;
  status: string;
}

export interface CaseDetail {
  caseId: string;
  caseNo: string;
  status: string;
  revision: number;
  escalationLevel: number;
  clocks: Record<string, CaseClock | undefined>;
  tasks: { taskId: string; kind: string; role: string; regionCode: string; status: string; dueAt?: string }[];
  relatedComplaints: { caseId: string }[];
  closure?: { approvedAt?: string; answer?: string };
  rectification?: { requirement: string; dueAt: string };
}

export interface TaskItem {
  taskId: string;
  caseId: string;
  kind: string;
  role: string;
  regionCode: string;
  dueAt?: string;
  escalationLevel: number;
}

/**
 * Thin HTTP client over the app, one logged-in user per call, for readable tests. Every answer
 * is checked against /api/openapi.json (status listed, body matching its schema) first.
 */
export function caseApi(stack: TestStack) {
  const request = () => contractRequest(stack.app);
  return {
    postIntake: (token: string, body: Record<string, unknown>) => request().post('/api/intakes').set('Authorization', token).send(body),
    act: (token: string, caseId: string, command: Record<string, unknown>) =>
      request().post(`/api/cases/${caseId}/actions`).set('Authorization', token).send(command),
    async getCase(token: string, caseId: string): Promise<{ detail: CaseDetail; timeline: TimelineEntry[] }> {
      const response = await request().get(`/api/cases/${caseId}`).set('Authorization', token);
      if (response.status !== 200) throw new Error(`GET /api/cases/${caseId}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async tasks(token: string, view: 'mine' | 'unit' = 'unit'): Promise<TaskItem[]> {
      const response = await request().get(`/api/tasks?view=${view}&pageSize=100`).set('Authorization', token);
      if (response.status !== 200) throw new Error(`GET /api/tasks: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.items;
    },
    /** Open tasks of `kind` on `caseId` in the user's list. */
    async tasksOn(token: string, caseId: string, kind: string): Promise<TaskItem[]> {
      return (await this.tasks(token)).filter((task) => task.caseId === caseId && task.kind === kind);
    },
  };
}

/** Polls until `probe` returns a value (not undefined); for effects that land after a response. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

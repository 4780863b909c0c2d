import request from 'supertest';
import { canAccess, canRegisterIntake, pageActions, type Endpoint } from '../../../api/access-control';
import { actionPermissions, type Role } from '../../../domain/roles';
import { demoUsers } from '../../../scripts/demo-data';
import { startTestStack, type TestStack } from '../../support/stack';
import { complaintBody } from '../pages/page-app';

jest.setTimeout(300_000);

/** Every role of DESIGN.md §1 in 芗城区, plus an officer of another county (同安区). */
const users = ['grid', 'locality', 'officer', 'supervisor', 'police', 'admin', 'officer.tongan'] as const;
const roleOf = (username: string): Role => demoUsers.find((user) => user.username === username)!.role;
const outsider = 'officer.tongan';

/** A valid-shaped command per case action, so that the answer is about permission, not syntax. */
const commands: Record<(typeof pageActions)[number], Record<string, unknown>> = {
  claimTask: { action: 'claimTask', taskId: 'no-such-task' },
  triage: { action: 'triage', decision: 'reject' },
  acknowledge: { action: 'acknowledge' },
  recordInvestigation: { action: 'recordInvestigation', outcome: 'no_violation', findings: '—' },
  reportRectification: { action: 'reportRectification', report: '—' },
  requestExtension: { action: 'requestExtension', clockId: 'acceptance_notice', amount: 1, unit: 'ND', reason: '—' },
  decideExtension: { action: 'decideExtension', clockId: 'acceptance_notice', approve: false },
  verify: { action: 'verify', passed: true, findings: '—' },
  decideClosure: { action: 'decideClosure', approve: false },
  recordFiling: { action: 'recordFiling', filedOn: '2026-01-05' },
  recordPenaltyDecision: { action: 'recordPenaltyDecision', decidedOn: '2026-01-05', decision: '—' },
  escalate: { action: 'escalate', reason: '—' },
  suspendClock: { action: 'suspendClock', clockId: 'acceptance_notice', reason: '—' },
  resumeClock: { action: 'resumeClock', clockId: 'acceptance_notice' },
  reopen: { action: 'reopen', reason: '—' },
  recordSatisfaction: { action: 'recordSatisfaction', satisfaction: 'satisfied' },
  reissueDocument: { action: 'reissueDocument', kind: 'correction_order', occasion: 'round-1' },
};

describe('role × endpoint matrix: every role and every API endpoint/action, as api/access-control.ts says', () => {
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  let caseId: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'access_matrix' });
    for (const user of users) tokens[user] = await stack.login(user);
    const posted = await request(stack.app).post('/api/intakes').set('Authorization', tokens.officer!).send(complaintBody('matrix-0001'));
    expect(posted.status).toBe(201);
    caseId = posted.body.caseId;
  });
  afterAll(() => stack.stop());

  const reads: { endpoint: Endpoint; path: () => string }[] = [
    { endpoint: 'cases.list', path: () => '/api/cases' },
    { endpoint: 'cases.read', path: () => `/api/cases/${caseId}` },
    { endpoint: 'tasks.list', path: () => '/api/tasks' },
    { endpoint: 'board.read', path: () => '/api/board' },
    { endpoint: 'audit.verify', path: () => '/api/audit/verify' },
  ];

  test.each(users.flatMap((user) => reads.map((read) => [user, read.endpoint, read] as const)))(
    'when %s calls %s, then it is allowed or refused as the matrix says',
    async (user, endpoint, read) => {
      const response = await request(stack.app).get(read.path()).set('Authorization', tokens[user]!);
      if (!canAccess(roleOf(user), endpoint)) {
        expect(response.status).toBe(403);
      } else if (user === outsider && endpoint === 'cases.read') {
        // Outside the jurisdiction subtree: not found, so existence does not leak.
        expect(response.status).toBe(404);
      } else {
        expect(response.status).toBe(200);
        if (user === outsider && endpoint === 'cases.list') expect(response.body.items.map((item: { caseId: string }) => item.caseId)).not.toContain(caseId);
      }
    },
  );

  test('when nobody is logged in, then every endpoint answers 401', async () => {
    for (const read of reads) expect((await request(stack.app).get(read.path())).status).toBe(401);
    expect((await request(stack.app).post('/api/intakes').send(complaintBody('matrix-anon'))).status).toBe(401);
  });

  test.each(users.flatMap((user) => (['complaint', 'hotline', 'patrol'] as const).map((channel) => [user, channel] as const)))(
    'when %s registers a %s intake in 芗城区, then it is allowed only for the channel roles of their own region',
    async (user, channel) => {
      const body = complaintBody(`matrix-intake-${user}-${channel}`, { channel, ...(channel === 'patrol' ? { reporter: undefined } : {}) });
      const response = await request(stack.app).post('/api/intakes').set('Authorization', tokens[user]!).send(body);
      const allowed = canAccess(roleOf(user), 'intake.register') && canRegisterIntake(roleOf(user), channel) && user !== outsider;
      expect(response.status).toBe(allowed ? 201 : 403);
    },
  );

  // Runs against one case; permitted roles may move it along, which is fine: the assertion is
  // only that the role check (endpoint matrix, then the workflow's own actionPermissions) holds.
  test.each(pageActions.flatMap((action) => users.map((user) => [action, user] as const)))(
    'when the case action %s is posted by %s, then the role is refused exactly when the matrix says',
    async (action, user) => {
      const response = await request(stack.app).post(`/api/cases/${caseId}/actions`).set('Authorization', tokens[user]!).send(commands[action]);
      const role = roleOf(user);
      if (!canAccess(role, 'cases.act')) {
        expect(response.status).toBe(403);
      } else if (user === outsider) {
        expect(response.status).toBe(404);
      } else if (!actionPermissions[action].includes(role)) {
        expect(response.status).toBe(403);
        expect(response.body.error).toContain('无权执行此操作');
      } else {
        expect(String(response.body.error ?? '')).not.toContain('无权执行此操作');
      }
    },
  );
});

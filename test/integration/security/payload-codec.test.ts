import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { CaseModel } from '../../../models/case.model';
import { startTestStack, type TestStack } from '../../support/stack';

type JsonPayload = { metadata: Record<string, string>; data: string };

function toJson(payload: temporal.api.common.v1.IPayload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}

describe('personal data in Temporal: payload codec, search attributes and timer summaries', () => {
  let stack: TestStack;
  let officer: string;
  let admin: string;
  // Unique, so that finding them anywhere in the history can only mean this intake leaked.
  const reporterName = `欧阳测试${Date.now() % 100000}`;
  const reporterPhone = `139${String(Date.now()).slice(-8)}`;
  let caseId: string;
  let caseNo: string;
  let history: temporal.api.history.v1.IHistory;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'codec' });
    officer = await stack.login('officer');
    admin = await stack.login('admin');
    const posted = await request(stack.app)
      .post('/api/intakes')
      .set('Authorization', officer)
      .send({
        channel: 'hotline',
        category: 'noise',
        description: '夜间工地施工噪声扰民，持续到凌晨两点',
        location: { address: '漳州市芗城区东铺头街道某工地', regionCode: '350602001', coordinates: { lng: 117.64, lat: 24.52 } },
        reporter: { anonymous: false, name: reporterName, phone: reporterPhone },
        idempotencyKey: `codec-${Date.now()}`,
      });
    expect(posted.status).toBe(201);
    ({ caseId, caseNo } = posted.body);
    // The first timer is started once the registration has been projected.
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const response = await stack.client.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: `case-${caseId}` } });
      history = response.history ?? {};
      if (history.events?.some((event) => event.timerStartedEventAttributes)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(() => stack.stop());

  test('when the history is fetched raw from the server, then neither the complainant name nor the phone is in it in clear text', () => {
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(history.events?.length).toBeGreaterThan(3);
    expect(bytes.includes(Buffer.from(reporterName))).toBe(false);
    expect(bytes.includes(Buffer.from(reporterPhone))).toBe(false);
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(Buffer.from(input?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('k1');
  });

  test('when an admin posts the payloads to /codec/decode, then the complainant comes back in clear text, and encode round-trips', async () => {
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const decoded = await request(stack.app).post('/codec/decode').set('Authorization', admin).send({ payloads: input.map(toJson) });
    expect(decoded.status).toBe(200);
    const text = Buffer.from(decoded.body.payloads[0].data, 'base64').toString();
    expect(JSON.parse(text).intake.reporter).toEqual({ anonymous: false, name: reporterName, phone: reporterPhone });
    expect(Buffer.from(decoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');

    const encoded = await request(stack.app).post('/codec/encode').set('Authorization', admin).send({ payloads: decoded.body.payloads });
    expect(encoded.status).toBe(200);
    expect(Buffer.from(encoded.body.payloads[0].data, 'base64').includes(Buffer.from(reporterName))).toBe(false);
    const again = await request(stack.app).post('/codec/decode').set('Authorization', admin).send(encoded.body);
    expect(again.body.payloads).toEqual(decoded.body.payloads);
  });

  test('when a non-admin or nobody calls the codec, then it answers 403 or 401 and decodes nothing', async () => {
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const asOfficer = await request(stack.app).post('/codec/decode').set('Authorization', officer).send({ payloads: input.map(toJson) });
    expect(asOfficer.status).toBe(403);
    expect(JSON.stringify(asOfficer.body)).not.toContain(reporterName);
    const anonymous = await request(stack.app).post('/codec/decode').send({ payloads: input.map(toJson) });
    expect(anonymous.status).toBe(401);
  });

  test('when the Temporal UI preflights from its origin, then CORS allows it with credentials; another origin gets no CORS grant', async () => {
    const preflight = await request(stack.app)
      .options('/codec/decode')
      .set('Origin', 'http://127.0.0.1:8233')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    const foreign = await request(stack.app).options('/codec/decode').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('when a payload was sealed with a key the server does not hold, then decode answers 400 in Chinese', async () => {
    const forged = { metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': Buffer.from('k9').toString('base64') }, data: Buffer.alloc(40).toString('base64') };
    const response = await request(stack.app).post('/codec/decode').set('Authorization', admin).send({ payloads: [forged] });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('载荷无法解密');
  });

  test('when workflows are listed by CaseNo on the server, then the case is found with its status and region', async () => {
    let found: { workflowId: string; searchAttributes: Record<string, unknown> }[] = [];
    for (let attempt = 0; attempt < 100 && found.length === 0; attempt += 1) {
      found = [];
      // Each test file numbers cases in its own database on the shared server: its task queue tells them apart.
      for await (const execution of stack.client.workflow.list({ query: `CaseNo = '${caseNo}' AND TaskQueue = '${stack.taskQueue}'` })) found.push(execution as never);
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(found.map((execution) => execution.workflowId)).toEqual([`case-${caseId}`]);
    expect(found[0]?.searchAttributes).toMatchObject({ CaseNo: [caseNo], CaseStatus: ['received'], RegionCode: ['350602'] });
  });

  test('when the case waits on its timer, then the timer-started event names the deadline and its date', async () => {
    const timerEvent = history.events?.find((event) => event.timerStartedEventAttributes);
    expect(timerEvent).toBeDefined();
    const summary = timerEvent?.userMetadata?.summary;
    expect(summary).toBeDefined();
    const decoded = await request(stack.app).post('/codec/decode').set('Authorization', admin).send({ payloads: [toJson(summary!)] });
    const text = JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString()) as string;
    const stored = await CaseModel.findById(caseId).lean();
    const labels = (stored?.clocks ?? []).map((clock) => clock.label);
    expect(labels.some((label) => label && text.startsWith(label))).toBe(true);
    expect(text).toMatch(/(到期提醒|到期|督办) \d{4}-\d{2}-\d{2}$/);
  });
});

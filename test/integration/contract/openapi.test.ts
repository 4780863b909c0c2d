import express, { Router } from 'express';
import { aComplaint, caseApi } from '../api/case-api';
import { buildOpenApiDocument } from '../../../api/openapi';
import { contractRequest, contractViolations } from '../../support/openapi-contract';
import { undocumentedApiRoutes } from '../../support/openapi-routes';
import { validateOpenApiDocument } from '../../support/openapi-validator';
import { startTestStack, type TestStack } from '../../support/stack';

jest.setTimeout(180_000);

type Operation = { security?: unknown[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
const document = buildOpenApiDocument() as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

describe('the OpenAPI contract: /api/openapi.json describes every JSON route and what it answers', () => {
  let stack: TestStack;
  let officer: string;
  let supervisor: string;
  let police: string;
  const api = () => contractRequest(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({ name: 'contract' });
    [officer, supervisor, police] = await Promise.all([stack.login('officer'), stack.login('supervisor'), stack.login('police')]);
  });
  afterAll(() => stack.stop());

  test('when the document is served, then it is a valid OpenAPI 3.1 document', async () => {
    const response = await api().get('/api/openapi.json');
    expect(response.status).toBe(200);
    const validation = await validateOpenApiDocument(response.body);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);
  });

  test('when the router is enumerated, then every /api route is in the document', () => {
    const missing = undocumentedApiRoutes(stack.app, document);
    if (missing.length > 0) throw new Error(`routes missing from /api/openapi.json (add them to api/openapi.ts): ${missing.join(', ')}`);
  });

  test('when a route is added without documenting it, then the route check names it', () => {
    const router = Router();
    router.get('/cases/:caseId', (_req, res) => void res.json({}));
    router.post('/widgets/:widgetId/frobnicate', (_req, res) => void res.json({}));
    const app = express();
    app.use('/api', router);
    expect(undocumentedApiRoutes(app, document)).toEqual(['POST /api/widgets/{widgetId}/frobnicate']);
  });

  test('when an operation needs a login, then its 400, 401 and 503 answers carry the {error, code} body, and a write documents 413 and 415', () => {
    const problem = '#/components/schemas/Problem';
    for (const { path, method, operation } of operations.filter((entry) => entry.operation.security)) {
      const expected = ['400', '401', '503', ...(operation.requestBody ? ['413', '415'] : [])];
      for (const status of expected) {
        expect({ operation: `${method.toUpperCase()} ${path}`, status, schema: operation.responses[status]?.content?.['application/json']?.schema?.$ref }).toEqual({
          operation: `${method.toUpperCase()} ${path}`,
          status,
          schema: problem,
        });
      }
    }
  });

  test('when an answer has an undocumented status or a body missing a documented field, then the checker reports it', () => {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    expect(contractViolations('get', '/api/me', { status: 500, headers: json, body: { error: '服务器内部错误', code: 'Internal' } })[0]).toContain('status 500 is not documented for GET /api/me');
    expect(contractViolations('post', '/api/intakes', { status: 201, headers: json, body: { caseId: 'c1', created: true } })).toEqual([
      expect.stringContaining("must have required property 'caseNo'"),
    ]);
    expect(contractViolations('get', '/api/nowhere', { status: 404, headers: json, body: {} })[0]).toContain('not in /api/openapi.json');
    expect(contractViolations('post', '/api/intakes', { status: 201, headers: json, body: { caseId: 'c1', caseNo: 'N1', created: true } })).toEqual([]);
  });

  test('when the referral, document and other routes answer real requests, then each answer matches the document', async () => {
    const outcome = await caseApi(stack).postIntake(officer, aComplaint({ key: 'contract-0001', place: 1 }));
    expect(outcome.status).toBe(201);
    const caseId = outcome.body.caseId as string;

    expect((await api().get('/api/me').set('Authorization', officer)).status).toBe(200);
    expect((await api().get('/api/me')).status).toBe(401);
    expect((await api().get('/api/cases?status=open').set('Authorization', officer)).status).toBe(200);
    expect((await api().get('/api/cases?pageSize=0').set('Authorization', officer)).status).toBe(400);
    expect((await api().get('/api/board').set('Authorization', supervisor)).status).toBe(200);
    expect((await api().get('/api/audit/verify').set('Authorization', supervisor)).status).toBe(200);
    expect((await api().get('/api/tasks?view=mine').set('Authorization', officer)).status).toBe(200);
    expect((await api().get('/api/referrals').set('Authorization', police)).status).toBe(200);
    expect((await api().get('/api/referrals/no-such-referral').set('Authorization', police)).status).toBe(404);
    expect((await api().post('/api/referrals/no-such-referral/actions').set('Authorization', police).send({ action: 'sign' })).status).toBe(404);
    expect((await api().post(`/api/cases/${caseId}/referrals`).set('Authorization', officer).send({ route: 'nowhere' })).status).toBe(400);
    expect((await api().get('/api/cases/no-such-case/documents').set('Authorization', officer)).status).toBe(404);
    expect((await api().get('/api/documents/no-such-document/pdf').set('Authorization', officer)).status).toBe(404);
    expect((await api().post('/api/intakes').set('Authorization', officer).set('Content-Type', 'application/json').send('{"channel":')).status).toBe(400);
    expect((await api().post('/api/auth/logout').set('Cookie', 'envcase_session=x').set('Content-Type', 'text/plain').send('x')).status).toBe(415);

    // Triage issues the 受理告知书 and the 交办单 inside the Update; their listing and PDFs are contract too.
    expect((await caseApi(stack).act(officer, caseId, { action: 'triage', decision: 'accept' })).status).toBe(200);
    const listed = await api().get(`/api/cases/${caseId}/documents`).set('Authorization', officer);
    expect(listed.status).toBe(200);
    const documents = (listed.body.items as { pdfUrl: string | null }[]).filter((item) => item.pdfUrl);
    expect(documents.length).toBeGreaterThan(0);
    const pdf = await api().get(documents[0]!.pdfUrl!).set('Authorization', officer).buffer(true);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });
});

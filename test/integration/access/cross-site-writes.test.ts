import request from 'supertest';
import { CaseModel } from '../../../models/case.model';
import { startTestStack, type TestStack } from '../../support/stack';

// cookie-parser's own signer, so the test forges nothing the server would not issue itself.
const { sign } = require('cookie-signature') as { sign(value: string, secret: string): string };

describe('the JSON API and the session cookie', () => {
  let stack: TestStack;
  let cookie: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'crosssite' });
    const token = (await stack.login('officer')).slice('Bearer '.length);
    cookie = `envcase_session=${encodeURIComponent(`s:${sign(token, 'test-secret-test-secret')}`)}`;
  });
  afterAll(() => stack.stop());

  test('when a request reads with the session cookie, then it is served', async () => {
    const response = await request(stack.app).get('/api/me').set('Cookie', cookie);
    expect(response.status).toBe(200);
    expect(response.body.userId).toBe('officer');
  });

  test('when an HTML form posts to the API riding the session cookie, then it is refused with 415 and nothing is created', async () => {
    const before = await CaseModel.countDocuments();
    const response = await request(stack.app)
      .post('/api/intakes')
      .set('Cookie', cookie)
      .type('form')
      .send({ channel: 'hotline', category: 'water', description: '伪造的跨站表单', idempotencyKey: 'cross-site-0001' });
    expect(response.status).toBe(415);
    expect(response.body.error).toContain('JSON');
    expect(await CaseModel.countDocuments()).toBe(before);
  });

  test('when the same cookie sends a JSON body, then the write reaches validation as usual', async () => {
    const response = await request(stack.app).post('/api/intakes').set('Cookie', cookie).send({ channel: 'hotline' });
    expect(response.status).toBe(400);
  });
});

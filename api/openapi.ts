import { Router } from 'express';
import { z } from 'zod';
import { loginSchema } from './auth';
import { caseCommandSchema, caseListQuerySchema, intakeSchema, taskListQuerySchema } from './cases.schemas';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so
 * the published contract cannot drift from what the server accepts.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const schema = (type: z.ZodType) => z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' });
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const problem = { description: '请求被拒绝', content: { 'application/json': { schema: ref('Problem') } } };
  const json = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
  const queryParameters = (type: z.ZodObject) =>
    Object.keys(type.shape).map((name) => ({ name, in: 'query', required: false, schema: schema(type.shape[name] as z.ZodType) }));
  const secured = [{ bearer: [] }, { cookie: [] }];
  return {
    openapi: '3.1.0',
    info: { title: 'EnvCase API', version: '0.1.0', description: '生态环境执法案件办理：接、转、办、核、验与两法衔接' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'envcase_session' },
      },
      schemas: {
        Login: schema(loginSchema),
        Intake: schema(intakeSchema),
        CaseCommand: schema(caseCommandSchema),
        Problem: {
          type: 'object',
          required: ['error', 'code'],
          properties: { error: { type: 'string', description: '说明错误原因' }, code: { type: 'string' }, details: {} },
        },
      },
    },
    paths: {
      '/health': { get: { summary: '依赖健康检查', responses: { 200: { description: '全部正常' }, 503: { description: '有依赖异常' } } } },
      '/api/auth/login': { post: { summary: '登录', requestBody: json('Login'), responses: { 200: { description: '会话令牌' }, 401: problem, 429: problem } } },
      '/api/auth/logout': { post: { summary: '退出', security: secured, responses: { 204: { description: '已退出' } } } },
      '/api/me': { get: { summary: '当前用户', security: secured, responses: { 200: { description: '用户' }, 401: problem } } },
      '/api/intakes': {
        post: {
          summary: '登记事项（各来源渠道）；同一幂等键只产生一个案件',
          security: secured,
          requestBody: json('Intake'),
          responses: { 201: { description: '新案件或并入的案件' }, 200: { description: '此前已登记' }, 400: problem, 403: problem },
        },
      },
      '/api/cases': { get: { summary: '案件列表（辖区内）', security: secured, parameters: queryParameters(caseListQuerySchema), responses: { 200: { description: '分页列表' }, 400: problem } } },
      '/api/cases/{caseId}': {
        get: {
          summary: '案件详情、时限与时间线',
          security: secured,
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: '案件' }, 404: problem },
        },
      },
      '/api/cases/{caseId}/actions': {
        post: {
          summary: '办理操作（工作流更新）',
          security: secured,
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: json('CaseCommand'),
          responses: { 200: { description: '操作后的案件' }, 400: problem, 403: problem, 404: problem, 409: problem },
        },
      },
      '/api/tasks': { get: { summary: '我的/本单位待办，剩余时间少者在前', security: secured, parameters: queryParameters(taskListQuerySchema), responses: { 200: { description: '分页列表' } } } },
      '/api/board': { get: { summary: '督办看板：按区域统计超期与临期', security: secured, responses: { 200: { description: '看板' }, 403: problem } } },
      '/api/audit/verify': { get: { summary: '校验留痕哈希链', security: secured, responses: { 200: { description: '校验结果' }, 403: problem } } },
      '/api/admin/login-locks': { get: { summary: '因多次登录失败而临时锁定的账户（管理员）', security: secured, responses: { 200: { description: '锁定列表' }, 403: problem } } },
      '/api/admin/login-locks/{account}': {
        delete: {
          summary: '解除账户的登录锁定（管理员，留痕）',
          security: secured,
          parameters: [{ name: 'account', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 204: { description: '已解除' }, 403: problem, 404: problem },
        },
      },
    },
  };
}

export function openApiRoutes(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}

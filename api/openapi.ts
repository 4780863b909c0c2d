import { Router } from 'express';
import { z } from 'zod';
import { categories, channels } from '../domain/case';
import { referralRoutes } from '../domain/referral';
import { loginSchema } from './auth';
import { caseCommandSchema, caseListQuerySchema, intakeSchema, taskListQuerySchema } from './cases.schemas';
import { referralCommandSchema, referralListQuerySchema, referralProposalSchema } from './referrals.schemas';

/*
 * Response bodies. Requests are validated by the zod schemas the routes parse with; responses are
 * described here, as loose objects with the fields clients rely on required, so that a server
 * adding a field does not break the contract but one dropping or retyping a field does.
 */
const isoInstant = z.string().describe('ISO 8601 时刻');
const pageOf = (item: z.ZodType) => z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

const problemSchema = z.object({
  error: z.string().describe('说明错误原因（中文）'),
  code: z.string().describe('机器可读的错误代码'),
  details: z.unknown().optional(),
});
const userSchema = z.looseObject({ userId: z.string(), name: z.string(), role: z.string(), regionCode: z.string(), unitId: z.string().optional() });
const sessionSchema = z.object({ token: z.string(), expiresAt: isoInstant, user: userSchema });
const caseRefSchema = z.object({ caseId: z.string(), caseNo: z.string() });
const intakeOutcomeSchema = z.looseObject({ caseId: z.string(), caseNo: z.string(), mergedInto: caseRefSchema.optional(), created: z.boolean() });
const caseSummarySchema = z.looseObject({
  caseId: z.string(),
  caseNo: z.string(),
  status: z.string(),
  channel: z.enum(channels),
  category: z.enum(categories),
  description: z.string(),
  address: z.string().nullable().optional(),
  regionCode: z.string(),
  nextDueAt: isoInstant.optional(),
  overdue: z.boolean(),
  escalationLevel: z.number().int(),
  receivedAt: isoInstant,
});
const caseDetailSchema = z.looseObject({
  caseId: z.string(),
  caseNo: z.string(),
  status: z.string(),
  revision: z.number().int(),
  escalationLevel: z.number().int(),
  clocks: z.record(z.string(), z.looseObject({ id: z.string(), dueAt: isoInstant, status: z.string() })),
  tasks: z.array(z.looseObject({ taskId: z.string(), kind: z.string(), role: z.string(), status: z.string() })),
  reporterWithheld: z.boolean(),
});
const timelineEntrySchema = z.looseObject({
  seq: z.number().int(),
  at: isoInstant,
  type: z.string(),
  summary: z.string(),
  actor: z.looseObject({ userId: z.string(), name: z.string(), role: z.string() }).optional(),
});
const caseWithTimelineSchema = z.object({ detail: caseDetailSchema, timeline: z.array(timelineEntrySchema) });
const taskItemSchema = z.looseObject({
  taskId: z.string(),
  caseId: z.string(),
  caseNo: z.string(),
  kind: z.string(),
  title: z.string(),
  role: z.string(),
  regionCode: z.string(),
  dueAt: isoInstant.optional(),
  escalationLevel: z.number().int(),
});
const boardSchema = z.object({
  rows: z.array(z.object({ regionCode: z.string(), overdue: z.number().int(), dueSoon: z.number().int(), open: z.number().int() })),
  overdueCases: z.array(caseSummarySchema).describe('超期最久的案件，至多 20 件（描述截至 80 字）'),
  overdueTotal: z.number().int().describe('超期案件总数'),
});
const auditVerificationSchema = z.looseObject({
  ok: z.boolean().describe('整条留痕链是否完好'),
  checked: z.number().int().optional(),
  firstBreak: z.looseObject({ serial: z.number().int(), entryId: z.string().optional(), reason: z.string() }).optional(),
});
const referralCreatedSchema = z.object({ referralId: z.string(), workflowId: z.string(), route: z.enum(referralRoutes) });
const referralListItemSchema = z.looseObject({
  referralId: z.string(),
  caseId: z.string(),
  caseNo: z.string(),
  route: z.enum(referralRoutes),
  status: z.string(),
  box: z.string().optional(),
  policeUnitId: z.string().optional(),
  policeDueAt: isoInstant.optional(),
  policeOverdue: z.boolean(),
  escalationLevel: z.number().int(),
});
const referralSchema = z.looseObject({
  referralId: z.string(),
  sequence: z.number().int(),
  route: z.enum(referralRoutes),
  status: z.string(),
  case: z.looseObject({ caseId: z.string() }),
  policeUnitId: z.string(),
  revision: z.number().int(),
});
const documentListSchema = z.object({
  items: z.array(
    z.looseObject({
      documentId: z.string(),
      docNo: z.string(),
      kind: z.string(),
      title: z.string(),
      issuedAt: z.unknown(),
      sha256: z.string().nullable(),
      status: z.string(),
      pdfUrl: z.string().nullable(),
    }),
  ),
});
const healthSchema = z.looseObject({ status: z.string(), checks: z.record(z.string(), z.looseObject({ ok: z.boolean(), detail: z.string().optional() })) });

/** Error statuses: each answers the {error, code} body. */
type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;
const errorDescriptions: Record<ErrorStatus, string> = {
  400: '请求参数、请求体或编号格式有误',
  401: '未登录或会话已过期',
  403: '角色或辖区无权执行此操作',
  404: '对象不存在或不在您的辖区内',
  409: '当前状态下不能执行此操作',
  413: '请求体过大',
  415: '请求体类型或编码不受支持',
  422: '日期超出日历范围',
  429: '请求过于频繁',
  503: '依赖服务暂不可用，请稍后重试',
};

/** Every route that sends JSON to a signed-in user may also meet these. */
const signedInErrors: ErrorStatus[] = [400, 401, 503];
/** A JSON write may also be too large or of the wrong type. */
const writeErrors: ErrorStatus[] = [413, 415];

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so
 * the published contract cannot drift from what the server accepts. Every JSON route under /api
 * is here (test/integration/contract enumerates the router and fails on one that is missing),
 * with its error answers.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const toSchema = (type: z.ZodType, io: 'input' | 'output') => {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Record<string, unknown>;
    return schema;
  };
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
  const ok = (description: string, name: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
  const errors = (...statuses: ErrorStatus[]) =>
    Object.fromEntries(
      [...new Set(statuses)].sort().map((status) => [status, { description: errorDescriptions[status], content: { 'application/json': { schema: ref('Problem') } } }]),
    );
  const queryParameters = (type: z.ZodObject) =>
    Object.keys(type.shape).map((name) => ({ name, in: 'query', required: false, schema: toSchema(type.shape[name] as z.ZodType, 'input') }));
  const pathId = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
  const caseId = pathId('caseId', '案件编号（系统内部 ID）');
  const referralId = pathId('referralId', '移送编号');
  const secured = [{ bearer: [] }, { cookie: [] }];

  const requestSchemas = {
    Login: loginSchema,
    Intake: intakeSchema,
    CaseCommand: caseCommandSchema,
    ReferralProposal: referralProposalSchema,
    ReferralCommand: referralCommandSchema,
  };
  const responseSchemas = {
    Problem: problemSchema,
    Session: sessionSchema,
    User: userSchema,
    IntakeOutcome: intakeOutcomeSchema,
    CasePage: pageOf(caseSummarySchema),
    CaseWithTimeline: caseWithTimelineSchema,
    CaseDetail: caseDetailSchema,
    TaskPage: pageOf(taskItemSchema),
    Board: boardSchema,
    AuditVerification: auditVerificationSchema,
    ReferralCreated: referralCreatedSchema,
    ReferralPage: pageOf(referralListItemSchema),
    Referral: referralSchema,
    DocumentList: documentListSchema,
    Health: healthSchema,
  };

  return {
    openapi: '3.1.0',
    info: { title: 'EnvCase API', version: '0.1.0', description: '生态环境执法案件办理：接、转、办、核、验与两法衔接' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'envcase_session' },
      },
      schemas: {
        ...Object.fromEntries(Object.entries(requestSchemas).map(([name, type]) => [name, toSchema(type, 'input')])),
        ...Object.fromEntries(Object.entries(responseSchemas).map(([name, type]) => [name, toSchema(type, 'output')])),
      },
    },
    paths: {
      '/health': {
        get: { summary: '依赖健康检查', responses: { 200: ok('全部正常', 'Health'), 503: ok('有依赖异常', 'Health') } },
      },
      '/api/openapi.json': {
        get: { summary: '本接口文档（OpenAPI 3.1）', responses: { 200: { description: 'OpenAPI 文档', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      '/api/auth/login': {
        post: { summary: '登录', requestBody: json('Login'), responses: { 200: ok('会话令牌', 'Session'), ...errors(400, 401, 413, 415, 429, 503) } },
      },
      '/api/auth/logout': {
        post: { summary: '退出', security: secured, responses: { 204: { description: '已退出' }, ...errors(...signedInErrors, ...writeErrors) } },
      },
      '/api/me': { get: { summary: '当前用户', security: secured, responses: { 200: ok('用户', 'User'), ...errors(...signedInErrors) } } },
      '/api/intakes': {
        post: {
          summary: '登记事项（各来源渠道）；同一幂等键只产生一个案件',
          security: secured,
          requestBody: json('Intake'),
          responses: {
            201: ok('新案件或并入的案件', 'IntakeOutcome'),
            200: ok('此前已登记', 'IntakeOutcome'),
            ...errors(...signedInErrors, ...writeErrors, 403, 409, 422),
          },
        },
      },
      '/api/cases': {
        get: {
          summary: '案件列表（辖区内）',
          security: secured,
          parameters: queryParameters(caseListQuerySchema),
          responses: { 200: ok('分页列表', 'CasePage'), ...errors(...signedInErrors, 403) },
        },
      },
      '/api/cases/{caseId}': {
        get: {
          summary: '案件详情、时限与时间线',
          security: secured,
          parameters: [caseId],
          responses: { 200: ok('案件', 'CaseWithTimeline'), ...errors(...signedInErrors, 403, 404) },
        },
      },
      '/api/cases/{caseId}/actions': {
        post: {
          summary: '办理操作（工作流更新）',
          security: secured,
          parameters: [caseId],
          requestBody: json('CaseCommand'),
          responses: { 200: ok('操作后的案件', 'CaseDetail'), ...errors(...signedInErrors, ...writeErrors, 403, 404, 409, 422) },
        },
      },
      '/api/cases/{caseId}/referrals': {
        post: {
          summary: '提出移送公安（两法衔接 / 行政拘留）',
          security: secured,
          parameters: [caseId],
          requestBody: json('ReferralProposal'),
          responses: { 201: ok('已提出的移送', 'ReferralCreated'), ...errors(...signedInErrors, ...writeErrors, 403, 404, 409, 422) },
        },
      },
      '/api/cases/{caseId}/documents': {
        get: {
          summary: '案件的文书（不含无权查看的举报人文书）',
          security: secured,
          parameters: [caseId],
          responses: { 200: ok('文书列表', 'DocumentList'), ...errors(...signedInErrors, 404) },
        },
      },
      '/api/documents/{documentId}/pdf': {
        get: {
          summary: '文书 PDF（ETag 为其 SHA-256）',
          security: secured,
          parameters: [pathId('documentId', '文书编号'), { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
          responses: {
            200: { description: 'PDF 文件', content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } } },
            304: { description: '未改变' },
            ...errors(...signedInErrors, 403, 404),
          },
        },
      },
      '/api/referrals': {
        get: {
          summary: '移送列表（公安联络员仅见本单位）',
          security: secured,
          parameters: queryParameters(referralListQuerySchema),
          responses: { 200: ok('分页列表', 'ReferralPage'), ...errors(...signedInErrors) },
        },
      },
      '/api/referrals/{referralId}': {
        get: {
          summary: '一件移送及其材料、时限',
          security: secured,
          parameters: [referralId],
          responses: { 200: ok('移送', 'Referral'), ...errors(...signedInErrors, 404) },
        },
      },
      '/api/referrals/{referralId}/actions': {
        post: {
          summary: '移送办理操作（双方，工作流更新）',
          security: secured,
          parameters: [referralId],
          requestBody: json('ReferralCommand'),
          responses: { 200: ok('操作后的移送', 'Referral'), ...errors(...signedInErrors, ...writeErrors, 403, 404, 409, 422) },
        },
      },
      '/api/tasks': {
        get: {
          summary: '我的/本单位待办，剩余时间少者在前',
          security: secured,
          parameters: queryParameters(taskListQuerySchema),
          responses: { 200: ok('分页列表', 'TaskPage'), ...errors(...signedInErrors, 403) },
        },
      },
      '/api/board': {
        get: { summary: '督办看板：按区域统计超期与临期', security: secured, responses: { 200: ok('看板', 'Board'), ...errors(...signedInErrors, 403) } },
      },
      '/api/audit/verify': {
        get: { summary: '校验留痕哈希链', security: secured, responses: { 200: ok('校验结果', 'AuditVerification'), ...errors(...signedInErrors, 403) } },
      },
      '/api/admin/login-locks': {
        get: { summary: '因多次登录失败而临时锁定的账户（管理员）', security: secured, responses: { 200: { description: '锁定列表' }, ...errors(...signedInErrors, 403) } },
      },
      '/api/admin/login-locks/{account}': {
        delete: {
          summary: '解除账户的登录锁定（管理员，留痕）',
          security: secured,
          parameters: [{ name: 'account', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 204: { description: '已解除' }, ...errors(...signedInErrors, 403, 404) },
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

import { caseCommandSchema, intakeSchema } from '../../../api/cases.schemas';
import { referralCommandSchema, referralProposalSchema } from '../../../api/referrals.schemas';
import { toProblem } from '../../../api/http-errors';
import { formErrors } from '../../../api/pages/forms';

const intake = {
  channel: 'hotline',
  category: 'water',
  description: '排污口夜间排放黄色污水',
  location: { address: '芗城区东铺头街道九龙江边1号', regionCode: '350602001', coordinates: { lng: 117.61, lat: 24.51 } },
  idempotencyKey: 'unit-validation-0001',
};

function problemOf(schema: { parse: (input: unknown) => unknown }, input: unknown) {
  try {
    schema.parse(input);
  } catch (error) {
    return toProblem(error);
  }
  throw new Error('expected the input to be refused');
}

describe('unknown fields', () => {
  it.each([
    ['the intake', intakeSchema, { ...intake, priority: 'urgent' }, 'priority'],
    ['the intake location', intakeSchema, { ...intake, location: { ...intake.location, floor: 3 } }, 'floor'],
    ['the intake reporter', intakeSchema, { ...intake, reporter: { anonymous: false, name: '李', idCard: 'x' } }, 'idCard'],
    ['a case command', caseCommandSchema, { action: 'escalate', reason: '逾期未整改', level: 4 }, 'level'],
    ['a triage command', caseCommandSchema, { action: 'triage', decision: 'accept', assignee: 'u1' }, 'assignee'],
    ['a referral proposal', referralProposalSchema, { route: 'criminal', suspectedOffence: '污染环境罪', facts: '偷排', urgent: true }, 'urgent'],
    ['a referral command', referralCommandSchema, { action: 'sign', note: '已签收', signedBy: 'x' }, 'signedBy'],
  ])('when %s carries a field it does not know, then it is refused with 400 naming the field', (_what, schema, input, key) => {
    const { status, body } = problemOf(schema, input);
    expect(status).toBe(400);
    expect(body.error).toContain(`不接受的字段：${key}`);
    expect(body.details).toEqual(expect.arrayContaining([expect.objectContaining({ keys: [key] })]));
  });
});

describe('validation messages are Chinese, naming the field by its label', () => {
  it('when the longitude is out of range, then the message names 经度 and the range, in Chinese only', () => {
    const { body } = problemOf(intakeSchema, { ...intake, location: { ...intake.location, coordinates: { lng: 200, lat: 24.5 } } });
    expect(body.error).toBe('请求参数有误：经度：应在 73 至 136 之间（中国境内）');
  });

  it('when the credit code has a wrong check character, then the message is Chinese only', () => {
    const { body } = problemOf(intakeSchema, { ...intake, subject: { name: '某公司', creditCode: '91350100M000100Y44' } });
    expect(body.error).toBe('请求参数有误：统一社会信用代码：校验码错误：第18位应为“3”，实为“4”');
  });

  it.each([
    ['a missing description', { ...intake, description: undefined }, '问题描述：必填'],
    ['an empty address', { ...intake, location: { ...intake.location, address: ' ' } }, '地址：不能为空'],
    ['an unknown category', { ...intake, category: 'smell' }, '问题类别：'],
    ['a receipt time without zone', { ...intake, receivedAt: '2026-12-01 09:00' }, '受理时间：时间格式应为'],
    ['too many attachments', { ...intake, attachments: Array.from({ length: 21 }, (_, i) => ({ name: `${i}.jpg`, contentType: 'image/jpeg', fileId: `f${i}`, sha256: 'a'.repeat(64) })) }, '附件：最多 20 项'],
  ])('when the intake has %s, then the message says so in Chinese', (_what, input, expected) => {
    const { status, body } = problemOf(intakeSchema, input);
    expect(status).toBe(400);
    expect(body.error).toContain(expected);
    expect(body.error).not.toMatch(/[a-z]{3,}/);
  });

  it('when an extension asks for 200 days, then the message names 延期天数 and the limit', () => {
    const { body } = problemOf(caseCommandSchema, { action: 'requestExtension', clockId: 'rectification', amount: 200, unit: 'ND', reason: '需要监测' });
    expect(body.error).toBe('请求参数有误：延期天数：不能大于 90');
  });

  it('when a command names an unknown action, then the message says the action is unknown', () => {
    const { body } = problemOf(caseCommandSchema, { action: 'deleteCase' });
    expect(body.error).toContain('操作：未知的操作或类型');
  });

  it('when a page form fails, then each sentence starts with the field label', () => {
    const result = intakeSchema.safeParse({ ...intake, location: { ...intake.location, coordinates: { lng: 117.6, lat: 99 } } });
    expect(result.success).toBe(false);
    if (!result.success) expect(formErrors(result.error)).toEqual(['纬度：应在 3 至 54 之间（中国境内）']);
  });

  it('when 经度 on a page form is not a number, then the message says so instead of 必填', () => {
    const result = intakeSchema.safeParse({ ...intake, location: { ...intake.location, coordinates: { lng: Number('abc'), lat: 24.5 } } });
    expect(result.success).toBe(false);
    if (!result.success) expect(formErrors(result.error)).toEqual(['经度：应填写数字']);
  });
});

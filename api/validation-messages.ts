import { z, type ZodError } from 'zod';
import { fieldLabels } from './pages/present';

/**
 * Validation messages in Chinese for every schema of the API and the pages. zod's zh-CN locale
 * is the fallback; the common cases get plainer sentences here, because the locale still names
 * types and origins in English ("数值过大：期望 number <=136").
 */
z.config(z.locales.zhCN());
z.config({
  customError: (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined ? '必填' : `类型不正确，应为${typeNames[issue.expected] ?? issue.expected}`;
      case 'too_big':
        if (issue.origin === 'string') return `不超过 ${issue.maximum} 字`;
        if (issue.origin === 'array') return `最多 ${issue.maximum} 项`;
        if (issue.origin === 'number') return issue.inclusive ? `不能大于 ${issue.maximum}` : `应小于 ${issue.maximum}`;
        return undefined;
      case 'too_small':
        if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${issue.minimum} 个字符`;
        if (issue.origin === 'array') return `至少 ${issue.minimum} 项`;
        if (issue.origin === 'number') return issue.inclusive ? `不能小于 ${issue.minimum}` : `应大于 ${issue.minimum}`;
        return undefined;
      case 'invalid_value':
        return issue.input === undefined ? '必填' : '不是可选的值，请从选项中选择';
      case 'invalid_union':
        return issue.note === 'No matching discriminator' ? '未知的操作或类型' : '格式不正确';
      case 'unrecognized_keys':
        return `不接受的字段：${issue.keys.join('、')}`;
      case 'invalid_format':
        if (issue.format === 'datetime') return '时间格式应为带时区的 ISO 8601，如 2026-12-01T09:00:00+08:00';
        return '格式不正确';
      default:
        return undefined;
    }
  },
});

const typeNames: Record<string, string> = { string: '文字', number: '数字', boolean: '是/否', object: '对象', array: '列表', int: '整数' };

/** Labels of fields that appear only in the JSON API (the forms' labels come from the pages). */
const apiFieldLabels: Record<string, string> = {
  action: '操作',
  receivedAt: '受理时间',
  lateEntryReason: '补录原因',
  attachments: '附件',
  'attachments.name': '附件名称',
  'attachments.contentType': '附件类型',
  'attachments.fileId': '附件文件',
  'attachments.sha256': '附件校验值',
  location: '问题地点',
  'location.coordinates': '坐标',
  subject: '被反映单位',
  reporter: '举报人',
  'reporter.anonymous': '是否匿名',
  evidenceFileIds: '证据文件',
  page: '页码',
  pageSize: '每页条数',
  status: '状态',
  overdue: '是否超期',
  region: '区域',
  dueBefore: '截止日期',
  view: '范围',
  box: '分类',
  route: '移送类型',
  suspectedOffence: '涉嫌罪名或违法情形',
  facts: '涉嫌犯罪（违法）事实',
  evidence: '证据清单',
  package: '移送材料清单',
  'package.name': '材料名称',
  'package.provided': '是否提供',
  'package.copies': '份数',
  'package.pages': '页数',
  'package.note': '材料备注',
  party: '当事人',
  'party.name': '当事人名称',
  'party.creditCode': '统一社会信用代码',
  'party.address': '当事人地址',
  'party.legalRepresentative': '法定代表人',
  responsiblePersons: '责任人',
  'responsiblePersons.name': '责任人姓名',
  'responsiblePersons.role': '责任人职务',
  contact: '联系人',
  'contact.name': '联系人',
  'contact.phone': '联系电话',
  policeUnitId: '公安机关',
  items: '材料',
  reasons: '理由',
  period: '延长期限',
  approvalRef: '批准文号或审批记录',
  noticeNo: '通知书（决定书）文号',
  procuratorate: '检察机关',
};

/** The Chinese label of a field path; array positions fold into their field. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const key = path.filter((part) => typeof part === 'string').join('.');
  if (key === '') return '请求';
  return apiFieldLabels[key] ?? fieldLabels[key] ?? key;
}

export interface IssueDetail {
  path: string;
  label: string;
  message: string;
  /** Set for unknown fields: their names, so a sender can see what it sent too much. */
  keys?: string[];
}

/** Zod issues as details naming each field by its Chinese label. */
export function issueDetails(error: ZodError): IssueDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    label: fieldLabel(issue.path),
    message: issue.message,
    ...(issue.code === 'unrecognized_keys' ? { keys: issue.keys } : {}),
  }));
}

import { escalationName, occasionLabel, regionOptions, taskTitle } from '../../../api/pages/present';
import { missingFieldsReason } from '../../../domain/document-readiness';
import { withReadableFailureReason } from '../../../api/case-queries';
import { createViewEngine } from '../../../api/pages/view-engine';

describe('pages show names, not codes', () => {
  it('offers regions by name only, indented by level', () => {
    const options = regionOptions('350602', '350602001');
    expect(options.map((option) => option.label)).toEqual(['芗城区', '　东铺头街道', '　西桥街道']);
    expect(options.find((option) => option.selected)?.code).toBe('350602001');
  });

  it('names a 督办 level instead of numbering it; a referral tops out at the joint level', () => {
    expect(escalationName(2)).toBe('县级督办');
    expect(escalationName(3)).toBe('市级督办');
    expect(escalationName(4)).toBe('省级挂牌督办');
    expect(escalationName(4, true)).toBe('联合挂牌督办');
    expect(escalationName(0)).toBe('');
  });

  it('renders the board and a case heading without region codes or level numbers', () => {
    const views = createViewEngine();
    const board = views.render('board', {
      title: '督办看板',
      rows: [{ regionCode: '350602', regionName: '芗城区', open: 3, overdue: 1, dueSoon: 0 }],
      approvals: [],
      overdueCases: [{ caseId: 'c1', caseNo: '350602-2026-00001', statusLabel: '整改中', regionName: '芗城区', escalationLevel: 3, left: { text: '已超期 1 天', urgency: 'overdue' } }],
      dueSoonCases: [],
    });
    expect(board).toContain('芗城区');
    expect(board).not.toMatch(/（350602）|\(350602\)/u);
    expect(board).toContain('市级督办');
    expect(board).not.toMatch(/>3级</u);
    const casePage = views.render('case', { title: '案件', detail: { caseId: 'c1', caseNo: '350602-2026-00001', status: 'rectifying', escalationLevel: 2 }, statusLabel: '整改中' });
    expect(casePage).toContain('县级督办');
    expect(casePage).not.toContain('督办2级');
  });

  it('shows a failed document’s occasion and reason in words, not round-1 or party.name', () => {
    expect(occasionLabel('round-1')).toBe('第1轮');
    expect(occasionLabel('level-3')).toBe('市级督办');
    expect(taskTitle('重新生成文书：责令改正违法行为决定书（round-1）')).toBe('重新生成文书：责令改正违法行为决定书（第1轮）');
    expect(taskTitle('重新生成文书：结案审批表（closure-1-12）')).toBe('重新生成文书：结案审批表（办结）');
    expect(taskTitle('县级督办：整改不力（群众反复投诉）')).toBe('县级督办：整改不力（群众反复投诉）');
    expect(missingFieldsReason(['party.name', 'legalBasis'])).toBe('缺少必填内容：当事人名称、法律依据');
    const html = createViewEngine().render('case', {
      title: '案件',
      detail: { caseId: 'c1', caseNo: '350602-2026-00003', status: 'rectifying' },
      actions: [{ action: 'reissueDocument', label: '重新生成文书', partial: 'action-reissueDocument', failedDocuments: [{ kind: 'correction_order', occasion: 'round-1', title: '责令改正违法行为决定书', occasionLabel: '第1轮' }] }],
    });
    expect(html).toContain('责令改正违法行为决定书<span class="muted">（第1轮）</span>未能生成');
    expect(html).not.toContain('round-1）');
  });
});


describe('the admin audit page', () => {
  const render = (anchoring: Record<string, unknown>) => createViewEngine().render('audit', { title: '留痕校验', result: { ok: true, checked: 55 }, breaks: [], anchoring });

  it('does not claim agreement with anchors while there are none yet', () => {
    const html = render({ available: true, workflowId: 'audit-anchor/envcase-cases', lastCheckedLabel: '2026-12-01 16:09', signedHeads: [] });
    expect(html).toContain('已校验 55 条记录，尚无锚点可比对。');
    expect(html).not.toContain('与锚点一致');
    const anchored = render({ available: true, lastAnchor: { serial: 50, atLabel: '2026-12-01 16:10', hash: 'ab' }, signedHeads: [] });
    expect(anchored).toContain('已校验 55 条记录，与锚点一致。');
  });
});

describe('task lines and older failure reasons', () => {
  it('does not repeat the task kind the page already prints before the title', () => {
    expect(taskTitle('重新生成文书：责令改正违法行为决定书（round-1）', '重新生成文书')).toBe('责令改正违法行为决定书（第1轮）');
    expect(taskTitle('立案审查并记录立案决定', '行政处罚')).toBe('立案审查并记录立案决定');
  });

  it('words a failure reason recorded with field paths', () => {
    expect(withReadableFailureReason('文书未能生成：责令改正违法行为决定书（文书 correction_order 缺少字段：party.name, legalBasis），请补正后重新生成')).toBe(
      '文书未能生成：责令改正违法行为决定书（缺少必填内容：当事人名称、法律依据），请补正后重新生成',
    );
  });
});

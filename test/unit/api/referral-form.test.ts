import { proposalFromForm } from '../../../api/pages/referral-pages';
import { createViewEngine } from '../../../api/pages/view-engine';

describe('the 移送公安 form on the case page', () => {
  it('carries 直接责任人员 (one a line, 姓名，职务), which a 行政拘留 referral letter requires', () => {
    const proposal = proposalFromForm({ route: 'detention', suspectedOffence: '暗管排污', facts: '经暗管排放', responsiblePersons: '苏某某，生产部经理\r\n李某, 车间主任\n\n王某' });
    expect(proposal.responsiblePersons).toEqual([
      { name: '苏某某', role: '生产部经理' },
      { name: '李某', role: '车间主任' },
      { name: '王某', role: '' },
    ]);
    expect(proposalFromForm({ route: 'criminal', suspectedOffence: 'x', facts: 'y' })).not.toHaveProperty('responsiblePersons');
  });

  it('has a field for them', () => {
    const html = createViewEngine().render('case', {
      title: '案件',
      detail: { caseId: 'c1', caseNo: '350602-2026-00001', status: 'investigating' },
      referralPanel: { referrals: [], propose: { routes: [{ route: 'detention', label: '行政拘留案件移送', selected: true, items: [] }], policeUnits: [], values: { responsiblePersons: '苏某某，生产部经理' } } },
    });
    expect(html).toMatch(/<textarea id="rp-persons" name="responsiblePersons"[^>]*>苏某某，生产部经理<\/textarea>/u);
  });
});

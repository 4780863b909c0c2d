import { TemplateEngine } from '../../../activities/documents/template-engine';
import type { IntakeInput } from '../../../domain/case';
import type { CaseCommand } from '../../../domain/case-commands';
import { defaultCasePolicy, type CaseContext } from '../../../domain/case-clocks';
import { buildCaseDocumentFields, buildReferralDocumentFields, issuingAuthority, missingDocumentFields } from '../../../domain/case-document-fields';
import { perform, registerCase, type CaseEffect } from '../../../domain/case-machine';
import type { CaseState } from '../../../domain/case-state';
import { chinaCalendarData } from '../../../domain/calendar';
import { addPeriod, shanghaiDate } from '../../../domain/periods';
import { findMissingFields, formatDocumentNumber, kindCodeOf, type DocumentKind } from '../../../domain/documents';
import type { Actor } from '../../../domain/roles';

// Cases are driven through the real state machine, so each document is built from the state
// and step facts the workflow would hand to the activity.
const context: CaseContext = { calendar: chinaCalendarData, policy: defaultCasePolicy };
const t0 = '2026-09-28T01:00:00.000Z'; // Monday 09:00 Shanghai
const at = (hours: number): string => new Date(Date.parse(t0) + hours * 3_600_000).toISOString();

const officer: Actor = { userId: 'u-officer', name: '王执法', role: 'officer', regionCode: '350602' };
const supervisor: Actor = { userId: 'u-super', name: '张科长', role: 'supervisor', regionCode: '350602' };
const locality: Actor = { userId: 'u-local', name: '陈经办', role: 'locality_handler', regionCode: '350602001' };
const grid: Actor = { userId: 'u-grid', name: '林网格', role: 'grid_member', regionCode: '350602001' };

const reporterName = '黄丽华';
const reporterPhone = '13912345678';
const complainantKinds: DocumentKind[] = ['acceptance_notice', 'rejection_notice', 'complainant_answer'];

function intake(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    channel: 'hotline',
    category: 'water',
    description: '工业园区排污口夜间排放黄色污水，河面有泡沫',
    location: { address: '漳州市芗城区东铺头街道九龙江边', regionCode: '350602001' },
    subject: { name: '漳州某化工有限公司', creditCode: '91350100M000100Y43' },
    reporter: { anonymous: false, name: reporterName, phone: reporterPhone },
    attachments: [],
    idempotencyKey: 'k',
    receivedAt: t0,
    ...overrides,
  };
}

interface Issued {
  kind: DocumentKind;
  occasion: string;
  fields: Record<string, unknown>;
}

/** Plays the workflow: performs each step, builds every document it issues and records it. */
class CaseRun {
  readonly state: CaseState;
  readonly issued: Issued[] = [];
  private hour = 1;
  private serial = 0;

  constructor(overrides: Partial<IntakeInput> = {}) {
    this.state = registerCase(
      { caseId: 'c1', caseNo: '350602-2026-00001', intake: intake(overrides), countyCode: '350602', cityCode: '350600', agencyCode: '漳环芗', agencyName: '漳州市芗城区生态环境局' },
      t0,
      context,
    );
  }

  do(actor: Actor, command: CaseCommand): Issued[] {
    const now = at(this.hour);
    this.hour += 1;
    const effects = perform(this.state, command, actor, now, context);
    return effects.filter((effect): effect is Extract<CaseEffect, { type: 'issueDocument' }> => effect.type === 'issueDocument').map((effect) => {
      const { unprojectedEvents: _events, ...view } = this.state;
      const issuedAt = new Date(Date.parse(now) + 1000).toISOString();
      const fields = buildCaseDocumentFields(view, effect.kind, effect.fields, issuedAt);
      this.serial += 1;
      const docNo = formatDocumentNumber({ agencyCode: '漳环芗', kindCode: kindCodeOf(effect.kind), year: 2026, serial: this.serial });
      this.state.documents.push({ kind: effect.kind, occasion: effect.occasion, docNo, documentId: `d${this.serial}`, issuedAt });
      const issued = { kind: effect.kind, occasion: effect.occasion, fields };
      this.issued.push(issued);
      return issued;
    });
  }

  one(kind: DocumentKind): Issued {
    const found = this.issued.filter((doc) => doc.kind === kind);
    expect(found).toHaveLength(1);
    return found[0]!;
  }
}

const violation: CaseCommand = {
  action: 'recordInvestigation',
  outcome: 'violation',
  findings: '2026年9月28日现场检查发现，该公司污水处理设施停运，废水经雨水排口外排。',
  requirement: '立即停止通过雨水排口排放废水；修复污水处理设施，确保稳定达标排放',
  rectificationDueDate: '2026-10-30',
  violatedProvisions: '《中华人民共和国水污染防治法》第十条',
  legalBasis: '《中华人民共和国水污染防治法》第八十三条',
};

/** A hotline complaint through every step that issues a document, one failed check included. */
function fullComplaintRun(): CaseRun {
  const run = new CaseRun();
  run.do(officer, { action: 'triage', decision: 'accept' });
  run.do(officer, { action: 'acknowledge' });
  run.do(officer, violation);
  run.do(locality, { action: 'reportRectification', report: '已封堵排口' });
  run.do(officer, { action: 'verify', passed: false, findings: '雨水排口仍有废水渗出。', newDueDate: '2026-11-20' });
  run.do(supervisor, { action: 'escalate', reason: '整改不力，群众反复投诉' });
  run.do(locality, { action: 'reportRectification', report: '已更换管道' });
  run.do(officer, { action: 'verify', passed: true, findings: '排口已封堵，设施运行正常。' });
  run.do(supervisor, { action: 'decideClosure', approve: true, answer: '我局已责令该公司整改，经复查已整改到位。', note: '同意结案' });
  return run;
}

describe('buildCaseDocumentFields: every document the case workflow issues is complete', () => {
  const run = fullComplaintRun();
  const rejected = new CaseRun();
  rejected.do(officer, { action: 'triage', decision: 'reject', reason: '反映事项属于相邻关系民事纠纷，不属于生态环境部门职责。' });
  const all = [...run.issued, ...rejected.issued];
  const engine = new TemplateEngine();

  it('issues each kind of the case workflow at least once', () => {
    expect(new Set(all.map((doc) => doc.kind))).toEqual(
      new Set(['transfer_to_locality', 'acceptance_notice', 'correction_order', 'verification_result', 'supervision_notice', 'closure_approval', 'complainant_answer', 'rejection_notice']),
    );
  });

  it.each(all.map((doc) => [`${doc.kind} (${doc.occasion})`, doc] as const))('%s has every required field', (_name, doc) => {
    expect(findMissingFields(doc.kind, doc.fields)).toEqual([]);
  });

  it.each(all.map((doc) => [`${doc.kind} (${doc.occasion})`, doc] as const))('%s renders with its template', (_name, doc) => {
    const { html } = engine.render(doc.kind, { docNo: '漳环芗〔2026〕1号', caseNo: '350602-2026-00001', agencyName: '漳州市芗城区生态环境局', issuedAt: at(2) }, doc.fields);
    expect(html).toContain('漳环芗〔2026〕1号');
    expect(html).not.toContain('undefined');
    expect(html).not.toContain('<p class="addressee">：');
    expect(html).not.toContain('未填写');
  });

  it('the transfer names the assigned unit, the complaint source, date and summary, and a deadline from the case clocks', () => {
    const { fields } = run.one('transfer_to_locality');
    expect(fields).toMatchObject({
      recipient: '漳州市芗城区生态环境局执法大队',
      complaint: { source: '12369热线', receivedOn: '2026-09-28', summary: '工业园区排污口夜间排放黄色污水，河面有泡沫' },
      party: { name: '漳州某化工有限公司', creditCode: '91350100M000100Y43', address: '漳州市芗城区东铺头街道九龙江边' },
      legalBasis: '《信访工作条例》第二十三条、第三十四条和《福建省“12369”环保举报热线工作管理暂行规定》',
      contact: { name: '漳州市芗城区生态环境局', phone: '12369' },
    });
    // The complaint answer period (60 ND from acceptance, 国庆 included) is the feedback date.
    expect(fields.deadline).toBe('2026-11-27');
  });

  it('the acceptance notice is addressed to the complainant and promises the answer by the complaint_answer clock', () => {
    const { fields } = run.one('acceptance_notice');
    expect(fields).toMatchObject({
      addressee: reporterName,
      acceptedOn: '2026-09-28',
      handlingUnit: '漳州市芗城区生态环境局执法大队',
      complaint: { receivedOn: '2026-09-28' },
    });
    expect(fields.replyDeadline).toBe('2026-11-27');
  });

  it('the correction order carries the officer’s facts, requirement, basis and date, and the remedy bodies of the county', () => {
    const { fields } = run.one('correction_order');
    expect(fields).toMatchObject({
      facts: '2026年9月28日现场检查发现，该公司污水处理设施停运，废水经雨水排口外排。',
      corrections: ['立即停止通过雨水排口排放废水', '修复污水处理设施，确保稳定达标排放'],
      correctionDeadline: '2026-10-30',
      violatedProvisions: '《中华人民共和国水污染防治法》第十条',
      legalBasis: '《中华人民共和国水污染防治法》第八十三条',
      remedy: { reconsiderationBody: '漳州市芗城区人民政府', court: '漳州市芗城区人民法院' },
    });
  });

  it('the verification results cite the correction order and say whether it was rectified', () => {
    const order = run.state.documents.find((doc) => doc.kind === 'correction_order')!;
    const results = run.issued.filter((doc) => doc.kind === 'verification_result');
    expect(results.map((doc) => [doc.occasion, doc.fields.conclusion, doc.fields.orderDocNo])).toEqual([
      ['round-1', 'not_rectified', order.docNo],
      ['round-2', 'rectified', order.docNo],
    ]);
    expect(results[0]!.fields.nextSteps).toContain('2026年11月20日前');
    expect(results[0]!.fields.legalBasis).toBe('《环境保护主管部门实施按日连续处罚办法》第十条');
  });

  it('the supervision notice goes to the handling unit, cites the transfer and sets a deadline ahead', () => {
    const { fields } = run.one('supervision_notice');
    const transfer = run.state.documents.find((doc) => doc.kind === 'transfer_to_locality')!;
    expect(fields.recipient).toBe('漳州市芗城区生态环境局执法大队');
    expect(fields.caseSummary).toContain(transfer.docNo);
    expect(fields.caseSummary).toContain('整改不力，群众反复投诉');
    expect(fields.flagged).toBe(false);
    // The notice sets its own deadline: 5 working days (policy) after the escalation.
    const escalatedAt = run.state.unprojectedEvents.find((event) => event.type === 'escalated')!.at;
    expect(fields.deadline).toBe(shanghaiDate(addPeriod({ start: escalatedAt, amount: 5, unit: 'WD', calendar: chinaCalendarData })));
    expect(fields.deadline! > escalatedAt.slice(0, 10)).toBe(true);
  });

  it('the closure form and the answer summarise the outcome with the document numbers', () => {
    const closure = run.one('closure_approval').fields;
    const answer = run.one('complainant_answer').fields;
    const order = run.state.documents.find((doc) => doc.kind === 'correction_order')!;
    expect(closure.handlingResult).toContain(order.docNo);
    expect(closure.approvalOpinion).toBe('同意结案');
    expect(answer).toMatchObject({
      addressee: reporterName,
      opinion: '我局已责令该公司整改，经复查已整改到位。',
      outcome: 'supported',
      remedy: { reviewBody: '漳州市生态环境局' },
    });
    expect(answer.findings).toContain(order.docNo);
    expect(answer.legalBasis).toContain('《信访工作条例》第三十二条、第三十四条');
  });

  it('the rejection notice carries the officer’s reasons to the complainant', () => {
    const { fields } = rejected.one('rejection_notice');
    expect(fields).toMatchObject({
      addressee: reporterName,
      reasons: '反映事项属于相邻关系民事纠纷，不属于生态环境部门职责。',
      legalBasis: '《信访工作条例》第二十三条',
    });
  });
});

describe('confidentiality of the complainant', () => {
  const run = fullComplaintRun();

  it.each(run.issued.filter((doc) => !complainantKinds.includes(doc.kind)).map((doc) => [`${doc.kind} (${doc.occasion})`, doc] as const))(
    '%s carries neither the complainant’s name nor phone',
    (_name, doc) => {
      const json = JSON.stringify(doc.fields);
      expect(json).not.toContain(reporterName);
      expect(json).not.toContain(reporterPhone);
      expect(doc.fields).not.toHaveProperty('addressee');
    },
  );

  it('documents addressed to the complainant name them but never print the phone', () => {
    const addressed = run.issued.filter((doc) => complainantKinds.includes(doc.kind));
    expect(addressed.map((doc) => doc.kind).sort()).toEqual(['acceptance_notice', 'complainant_answer']);
    for (const doc of addressed) {
      expect(doc.fields.addressee).toBe(reporterName);
      expect(JSON.stringify(doc.fields)).not.toContain(reporterPhone);
    }
  });

  it('an anonymous complainant is addressed as such', () => {
    const anonymous = new CaseRun({ reporter: { anonymous: true } });
    const [, notice] = anonymous.do(officer, { action: 'triage', decision: 'accept' });
    expect(notice?.kind).toBe('acceptance_notice');
    expect(notice?.fields.addressee).toBe('举报人（匿名）');
    expect(findMissingFields('acceptance_notice', notice!.fields)).toEqual([]);
  });
});

describe('what the case does not know and what only the officer can say', () => {
  it('when a case has no subject, then a correction order names no party and is refused on party.name, never printing （未填写）', () => {
    const run = new CaseRun({ subject: undefined });
    run.do(officer, { action: 'triage', decision: 'accept' });
    run.do(officer, { action: 'acknowledge' });
    const [order] = run.do(officer, violation);
    expect(order!.fields.party).toEqual({ address: '漳州市芗城区东铺头街道九龙江边' });
    expect(findMissingFields('correction_order', order!.fields)).toEqual(['party.name']);
    expect(JSON.stringify(run.issued)).not.toContain('未填写');
    expect(run.one('transfer_to_locality').fields).not.toHaveProperty('party');
  });

  it('when the case records no legal representative, then the party has no such line at all', () => {
    const { fields } = fullComplaintRun().one('correction_order');
    expect(fields.party).not.toHaveProperty('legalRepresentative');
    expect(findMissingFields('correction_order', fields)).toEqual([]);
  });

  it('a correction order without the officer’s legal basis fails on it rather than inventing one', () => {
    const run = new CaseRun();
    run.do(officer, { action: 'triage', decision: 'accept' });
    run.do(officer, { action: 'acknowledge' });
    const [order] = run.do(officer, { ...violation, legalBasis: undefined } as CaseCommand);
    expect(findMissingFields('correction_order', order!.fields)).toEqual(['legalBasis']);
  });

  it('when the step gives only a legal basis, or the same article twice, then the provisions breached are missing rather than copied from the basis', () => {
    for (const command of [{ ...violation, violatedProvisions: undefined }, { ...violation, violatedProvisions: ` ${violation.legalBasis} ` }] as CaseCommand[]) {
      const run = new CaseRun();
      run.do(officer, { action: 'triage', decision: 'accept' });
      run.do(officer, { action: 'acknowledge' });
      const [order] = run.do(officer, command);
      expect(order!.fields.violatedProvisions).toBeUndefined();
      expect(findMissingFields('correction_order', order!.fields)).toEqual(['violatedProvisions']);
    }
  });

  it('missingDocumentFields names what a step would leave missing before it issues anything', () => {
    const { unprojectedEvents: _events, ...view } = new CaseRun().state;
    expect(missingDocumentFields(view, 'correction_order', { findings: '事实', requirement: '改正', legalBasis: '《水污染防治法》第八十三条', dueAt: at(100) }, at(2))).toEqual([
      'violatedProvisions',
    ]);
    expect(missingDocumentFields(view, 'rejection_notice', { reason: '不属于职责范围' }, at(2))).toEqual([]);
  });

  it('when the case was never filed for a penalty, then the closure form has no 立案日期 but its 受理日期', () => {
    const closure = fullComplaintRun().one('closure_approval').fields;
    expect(closure.registeredOn).toBeUndefined();
    expect(closure.receivedOn).toBe('2026-09-28');
    const html = new TemplateEngine().render('closure_approval', { docNo: '漳环芗结〔2026〕1号', caseNo: '350602-2026-00001', agencyName: '漳州市芗城区生态环境局', issuedAt: at(20) }, closure).html;
    expect(html).not.toContain('立案日期');
    expect(html).toContain('受理日期');
  });

  it('officer-only facts are never filled in: findings, requirement, reasons and the answer', () => {
    const state = new CaseRun().state;
    const { unprojectedEvents: _events, ...view } = state;
    const issuedAt = at(2);
    expect(findMissingFields('correction_order', buildCaseDocumentFields(view, 'correction_order', { dueAt: at(100) }, issuedAt))).toEqual(
      expect.arrayContaining(['facts', 'violatedProvisions', 'legalBasis', 'corrections']),
    );
    expect(findMissingFields('rejection_notice', buildCaseDocumentFields(view, 'rejection_notice', {}, issuedAt))).toEqual(['reasons']);
    expect(findMissingFields('verification_result', buildCaseDocumentFields(view, 'verification_result', {}, issuedAt))).toEqual(
      expect.arrayContaining(['findings', 'conclusion']),
    );
    expect(findMissingFields('complainant_answer', buildCaseDocumentFields(view, 'complainant_answer', {}, issuedAt))).toContain('opinion');
  });

  it('a patrol item fixed on the spot goes to the township and its check issues no verification document', () => {
    const run = new CaseRun({ channel: 'patrol', category: 'rubbish_burning_dumping', reporter: undefined, description: '村道旁露天焚烧垃圾' });
    run.do(officer, { action: 'triage', decision: 'accept' });
    const transfer = run.one('transfer_to_locality').fields;
    expect(transfer.recipient).toBe('东铺头街道办事处');
    expect(transfer.deadline).toBe(run.state.clocks.patrol_fix!.dueAt.slice(0, 10));
    expect(transfer.legalBasis).toBe('《中华人民共和国环境保护法》第十条');
    expect(findMissingFields('transfer_to_locality', transfer)).toEqual([]);
    run.do(locality, { action: 'acknowledge' });
    run.do(locality, { action: 'reportRectification', report: '已清理' });
    // No 责令改正决定书 exists, so there is no 整改核查意见书 to answer it: the check stays on the timeline.
    expect(run.do(grid, { action: 'verify', passed: true, findings: '已清理完毕' })).toEqual([]);
    expect(run.state.status).toBe('closing');
  });
});

describe('who issues a supervision notice', () => {
  const state = { agencyCode: '漳环芗', agencyName: '漳州市芗城区生态环境局', countyCode: '350602', cityCode: '350600' };

  it.each([
    [2, false, '漳环芗', '漳州市芗城区生态环境局'],
    [3, false, '漳环', '漳州市生态环境局'],
    [4, true, '闽环', '福建省生态环境厅'],
  ])('when the 督办 is at level %i, then it goes out in the name of the acting authority', (level, flagged, agencyCode, agencyName) => {
    expect(issuingAuthority(state, 'supervision_notice', { level, flagged })).toMatchObject({ agencyCode, agencyName });
  });

  it('every other document goes out in the county bureau’s name', () => {
    expect(issuingAuthority(state, 'correction_order', { level: 4 })).toMatchObject({ agencyCode: '漳环芗', agencyName: '漳州市芗城区生态环境局' });
  });

  it('when the city supervises, then the notice is addressed to the county bureau and speaks as the city', () => {
    const run = fullComplaintRun();
    const { unprojectedEvents: _events, ...view } = run.state;
    const fields = buildCaseDocumentFields(view, 'supervision_notice', { level: 3, levelName: '市级督办', reason: '逾期未办结', escalatedAt: at(30), deadline: '2026-12-30' }, at(30));
    expect(fields.recipient).toBe('漳州市芗城区生态环境局');
    expect(fields.caseSummary).toContain('漳州市芗城区生态环境局通过');
    expect(fields.caseSummary).not.toContain('交你单位办理');
    expect(fields.contact).toEqual({ name: '漳州市生态环境局', phone: '12369' });
    const province = buildCaseDocumentFields(view, 'supervision_notice', { level: 4, flagged: true, levelName: '省级挂牌督办', escalatedAt: at(30), deadline: '2026-12-30' }, at(30));
    expect(province.self).toBe('我厅');
  });

  it('the notice does not double a stop after the entered requirement, and its list ends items with ；/。', () => {
    const run = fullComplaintRun();
    const { unprojectedEvents: _events, ...view } = run.state;
    const withStop = { ...view, description: '排污口排放黄色污水', rectification: { ...view.rectification!, requirement: '立即停止违法排放，拆除暗管。' } };
    const fields = buildCaseDocumentFields(withStop, 'supervision_notice', { level: 3, levelName: '市级督办', reason: '逾期未办结', escalatedAt: at(30), deadline: '2026-12-30' }, at(30));
    expect(fields.problem).toMatch(/^排污口排放黄色污水。\n整改要求：立即停止违法排放，拆除暗管（期限\d{4}年\d{1,2}月\d{1,2}日）。$/u);
    expect(fields.problem).not.toContain('。（');
    expect(fields.requirements).toEqual(['接到本通知后立即查明未按期办结的原因，明确责任人和整改措施；', '依法依规办结，并举一反三排查同类问题。']);
  });
});

describe('the transfer letter to the police', () => {
  const referral = {
    policeUnitId: 'psb-350602',
    proposedBy: { userId: 'u-officer', name: '王执法', role: 'officer' as const, regionCode: '350602' },
    proposal: {
      route: 'criminal' as const,
      suspectedOffence: '污染环境罪',
      facts: '事实',
      evidence: [],
      package: [
        { name: '案件移送书', provided: true },
        { name: '案件调查报告', provided: true, copies: 2, pages: 15 },
        { name: '涉案物品清单', provided: false },
      ],
    },
  };
  const stepFields = {
    recipient: '漳州市芗城区公安局',
    party: { name: '某公司', creditCode: '', address: '某地', legalRepresentative: '' },
    materials: [{ name: '案件移送书', copies: 1, pages: 1, note: '' }],
    contact: { name: '王执法', phone: '' },
  };

  it('is addressed to the police unit by its registered name, never by its code', () => {
    expect(buildReferralDocumentFields(referral, stepFields).recipient).toBe('漳州市公安局芗城分局');
  });

  it('lists only the copies and pages the officer entered, and only the party lines entered', () => {
    const fields = buildReferralDocumentFields(referral, stepFields);
    expect(fields.materials).toEqual([{ name: '案件移送书' }, { name: '案件调查报告', copies: 2, pages: 15 }]);
    expect(fields.party).toEqual({ name: '某公司', address: '某地' });
    expect(fields.contact).toEqual({ name: '王执法', phone: '12369' });
    expect(findMissingFields('criminal_transfer', { ...fields, facts: '事实', suspectedOffence: '污染环境罪', legalBasis: '依据' })).toEqual([]);
  });
});

import request from 'supertest';
import { criminalPackageItems } from '../../../domain/referral';
import { ReferralModel } from '../../../models/referral.model';
import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi, eventually, type CaseDetail } from '../api/case-api';

const fullPackage = criminalPackageItems.map((name) => ({ name, provided: true, copies: 1, pages: 3 }));
const proposal = (packageItems = fullPackage) => ({
  route: 'criminal',
  suspectedOffence: '刑法第三百三十八条（污染环境罪）',
  facts: '利用暗管排放含镍废水，总镍超标二十四倍',
  evidence: ['现场检查笔录', '监测报告'],
  package: packageItems,
  party: { name: '漳州某化工有限公司', creditCode: '91350100M000100Y43', address: '漳州市芗城区工业园区1号', legalRepresentative: '郭某' },
  contact: { name: '王执法', phone: '0596-2034567' },
});

describe('a criminal referral through the API: officer, supervisor and police liaison, with the case clocks', () => {
  let stack: TestStack;
  let api: ReturnType<typeof caseApi>;
  let officer: string;
  let supervisor: string;
  let police: string;
  let otherPolice: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'referrals' });
    api = caseApi(stack);
    [officer, supervisor, police, otherPolice] = (await Promise.all(['officer', 'supervisor', 'police', 'police.tongan'].map((user) => stack.login(user)))) as [string, string, string, string];
  });
  afterAll(() => stack.stop());

  const act = (token: string, referralId: string, command: Record<string, unknown>) =>
    request(stack.app).post(`/api/referrals/${referralId}/actions`).set('Authorization', token).send(command);
  const get = (token: string, referralId: string) => request(stack.app).get(`/api/referrals/${referralId}`).set('Authorization', token);
  const box = async (token: string, name: string) =>
    ((await request(stack.app).get(`/api/referrals?box=${name}`).set('Authorization', token)).body.items ?? []) as { referralId: string }[];
  const penaltyClock = async (caseId: string) => (await api.getCase(officer, caseId)).detail.clocks.penalty_filing as CaseDetail['clocks'][string] & { status: string; suspensionReason?: string };

  async function caseUnderInvestigation(key: string): Promise<string> {
    const intake = await api.postIntake(officer, aComplaint({ key, place: 40 + key.length, creditCode: '91350100M000100Y43' }));
    expect(intake.status).toBe(201);
    const caseId = intake.body.caseId as string;
    expect((await api.act(officer, caseId, { action: 'triage', decision: 'accept' })).status).toBe(200);
    expect((await api.act(officer, caseId, { action: 'acknowledge' })).status).toBe(200);
    const investigated = await api.act(officer, caseId, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水' });
    expect(investigated.status).toBe(200);
    return caseId;
  }

  async function propose(caseId: string, packageItems = fullPackage): Promise<string> {
    const posted = await request(stack.app).post(`/api/cases/${caseId}/referrals`).set('Authorization', officer).send(proposal(packageItems));
    expect(posted.status).toBe(201);
    const referralId = posted.body.referralId as string;
    await eventually('the referral in the read model', async () => ((await get(supervisor, referralId)).status === 200 ? true : undefined));
    return referralId;
  }

  test('when a criminal referral is proposed without the party\'s credit code, then it is refused naming the field in Chinese and no referral starts (issue 9, item 5)', async () => {
    // Its own subject-less complaint far from the others, so that dedupe merges it into none of them.
    const intake = await api.postIntake(officer, aComplaint({ key: 'referral-no-credit-code', place: 95 }));
    expect(intake.status).toBe(201);
    const caseId = intake.body.caseId as string;
    for (const command of [{ action: 'triage', decision: 'accept' }, { action: 'acknowledge' }, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水' }]) {
      expect((await api.act(officer, caseId, command)).status).toBe(200);
    }
    // A natural person has no credit code, so the letter no longer needs one; a contact phone it does need.
    const { contact: _contact, ...withoutContact } = proposal();
    const refused = await request(stack.app).post(`/api/cases/${caseId}/referrals`).set('Authorization', officer).send(withoutContact);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('涉嫌环境犯罪案件移送书缺少必填内容：联系电话。请补充后再提交');
    expect(await ReferralModel.countDocuments({ caseId })).toBe(0);
    expect((await penaltyClock(caseId)).status).toBe('running');
  });

  test('when the whole route is walked (approve, sign, supplements, refusal, 复议), then every step lands and the case penalty clock stops and runs again', async () => {
    const caseId = await caseUnderInvestigation('referral-flow-0001');
    expect((await penaltyClock(caseId)).status).toBe('running');
    const dueBefore = (await penaltyClock(caseId)).dueAt;

    // Incomplete package: the proposal is taken, the approval is refused naming what is missing.
    const incomplete = fullPackage.filter((item) => item.name !== '涉案物品清单' && item.name !== '案件调查报告');
    const referralId = await propose(caseId, incomplete);
    await eventually('penalty clock suspended', async () => ((await penaltyClock(caseId)).status === 'suspended' ? true : undefined));
    expect((await penaltyClock(caseId)).suspensionReason).toBe('移送公安期间不计入 两法衔接办法 第十六条');

    const refused = await act(supervisor, referralId, { action: 'approve' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('涉案物品清单');
    expect(refused.body.error).toContain('案件调查报告');
    expect((await get(supervisor, referralId)).body.status).toBe('awaiting_approval');

    expect((await act(officer, referralId, { action: 'updatePackage', package: fullPackage })).status).toBe(200);
    const approved = await act(supervisor, referralId, { action: 'approve', note: '同意移送' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('transferred');
    expect(approved.body.transfer.docNo).toMatch(/移送/);
    expect(approved.body.transfer.copiedToProcuratorate).toContain('人民检察院');
    expect(approved.body.clocks.transfer.status).toBe('met');

    // Police inbox: only the addressed unit sees it, and never the complainant.
    expect((await box(police, 'awaiting_receipt')).map((item) => item.referralId)).toContain(referralId);
    expect((await box(otherPolice, 'awaiting_receipt')).map((item) => item.referralId)).not.toContain(referralId);
    const seen = await get(police, referralId);
    expect(seen.status).toBe(200);
    expect(seen.body.proposal.package).toHaveLength(criminalPackageItems.length);
    const text = JSON.stringify(seen.body);
    expect(text).not.toMatch(/reporter/i);
    expect(text).not.toContain('李先生');
    expect(text).not.toContain('13800000000');
    const policeTasks = await api.tasksOn(police, caseId, 'police_receive');
    expect(policeTasks).toHaveLength(1);

    // Another unit can neither read nor act, and nothing changes.
    expect((await get(otherPolice, referralId)).status).toBe(404);
    const foreign = await act(otherPolice, referralId, { action: 'sign' });
    expect([403, 404]).toContain(foreign.status);
    expect((await get(police, referralId)).body.status).toBe('transferred');

    const signed = await act(police, referralId, { action: 'sign' });
    expect(signed.status).toBe(200);
    expect(signed.body.clocks.police_decision.basis).toBe('两法衔接办法 第九条');
    expect(signed.body.clocks.supplement_request.status).toBe('running');

    const asked = await act(police, referralId, { action: 'requestSupplement', items: ['监测报告原件'] });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('supplement_requested');
    expect(asked.body.clocks.police_decision.status).toBe('suspended');
    expect(asked.body.clocks.supplement_cure.basis).toBe('两法衔接办法 第八条');

    const supplied = await act(officer, referralId, { action: 'supply', items: ['监测报告原件'] });
    expect(supplied.status).toBe(200);
    expect(supplied.body.clocks.police_decision.status).toBe('running');

    expect((await act(police, referralId, { action: 'decide', decision: 'not_file', reasons: '证据不足以证明达到入罪标准' })).status).toBe(200);
    const notified = await act(police, referralId, { action: 'reportOutcome', noticeNo: '漳芗公不立字〔2026〕1号' });
    expect(notified.status).toBe(200);
    expect(notified.body.status).toBe('not_filed');
    expect(notified.body.clocks.reconsideration_request.basis).toBe('两法衔接办法 第十一条');
    expect((await penaltyClock(caseId)).status).toBe('suspended');

    expect((await act(officer, referralId, { action: 'requestReconsideration', reason: '监测数据已达入罪标准' })).status).toBe(200);
    const answered = await act(police, referralId, { action: 'answerReconsideration', answer: 'maintain', reasons: '维持原决定' });
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('refusal_maintained');

    const resumed = await eventually('penalty clock resumed', async () => {
      const clock = await penaltyClock(caseId);
      return clock.status === 'running' ? clock : undefined;
    });
    expect(resumed.dueAt >= dueBefore).toBe(true);
    const { timeline } = await api.getCase(officer, caseId);
    expect(timeline.map((entry) => entry.type)).toEqual(expect.arrayContaining(['referral_proposed', 'referral_outcome', 'clock_suspended', 'clock_resumed']));
    expect(timeline.some((entry) => entry.summary.includes('复议维持不予立案'))).toBe(true);

    // The bureau proposes 立案监督; the referral ends, and any later action is a 409 that changes nothing.
    const supervision = await act(supervisor, referralId, { action: 'proposeSupervision', procuratorate: '漳州市芗城区人民检察院', reason: '不予立案理由不成立' });
    expect(supervision.status).toBe(200);
    expect(supervision.body.status).toBe('supervision_proposed');
    const before = await ReferralModel.findById(referralId).lean();
    const late = await act(police, referralId, { action: 'decide', decision: 'file' });
    expect(late.status).toBe(409);
    const after = await ReferralModel.findById(referralId).lean();
    expect(after?.revision).toBe(before?.revision);
    expect(after?.status).toBe('supervision_proposed');
  });

  test('when the police liaison posts a proposal, then 403 whether or not the case exists, so existence is not disclosed', async () => {
    const intake = await api.postIntake(officer, aComplaint({ key: 'referral-flow-0003', place: 78 }));
    const caseId = intake.body.caseId as string;
    const onExisting = await request(stack.app).post(`/api/cases/${caseId}/referrals`).set('Authorization', police).send(proposal());
    const onMissing = await request(stack.app).post('/api/cases/no-such-case/referrals').set('Authorization', police).send(proposal());
    expect([onExisting.status, onMissing.status]).toEqual([403, 403]);
    expect(await ReferralModel.countDocuments({ caseId })).toBe(0);
  });

  test('when a proposal comes from a case not yet found to be a suspected crime, then it is refused and no referral starts', async () => {
    const intake = await api.postIntake(officer, aComplaint({ key: 'referral-flow-0002', place: 77 }));
    const caseId = intake.body.caseId as string;
    await api.act(officer, caseId, { action: 'triage', decision: 'accept' });
    await api.act(officer, caseId, { action: 'acknowledge' });
    const posted = await request(stack.app).post(`/api/cases/${caseId}/referrals`).set('Authorization', officer).send(proposal());
    expect(posted.status).toBe(409);
    expect(await ReferralModel.countDocuments({ caseId })).toBe(0);
  });
});

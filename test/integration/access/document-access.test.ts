import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import request from 'supertest';
import { criminalPackageItems } from '../../../domain/referral';
import { usccCheckCharacter } from '../../../domain/uscc';
import { documentModels } from '../../../models/document.model';
import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi, eventually } from '../api/case-api';
import { compactText, pdfText } from '../documents/pdf-tools';
import { appWithPages } from '../pages/page-app';

jest.setTimeout(300_000);

interface Listed {
  documentId: string;
  kind: string;
  docNo: string;
}

const fullPackage = criminalPackageItems.map((name) => ({ name, provided: true }));
const proposal = (policeUnitId?: string) => ({
  route: 'criminal',
  suspectedOffence: '刑法第三百三十八条（污染环境罪）',
  facts: '利用暗管排放含镍废水，总镍超标二十四倍',
  evidence: ['现场检查笔录', '监测报告'],
  package: fullPackage,
  party: { name: '漳州某化工有限公司', address: '漳州市芗城区工业园区1号' },
  contact: { name: '王执法', phone: '0596-2034567' },
  ...(policeUnitId ? { policeUnitId } : {}),
});
const order = {
  findings: '暗管排放含镍废水',
  requirement: '立即拆除暗管，停止排放',
  rectificationDueDate: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
  violatedProvisions: '《中华人民共和国水污染防治法》第三十九条',
  legalBasis: '《中华人民共和国水污染防治法》第八十三条',
};

/** Collects a binary body: supertest leaves application/pdf unparsed otherwise. */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
  stream.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

describe('who may read documents and referrals, and where referrals may go', () => {
  let stack: TestStack;
  let api: ReturnType<typeof caseApi>;
  const tokens: Record<string, string> = {};
  let plainCase: string;
  let referredCase: string;

  const list = (user: string, caseId: string) => request(stack.app).get(`/api/cases/${caseId}/documents`).set('Authorization', tokens[user]!);
  const pdf = (user: string, documentId: string) =>
    request(stack.app).get(`/api/documents/${documentId}/pdf`).set('Authorization', tokens[user]!).buffer(true).parse(binary);
  const docsOf = async (caseId: string): Promise<Listed[]> => (await list('officer', caseId)).body.items as Listed[];
  const byKind = async (caseId: string, kind: string): Promise<Listed> => {
    const found = (await docsOf(caseId)).find((doc) => doc.kind === kind);
    if (!found) throw new Error(`no ${kind} on ${caseId}`);
    return found;
  };
  const propose = (caseId: string, policeUnitId?: string) =>
    request(stack.app).post(`/api/cases/${caseId}/referrals`).set('Authorization', tokens.officer!).send(proposal(policeUnitId));

  async function investigated(key: string, outcome: 'violation' | 'suspected_crime', firm: string): Promise<string> {
    // A credit code per case, or the second would be merged into the first as a repeat.
    const creditCode = `${firm}${usccCheckCharacter(firm)}`;
    const intake = await api.postIntake(tokens.officer!, aComplaint({ key, place: 70 + key.length, creditCode }));
    expect(intake.status).toBe(201);
    const caseId = intake.body.caseId as string;
    expect((await api.act(tokens.officer!, caseId, { action: 'triage', decision: 'accept' })).status).toBe(200);
    expect((await api.act(tokens.officer!, caseId, { action: 'acknowledge' })).status).toBe(200);
    expect((await api.act(tokens.officer!, caseId, { action: 'recordInvestigation', outcome, ...order })).status).toBe(200);
    return caseId;
  }

  beforeAll(async () => {
    stack = await startTestStack({ name: 'document_access' });
    api = caseApi(stack);
    for (const user of ['grid', 'locality', 'officer', 'supervisor', 'police', 'police.tongan', 'officer.tongan']) tokens[user] = await stack.login(user);
    plainCase = await investigated('doc-access-plain', 'violation', '91350602MA00000A1');
    referredCase = await investigated('doc-access-referred-x', 'suspected_crime', '91350602MA00000B2');
  });
  afterAll(() => stack?.stop());

  test('when a police liaison opens a non-referred case’s 责令改正决定书 by URL or lists its documents, then the answer is 404', async () => {
    const correction = await byKind(plainCase, 'correction_order');
    expect((await pdf('officer', correction.documentId)).status).toBe(200);
    expect((await pdf('police', correction.documentId)).status).toBe(404);
    expect((await list('police', plainCase)).status).toBe(404);
  });

  test('document ids are random UUIDs, not sequential ObjectIds', async () => {
    const ids = (await docsOf(plainCase)).map((doc) => doc.documentId);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
  });

  test('a document stored before ids were random (ObjectId key) stays readable, and by the same rules', async () => {
    const { Document, DocumentFile } = documentModels();
    const legacyId = new Types.ObjectId();
    const bytes = (await pdf('officer', (await byKind(plainCase, 'transfer_to_locality')).documentId)).body as Buffer;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await Document.collection.insertOne({
      _id: legacyId, caseId: plainCase, caseNo: 'legacy', kind: 'transfer_to_locality', occasion: 'legacy-1', agencyCode: '漳环芗', agencyName: '漳州市芗城区生态环境局',
      year: 2020, serial: 1, docNo: '漳环芗交〔2020〕1号', title: '交办单', templateVersion: 'legacy', status: 'issued', fieldsJson: '{}', issuedAt: new Date('2020-01-02T00:00:00Z'), sha256,
    } as never);
    await DocumentFile.collection.insertOne({ _id: legacyId, bytes, sha256, byteLength: bytes.length, templateVersion: 'legacy', createdAt: new Date() } as never);
    const read = await pdf('officer', legacyId.toHexString());
    expect(read.status).toBe(200);
    expect(createHash('sha256').update(read.body as Buffer).digest('hex')).toBe(sha256);
    expect((await list('officer', plainCase)).body.items.map((doc: Listed) => doc.documentId)).toContain(legacyId.toHexString());
    expect((await pdf('police', legacyId.toHexString())).status).toBe(404);
  });

  test('when a 芗城 case is addressed to 同安 police or to a unit that does not exist, then the proposal is refused in Chinese and nothing is started', async () => {
    const tongan = await propose(referredCase, 'psb-350212');
    expect(tongan.status).toBe(400);
    expect(tongan.body.error).toContain('厦门市公安局同安分局对芗城区的案件没有管辖权');
    const unknown = await propose(referredCase, 'psb-does-not-exist');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('公安机关不存在');
    // The proposal form offers only the units that answer for the case, by name.
    const casePage = await request(appWithPages(stack)).get(`/cases/${referredCase}`).set('Authorization', tokens.officer!);
    const options = [...casePage.text.matchAll(/<option value="(psb-[^"]+)"[^>]*>([^<]+)<\/option>/gu)].map((match) => match[2]);
    expect(options).toEqual(['漳州市公安局芗城分局', '漳州市公安局', '福建省公安厅']);
    const detail = await api.getCase(tokens.officer!, referredCase);
    expect((detail.detail as { referrals?: unknown[] }).referrals ?? []).toHaveLength(0);
  });

  test('a referral awaiting approval is invisible to the police; once transferred, the addressed unit reads it and the case’s orders, by name', async () => {
    const posted = await propose(referredCase);
    expect(posted.status).toBe(201);
    const referralId = posted.body.referralId as string;
    await eventually('the referral in the read model', async () =>
      (await request(stack.app).get(`/api/referrals/${referralId}`).set('Authorization', tokens.supervisor!)).status === 200 ? true : undefined,
    );
    const correction = await byKind(referredCase, 'correction_order');

    // 待负责人审批: the police can neither open nor list it, nor read the case's documents.
    expect((await request(stack.app).get(`/api/referrals/${referralId}`).set('Authorization', tokens.police!)).status).toBe(404);
    const inbox = await request(stack.app).get('/api/referrals').set('Authorization', tokens.police!);
    expect(inbox.body.items.map((item: { referralId: string }) => item.referralId)).not.toContain(referralId);
    expect((await pdf('police', correction.documentId)).status).toBe(404);

    const approved = await request(stack.app).post(`/api/referrals/${referralId}/actions`).set('Authorization', tokens.supervisor!).send({ action: 'approve' });
    expect(approved.status).toBe(200);
    await eventually('transferred in the read model', async () =>
      (await request(stack.app).get(`/api/referrals/${referralId}`).set('Authorization', tokens.police!)).status === 200 ? true : undefined,
    );

    const policeList = await list('police', referredCase);
    expect(policeList.status).toBe(200);
    expect(policeList.body.items.map((doc: Listed) => doc.kind).sort()).toEqual(['correction_order', 'criminal_transfer']);
    expect((await pdf('police', correction.documentId)).status).toBe(200);
    const acceptance = await byKind(referredCase, 'acceptance_notice');
    expect((await pdf('police', acceptance.documentId)).status).toBe(403);
    // Another unit still learns nothing.
    expect((await list('police.tongan', referredCase)).status).toBe(404);
    expect((await pdf('police.tongan', correction.documentId)).status).toBe(404);

    // The pages name the unit, never its code (the timeline's wording is the timeline's own).
    const pages = appWithPages(stack);
    const referralPage = await request(pages).get(`/referrals/${referralId}`).set('Authorization', tokens.police!);
    expect(referralPage.text).toMatch(/<dt>接收公安机关<\/dt><dd>漳州市公安局芗城分局<\/dd>/u);
    const inboxPage = await request(pages).get('/referrals?box=awaiting_receipt').set('Authorization', tokens.police!);
    expect(inboxPage.text).toContain('（漳州市公安局芗城分局）');
    expect(inboxPage.text).not.toContain('psb-');

    const transfer = await byKind(referredCase, 'criminal_transfer');
    const letter = await pdf('police', transfer.documentId);
    expect(letter.status).toBe(200);
    const text = compactText(await pdfText(letter.body as Buffer));
    expect(text).toContain('漳州市公安局芗城分局：');
    expect(text).not.toContain('psb-');
    expect(text).not.toContain('未填写');
  });

  test('grid members and locality handlers neither list nor open the 移送书', async () => {
    const transfer = await byKind(referredCase, 'criminal_transfer');
    for (const user of ['grid', 'locality']) {
      const listed = await list(user, referredCase);
      expect(listed.status).toBe(200);
      const kinds = listed.body.items.map((doc: Listed) => doc.kind);
      expect(kinds).not.toContain('criminal_transfer');
      expect(kinds).toContain('transfer_to_locality');
      expect((await pdf(user, transfer.documentId)).status).toBe(403);
    }
  });
});

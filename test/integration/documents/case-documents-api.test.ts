import { createHash } from 'node:crypto';
import request from 'supertest';
import { chinaCalendarDate } from '../../../domain/documents';
import { startTestStack, type TestStack } from '../../support/stack';
import { compact, compactText, pdfText } from './pdf-tools';

jest.setTimeout(180_000);

interface ListedDocument {
  documentId: string;
  docNo: string;
  kind: string;
  title: string;
  issuedAt: string;
  sha256: string;
  status: string;
}

/** Collects a binary body: supertest leaves application/pdf unparsed otherwise. */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
  stream.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

describe('case documents through the API', () => {
  let stack: TestStack;
  let officer: string;
  let locality: string;
  let otherCountyOfficer: string;
  let caseId: string;
  let caseNo: string;
  let documents: ListedDocument[];

  const complaint = {
    channel: 'hotline',
    category: 'water',
    description: '东铺头街道九龙江边排污口夜间排放黄色污水，河面有大量泡沫',
    location: { address: '漳州市芗城区东铺头街道九龙江边', regionCode: '350602001', coordinates: { lng: 117.65, lat: 24.51 } },
    subject: { name: '漳州某化工有限公司', creditCode: '91350100M000100Y43' },
    reporter: { anonymous: false, name: '黄丽华', phone: '13912345678' },
    idempotencyKey: 'case-documents-api-0001',
  };

  const year = chinaCalendarDate(new Date().toISOString()).year;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'case_documents_api' });
    officer = await stack.login('officer');
    locality = await stack.login('locality');
    otherCountyOfficer = await stack.login('officer.tongan');

    const posted = await request(stack.app).post('/api/intakes').set('Authorization', officer).send(complaint);
    expect(posted.status).toBe(201);
    caseId = posted.body.caseId;
    caseNo = posted.body.caseNo;

    const triaged = await request(stack.app)
      .post(`/api/cases/${caseId}/actions`)
      .set('Authorization', officer)
      .send({ action: 'triage', decision: 'accept' });
    expect(triaged.status).toBe(200);

    // The workflow issues documents inside the Update, so they exist once it has returned.
    const listed = await request(stack.app).get(`/api/cases/${caseId}/documents`).set('Authorization', officer);
    expect(listed.status).toBe(200);
    documents = listed.body.items;
  });
  afterAll(() => stack?.stop());

  const byKind = (kind: string): ListedDocument => {
    const found = documents.find((doc) => doc.kind === kind);
    if (!found) throw new Error(`no ${kind} in ${JSON.stringify(documents)}`);
    return found;
  };

  const downloadPdf = (documentId: string, auth: string) =>
    request(stack.app).get(`/api/documents/${documentId}/pdf`).set('Authorization', auth).buffer(true).parse(binary);

  test('after triage accept, the officer lists the 交办单 and the 受理告知书 with the county bureau’s numbers', () => {
    expect(documents.map((doc) => doc.kind).sort()).toEqual(['acceptance_notice', 'transfer_to_locality']);
    expect(byKind('transfer_to_locality')).toMatchObject({ title: '交办单', docNo: `漳环芗交〔${year}〕1号`, status: 'issued' });
    expect(byKind('acceptance_notice')).toMatchObject({ title: '受理告知书', docNo: `漳环芗受〔${year}〕1号`, status: 'issued' });
    for (const doc of documents) {
      expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Number.isNaN(Date.parse(doc.issuedAt))).toBe(false);
    }
  });

  test('the 交办单 PDF matches its listed sha256 and prints its number, the case facts and no complainant', async () => {
    const transfer = byKind('transfer_to_locality');
    const response = await downloadPdf(transfer.documentId, officer);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^inline;/);
    expect(response.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`${transfer.docNo}.pdf`)}`);
    expect(response.headers.etag).toBe(`"${transfer.sha256}"`);

    const pdf = response.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(transfer.sha256);

    const text = compactText(await pdfText(pdf));
    expect(text).toContain(compact(transfer.docNo));
    expect(text).toContain(caseNo);
    expect(text).toContain(compact(complaint.description));
    expect(text).toContain('漳州某化工有限公司');
    expect(text).toContain('91350100M000100Y43');
    expect(text).toContain('12369热线');
    expect(text).toContain('漳州市芗城区生态环境局执法大队');
    expect(text).not.toContain('黄丽华');
    expect(text).not.toContain('13912345678');
  });

  test('the 受理告知书 PDF is addressed to the complainant and names the handling unit and the answer date', async () => {
    const notice = byKind('acceptance_notice');
    const response = await downloadPdf(notice.documentId, officer);
    expect(response.status).toBe(200);
    const pdf = response.body as Buffer;
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(notice.sha256);
    const text = compactText(await pdfText(pdf));
    expect(text).toContain(compact(notice.docNo));
    expect(text).toContain('黄丽华：');
    expect(text).toContain(compact(complaint.description));
    expect(text).toContain('信访工作条例');
    expect(text).toMatch(/将在\d{4}年\d{1,2}月\d{1,2}日前将处理意见书面答复你/u);
    expect(text).not.toContain('13912345678');
  });

  test('a repeated download with the ETag gets 304', async () => {
    const transfer = byKind('transfer_to_locality');
    const response = await request(stack.app)
      .get(`/api/documents/${transfer.documentId}/pdf`)
      .set('Authorization', officer)
      .set('If-None-Match', `"${transfer.sha256}"`);
    expect(response.status).toBe(304);
  });

  test('the locality handler gets the 交办单 but 403 on the 受理告知书, which their list leaves out', async () => {
    const listed = await request(stack.app).get(`/api/cases/${caseId}/documents`).set('Authorization', locality);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((doc: ListedDocument) => doc.kind)).toEqual(['transfer_to_locality']);

    expect((await downloadPdf(byKind('transfer_to_locality').documentId, locality)).status).toBe(200);
    const refused = await downloadPdf(byKind('acceptance_notice').documentId, locality);
    expect(refused.status).toBe(403);
    expect(JSON.parse((refused.body as Buffer).toString('utf8')).error).toContain('举报人');
  });

  test('a user of another county sees neither the list nor the PDFs (404), and an anonymous request gets 401', async () => {
    expect((await request(stack.app).get(`/api/cases/${caseId}/documents`).set('Authorization', otherCountyOfficer)).status).toBe(404);
    expect((await downloadPdf(byKind('transfer_to_locality').documentId, otherCountyOfficer)).status).toBe(404);
    expect((await request(stack.app).get(`/api/cases/${caseId}/documents`)).status).toBe(401);
    expect((await request(stack.app).get(`/api/documents/${byKind('transfer_to_locality').documentId}/pdf`)).status).toBe(401);
    expect((await downloadPdf('000000000000000000000000', officer)).status).toBe(404);
    expect((await downloadPdf('not-an-id', officer)).status).toBe(404);
  });
  test('when the city escalates to 市级督办, then the notice is numbered and issued by the city bureau, addressed to the county bureau', async () => {
    const citySupervisor = await stack.login('city.supervisor');
    const supervisor = await stack.login('supervisor');
    expect((await request(stack.app).post(`/api/cases/${caseId}/actions`).set('Authorization', supervisor).send({ action: 'escalate', reason: '久拖不办' })).status).toBe(200);
    expect((await request(stack.app).post(`/api/cases/${caseId}/actions`).set('Authorization', citySupervisor).send({ action: 'escalate', reason: '县级督办后仍未办结' })).status).toBe(200);
    const listed = (await request(stack.app).get(`/api/cases/${caseId}/documents`).set('Authorization', officer)).body.items as ListedDocument[];
    const notices = listed.filter((doc) => doc.kind === 'supervision_notice');
    expect(notices.map((doc) => doc.docNo)).toEqual([`漳环芗督〔${year}〕1号`, `漳环督〔${year}〕1号`]);
    const text = compactText(await pdfText((await downloadPdf(notices[1]!.documentId, officer)).body as Buffer));
    expect(text.startsWith('漳州市生态环境局')).toBe(true);
    expect(text).toContain('漳州市芗城区生态环境局：');
    expect(text).toContain('现予市级督办');
    expect(text).not.toContain('未填写');
  });
});

import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { reserveDocumentNumber } from '../../../read-model/document-numbering';
import { getDocumentPdf, listCaseDocuments } from '../../../read-model/documents.repository';
import { createDocumentActivities, type DocumentActivities } from '../../../activities/documents/issue-document';
import { PdfRenderer, RendererClosedError } from '../../../activities/documents/pdf-renderer';
import { parseDocumentNumber, type DocumentKind, type IssueDocumentInput, type IssuedDocumentSummary } from '../../../domain/documents';
import { documentModels } from '../../../models/document.model';
import { loadSample, pageCount } from './pdf-tools';

jest.setTimeout(300_000);

const renderer = new PdfRenderer({ poolSize: 2, maxQueue: 1_000 });

beforeAll(async () => {
  await mongoose.connect(process.env.MONGODB_URI!, { dbName: `docs_${process.env.JEST_WORKER_ID ?? '0'}` });
  await mongoose.connection.dropDatabase();
});

afterAll(async () => {
  await renderer.close();
  await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
});

let caseCounter = 0;
function issueInput(kind: DocumentKind, overrides: Partial<IssueDocumentInput> = {}): IssueDocumentInput {
  const sample = loadSample(kind);
  caseCounter += 1;
  return {
    caseId: `case-${caseCounter}`,
    caseNo: sample.caseNo,
    kind,
    occasion: 'first',
    agencyCode: sample.agencyCode,
    agencyName: sample.agencyName,
    issuedAt: sample.issuedAt,
    issuedBy: 'officer-1',
    fields: sample.fields,
    ...overrides,
  };
}

describe('issuing documents', () => {
  it('gives 200 concurrent issues on 4 sequences unique, gapless numbers, and retries the same document', async () => {
    // Four activity instances stand for four worker processes: each has its own in-process
    // locks, so they really race each other and only the unique indexes keep order.
    const workers: DocumentActivities[] = Array.from({ length: 4 }, () => createDocumentActivities({ renderer }));
    const sequences = [
      { agencyCode: '龙环', kind: 'acceptance_notice' as const },
      { agencyCode: '龙环', kind: 'rejection_notice' as const },
      { agencyCode: '芗环', kind: 'acceptance_notice' as const },
      { agencyCode: '芗环', kind: 'complainant_answer' as const },
    ];
    const inputs = Array.from({ length: 200 }, (_, i) => {
      const sequence = sequences[i % 4]!;
      return issueInput(sequence.kind, { agencyCode: sequence.agencyCode, caseId: `race-${i}`, occasion: `o-${i}` });
    });

    // Every issue runs twice at once, as a retry racing its original would: one in five on
    // another worker (both render, the first stored PDF wins), the rest on the same worker.
    const results = await Promise.all(
      inputs.flatMap((input, i) => [
        workers[i % 4]!.issueDocument(input),
        workers[(i + (i % 5 === 0 ? 1 : 0)) % 4]!.issueDocument(input),
      ]),
    );
    const firsts: IssuedDocumentSummary[] = [];
    for (let i = 0; i < inputs.length; i += 1) {
      const [a, b] = [results[2 * i]!, results[2 * i + 1]!];
      expect(b).toEqual(a);
      expect(a.status).toBe('issued');
      firsts.push(a);
    }

    expect(new Set(firsts.map((summary) => summary.docNo)).size).toBe(200);
    expect(new Set(firsts.map((summary) => summary.documentId)).size).toBe(200);
    for (const { agencyCode, kind } of sequences) {
      const serials = firsts
        .filter((summary) => summary.kind === kind && parseDocumentNumber(summary.docNo)?.agencyCode === agencyCode)
        .map((summary) => summary.serial)
        .sort((a, b) => a - b);
      expect(serials).toEqual(Array.from({ length: 50 }, (_, n) => n + 1));
    }

    // A later retry of each (e.g. after a worker crash) returns the same number and document.
    const again = await Promise.all(inputs.map((input, i) => workers[(i + 2) % 4]!.issueDocument(input)));
    expect(again).toEqual(firsts);
    const { Document, DocumentFile } = documentModels();
    expect(await Document.countDocuments({ caseId: /^race-/u })).toBe(200);
    expect(await DocumentFile.countDocuments({ _id: { $in: firsts.map((s) => s.documentId) } })).toBe(200);
  });

  it('never skips or repeats a number when callers race on one sequence without any lock', async () => {
    const { Document } = documentModels();
    const models = documentModels();
    const reservations = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        reserveDocumentNumber(models, {
          caseId: `bare-${i}`,
          caseNo: 'ZZHB-2026-9999',
          kind: 'supervision_notice',
          occasion: 'bare',
          agencyCode: '长环',
          agencyName: '漳州市长泰生态环境局',
          year: 2026,
          title: '督办通知书',
          templateVersion: 'test',
          fieldsJson: '{}',
          issuedAt: new Date('2026-03-01T00:00:00Z'),
        }),
      ),
    );
    const serials = reservations.map((r) => r.record.serial).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 60 }, (_, n) => n + 1));
    expect(await Document.countDocuments({ agencyCode: '长环' })).toBe(60);
  });

  it('keeps a voided document and its number; the next issue takes the next number', async () => {
    const activities = createDocumentActivities({ renderer });
    const first = await activities.issueDocument(issueInput('correction_order', { agencyCode: '华环' }));
    expect(first.docNo).toBe('华环责改〔2026〕1号');

    const voided = await activities.voidDocument({
      documentId: first.documentId,
      reason: '当事人名称有误',
      voidedBy: 'chief-1',
      voidedAt: '2026-03-06T01:00:00.000Z',
    });
    expect(voided).toMatchObject({ docNo: first.docNo, status: 'voided', voidReason: '当事人名称有误' });
    // Voiding again is a no-op that reports the same.
    expect(await activities.voidDocument({ documentId: first.documentId, reason: '重复', voidedAt: '2026-03-07T00:00:00Z' })).toEqual(voided);

    const next = await activities.issueDocument(issueInput('correction_order', { agencyCode: '华环' }));
    expect(next.docNo).toBe('华环责改〔2026〕2号');

    const listed = await listCaseDocuments(`case-${caseCounter - 1}`);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ docNo: first.docNo, status: 'voided', voidReason: '当事人名称有误', sha256: first.sha256 });
    const stillThere = await getDocumentPdf(first.documentId);
    expect(stillThere?.sha256).toBe(first.sha256);
  });

  it('stores each PDF once with a SHA-256 that matches its bytes and the template version used', async () => {
    const activities = createDocumentActivities({ renderer });
    const input = issueInput('correction_order', { agencyCode: '诏环' });
    const issued = await activities.issueDocument(input);

    const pdf = await getDocumentPdf(issued.documentId);
    expect(pdf).toBeDefined();
    expect(pdf!.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(pdf!.bytes).digest('hex')).toBe(issued.sha256);
    expect(pdf).toMatchObject({ docNo: '诏环责改〔2026〕1号', caseId: input.caseId, kind: 'correction_order' });
    expect(await pageCount(pdf!.bytes)).toBe(2);
    expect(issued.templateVersion).toMatch(/^correction_order@/u);

    const [listed] = await listCaseDocuments(input.caseId);
    expect(listed).toMatchObject({ sha256: issued.sha256, byteLength: pdf!.bytes.length, templateVersion: issued.templateVersion, issuedBy: 'officer-1' });
  });

  it('completes a reservation whose render failed, under the same number, without a gap', async () => {
    const broken = new PdfRenderer();
    await broken.close();
    const failing = createDocumentActivities({ renderer: broken });
    const working = createDocumentActivities({ renderer });
    const input = issueInput('verification_result', { agencyCode: '平环' });

    await expect(failing.issueDocument(input)).rejects.toBeInstanceOf(RendererClosedError);
    const [reserved] = await listCaseDocuments(input.caseId);
    expect(reserved).toMatchObject({ status: 'rendering', docNo: '平环核〔2026〕1号' });
    expect(await getDocumentPdf(reserved!.documentId)).toBeUndefined();

    const retried = await working.issueDocument(input);
    expect(retried).toMatchObject({ documentId: reserved!.documentId, docNo: '平环核〔2026〕1号', status: 'issued' });
    const next = await working.issueDocument({ ...input, occasion: 'second' });
    expect(next.docNo).toBe('平环核〔2026〕2号');
  });

  it('rejects missing fields without retrying and without using a number', async () => {
    const activities = createDocumentActivities({ renderer });
    const input = issueInput('criminal_transfer', { agencyCode: '云环' });
    const { materials: _materials, ...withoutMaterials } = input.fields;

    await expect(activities.issueDocument({ ...input, fields: withoutMaterials })).rejects.toMatchObject({
      name: 'ApplicationFailure',
      type: 'DocumentInputInvalid',
      nonRetryable: true,
    });
    const issued = await activities.issueDocument(input);
    expect(issued.docNo).toBe('云环移送〔2026〕1号');
  });

  it('numbers by the China date of issue: New Year in Fujian starts a new sequence', async () => {
    const activities = createDocumentActivities({ renderer });
    const lastOf2026 = await activities.issueDocument(
      issueInput('acceptance_notice', { agencyCode: '东环', issuedAt: '2026-12-31T15:59:00.000Z' }),
    );
    const firstOf2027 = await activities.issueDocument(
      issueInput('acceptance_notice', { agencyCode: '东环', issuedAt: '2026-12-31T16:01:00.000Z' }),
    );
    expect(lastOf2026.docNo).toBe('东环受〔2026〕1号');
    expect(firstOf2027.docNo).toBe('东环受〔2027〕1号');
  });
});

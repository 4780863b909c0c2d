import {
  amountInCapitals,
  chineseDate,
  complaintOutcomes,
  documentKindList,
  documentTitle,
  normalizeDocumentNumber,
  type DocumentKind,
} from '../../../domain/documents';
import { PdfRenderer } from '../../../activities/documents/pdf-renderer';
import { TemplateEngine } from '../../../activities/documents/template-engine';
import { compact, compactText, loadSample, pageCount, pdfFonts, pdfInfo, pdfText, startHitCounter } from './pdf-tools';

const engine = new TemplateEngine();
const renderer = new PdfRenderer({ poolSize: 2 });
afterAll(() => renderer.close());

const isoDate = /^\d{4}-\d{2}-\d{2}(T.*)?$/u;
const amountKeys = new Set(['involvedAmount', 'penaltyAmount']);

/** What each field of a sample must look like on paper. */
function expectedTexts(kind: DocumentKind, value: unknown, key = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => expectedTexts(kind, item, key));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => expectedTexts(kind, v, k));
  }
  if (amountKeys.has(key) && (typeof value === 'number' || typeof value === 'string')) {
    return [amountInCapitals(value)];
  }
  if (key === 'outcome' && typeof value === 'string') {
    return [complaintOutcomes[value as keyof typeof complaintOutcomes]];
  }
  if (key === 'conclusion') return [value === 'rectified' ? '已按要求完成整改' : '未按要求完成整改'];
  if (typeof value !== 'string' || value.trim() === '') return [];
  if (isoDate.test(value)) return [chineseDate(value)];
  if (/DocNo$/u.test(key)) return [normalizeDocumentNumber(value) ?? value];
  return value.split('\n').filter((line) => line.trim() !== '');
}

function render(kind: DocumentKind, fields: Record<string, unknown>) {
  const sample = loadSample(kind);
  return engine.render(
    kind,
    { docNo: sample.docNo, caseNo: sample.caseNo, agencyName: sample.agencyName, issuedAt: sample.issuedAt },
    fields,
  );
}

describe('document templates', () => {
  it.each(documentKindList)('the %s sample prints on A4 with its number, parties, facts, basis and dates', async (kind) => {
    const sample = loadSample(kind);
    const { html } = render(kind, sample.fields);
    const pdf = await renderer.render(html);

    const info = await pdfInfo(pdf);
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/u.exec(info);
    expect(Number(size?.[1])).toBeCloseTo(595, -1);
    expect(Number(size?.[2])).toBeCloseTo(842, -1);

    const text = compactText(await pdfText(pdf));
    const expected = [
      sample.docNo,
      sample.agencyName,
      documentTitle(kind, sample.fields),
      chineseDate(sample.issuedAt),
      ...expectedTexts(kind, sample.fields),
    ];
    const missing = expected.map(compact).filter((snippet) => !text.includes(snippet));
    expect(missing).toEqual([]);
    // Page numbers in GB/T 9704 form.
    expect(await pdfText(pdf)).toMatch(/— 1 —/u);

    // Every font is embedded (TrueType CJK faces, not Type 3).
    const fontRows = (await pdfFonts(pdf)).split('\n').slice(2).filter((row) => row.trim() !== '');
    expect(fontRows.length).toBeGreaterThan(0);
    for (const row of fontRows) {
      expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes/u);
    }
  });

  it('prints the correction order sample on two pages (the bench document)', async () => {
    const { html } = render('correction_order', loadSample('correction_order').fields);
    expect(await pageCount(await renderer.render(html))).toBe(2);
  });

  it('records a template version that names the kind and changes with it', () => {
    const versions = documentKindList.map((kind) => engine.templateVersion(kind));
    expect(new Set(versions).size).toBe(versions.length);
    expect(engine.templateVersion('correction_order')).toMatch(/^correction_order@\d+\.\d+\.\d+\+[0-9a-f]{12}$/u);
  });
});

describe('untrusted text and remote resources', () => {
  it('prints markup in user text as text and lets it make no request', async () => {
    const server = await startHitCounter();
    try {
      const hostile = `<script>alert(1)</script><img src=http://127.0.0.1:${server.port}/x.png>`;
      const sample = loadSample('acceptance_notice');
      const fields = {
        ...sample.fields,
        addressee: hostile,
        complaint: { receivedOn: '2026-02-10', summary: `<link rel=stylesheet href=http://127.0.0.1:${server.port}/s.css>` },
      };
      const { html } = render('acceptance_notice', fields);
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain(`<img src=http`);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

      const text = compactText(await pdfText(await renderer.render(html)));
      expect(text).toContain(compact(hostile));
      expect(text).toContain(compact(`<link rel=stylesheet href=http://127.0.0.1:${server.port}/s.css>`));
      expect(server.hits()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('renders a template that asks for a remote resource, with the request blocked', async () => {
    const server = await startHitCounter();
    try {
      // A template author's mistake rather than user input: markup in the template itself.
      const sample = loadSample('rejection_notice');
      const { html } = render('rejection_notice', sample.fields);
      const tampered = html.replace(
        '</head>',
        `<link rel="stylesheet" href="http://127.0.0.1:${server.port}/remote.css"></head>`,
      ).replace('</main>', `<img src="http://127.0.0.1:${server.port}/seal.png"></main>`);
      const pdf = await renderer.render(tampered);

      expect(compactText(await pdfText(pdf))).toContain(compact(sample.docNo));
      expect(server.hits()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

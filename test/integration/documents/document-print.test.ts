import { chineseDate, documentKindList, type DocumentKind } from '../../../domain/documents';
import { PdfRenderer } from '../../../activities/documents/pdf-renderer';
import { TemplateEngine } from '../../../activities/documents/template-engine';
import { compact, compactText, loadSample, pageCount, pdfPageText, pdfText } from './pdf-tools';

jest.setTimeout(180_000);

const engine = new TemplateEngine();
const renderer = new PdfRenderer({ poolSize: 2 });
afterAll(() => renderer.close());

function render(kind: DocumentKind, fields: Record<string, unknown>): string {
  const sample = loadSample(kind);
  return engine.render(kind, { docNo: sample.docNo, caseNo: sample.caseNo, agencyName: sample.agencyName, issuedAt: sample.issuedAt }, fields).html;
}

describe('what official documents print', () => {
  it.each(documentKindList)('the %s carries a drawn red seal with the authority’s name, not the text （印章）', async (kind) => {
    const sample = loadSample(kind);
    const html = render(kind, sample.fields);
    expect(html).toMatch(/<svg class="seal"[^>]*>[\s\S]*stroke="#e60000"[\s\S]*<textPath[^>]*>[^<]*<\/textPath>/u);
    expect(/<textPath[^>]*>([^<]*)<\/textPath>/u.exec(html)?.[1]).toBe(sample.agencyName);
    const text = compactText(await pdfText(await renderer.render(html)));
    expect(text).not.toContain('（印章）');
    expect(text).not.toContain('未填写');
  });

  it('when the party’s credit code and legal representative were never entered, then their lines are left out', async () => {
    const sample = loadSample('correction_order');
    const party = { name: '漳州某电镀厂', address: '漳州市芗城区工业园区1号' };
    const text = compactText(await pdfText(await renderer.render(render('correction_order', { ...sample.fields, party }))));
    expect(text).toContain('当事人：漳州某电镀厂');
    expect(text).not.toContain('统一社会信用代码');
    expect(text).not.toContain('法定代表人');
  });

  it('when the officer typed no copies or pages for a material, then the list leaves those cells empty', () => {
    const sample = loadSample('criminal_transfer');
    const materials = [{ name: '案件调查报告' }, { name: '监测报告', copies: 2, pages: 7 }];
    const html = render('criminal_transfer', { ...sample.fields, materials });
    expect(html).toContain('<td>案件调查报告</td><td class="center"></td><td class="center"></td>');
    expect(html).toContain('<td>监测报告</td><td class="center">2</td><td class="center">7</td>');
  });

  // Longer and longer text pushes the closing paragraph across the page end at some length; at
  // every length the page that carries the date must also carry the last paragraph.
  const closings: [DocumentKind, (fields: Record<string, unknown>, padding: string) => Record<string, unknown>, string][] = [
    ['correction_order', (fields, padding) => ({ ...fields, facts: `${String(fields.facts)}\n${padding}` }), '不停止本决定的执行。'],
    ['transfer_to_locality', (fields, padding) => ({ ...fields, problem: `${String(fields.problem)}\n${padding}` }), '依据：'],
    ['supervision_notice', (fields, padding) => ({ ...fields, problem: `${String(fields.problem)}\n${padding}` }), '逾期未办结的'],
  ];
  it.each(closings)('the signature and date of a %s never stand alone on a page: the last paragraph goes with them', async (kind, pad, closing) => {
    const sample = loadSample(kind);
    const line = '经查，你单位在生产过程中未按规定运行污染防治设施，废水未经处理直接排放。';
    const pages = new Set<number>();
    for (let extra = 0; extra <= 14; extra += 1) {
      const pdf = await renderer.render(render(kind, pad(sample.fields, Array.from({ length: extra }, () => line).join('\n'))));
      const count = await pageCount(pdf);
      pages.add(count);
      let datePage = 0;
      for (let page = 1; page <= count; page += 1) if (compactText(await pdfPageText(pdf, page)).includes(compact(chineseDate(sample.issuedAt)))) datePage = page;
      expect(compactText(await pdfPageText(pdf, datePage))).toContain(compact(closing));
    }
    // The lengths tried do cross a page end, or the test would prove nothing.
    expect(pages.size).toBeGreaterThan(1);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { documentKindList, documentTitle, findMissingFields } from '../../../domain/documents';

const samplesDir = path.resolve(__dirname, '../../../templates/samples');

describe('required fields per kind', () => {
  it.each(documentKindList)('the %s sample has every required field', (kind) => {
    const sample = JSON.parse(fs.readFileSync(path.join(samplesDir, `${kind}.json`), 'utf8')) as {
      fields: Record<string, unknown>;
    };
    expect(findMissingFields(kind, sample.fields)).toEqual([]);
  });

  it('reports missing, blank and empty-list fields by path', () => {
    expect(
      findMissingFields('correction_order', {
        party: { name: '某公司', creditCode: ' ', address: '地址' },
        facts: '事实',
        evidence: [],
      }),
    ).toEqual(
      expect.arrayContaining(['evidence', 'corrections', 'remedy.court']),
    );
  });

  it('when a party line the case cannot know was never entered, then it is not required', () => {
    const fields = { party: { name: '某公司', address: '地址' } };
    for (const kind of ['correction_order', 'verification_result', 'criminal_transfer', 'detention_transfer'] as const) {
      const missing = findMissingFields(kind, fields);
      expect(missing).not.toContain('party.creditCode');
      expect(missing).not.toContain('party.legalRepresentative');
    }
    expect(findMissingFields('closure_approval', {})).not.toEqual(expect.arrayContaining(['registeredOn']));
  });

  it('titles a flagged supervision notice 挂牌督办通知书', () => {
    expect(documentTitle('supervision_notice', { flagged: true })).toBe('挂牌督办通知书');
    expect(documentTitle('supervision_notice', {})).toBe('督办通知书');
  });
});

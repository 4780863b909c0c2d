import { CaseModel } from '../../../models/case.model';
import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi, eventually } from './case-api';

describe('intake: idempotency keys and repeat complaints', () => {
  let stack: TestStack;
  let api: ReturnType<typeof caseApi>;
  let officer: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'dedupe' });
    api = caseApi(stack);
    officer = await stack.login('officer');
  });
  afterAll(() => stack.stop());

  test('when the same idempotency key is sent twice, then both answers name one case and only one exists', async () => {
    const body = aComplaint({ key: 'dedupe-key-0001', place: 1 });
    const first = await api.postIntake(officer, body);
    const second = await api.postIntake(officer, body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(expect.objectContaining({ caseId: first.body.caseId, caseNo: first.body.caseNo, created: false }));
    expect(await CaseModel.countDocuments({ idempotencyKey: 'dedupe-key-0001' })).toBe(1);
  });

  test('when the same idempotency key arrives twice at once, then both answers name one case', async () => {
    const body = aComplaint({ key: 'dedupe-key-0002', place: 2 });
    const [first, second] = await Promise.all([api.postIntake(officer, body), api.postIntake(officer, body)]);
    // Both may race past the read-model check into update-with-start; USE_EXISTING joins them.
    expect([200, 201]).toContain(first.status);
    expect([200, 201]).toContain(second.status);
    expect(first.body.caseId).toBe(second.body.caseId);
    expect(await CaseModel.countDocuments({ idempotencyKey: 'dedupe-key-0002' })).toBe(1);
  });

  test('when a second complaint of the same category comes from within 200 m, then it is merged into the open case, whose related complaints grow', async () => {
    const original = await api.postIntake(officer, aComplaint({ key: 'dedupe-near-0001', place: 3 }));
    expect(original.status).toBe(201);
    const caseId: string = original.body.caseId;
    const casesBefore = await CaseModel.countDocuments();

    const repeat = await api.postIntake(officer, aComplaint({ key: 'dedupe-near-0002', place: 3, offsetMetres: 120 }));
    expect(repeat.status).toBe(201);
    expect(repeat.body.mergedInto).toEqual({ caseId, caseNo: original.body.caseNo });
    expect(repeat.body.caseId).toBe(caseId);

    // The repeat reaches the open case as a signal, so its projection lands just after the
    // answer; the projection writes the case before its timeline events, so wait for both.
    const { detail, timeline } = await eventually('the repeat to be projected onto the open case', async () => {
      const read = await api.getCase(officer, caseId);
      const merged = read.detail.relatedComplaints.length === 1 && read.timeline.some((entry) => entry.type === 'repeat_merged');
      return merged ? read : undefined;
    });
    expect(detail.relatedComplaints[0]).toEqual(expect.objectContaining({ channel: 'hotline' }));
    expect(timeline.map((entry) => entry.type)).toContain('repeat_merged');
    expect(await CaseModel.countDocuments()).toBe(casesBefore);

    // Resending the merged intake answers with the same merge, without a second related complaint.
    const resent = await api.postIntake(officer, aComplaint({ key: 'dedupe-near-0002', place: 3, offsetMetres: 120 }));
    expect(resent.status).toBe(200);
    expect(resent.body.mergedInto).toEqual({ caseId, caseNo: original.body.caseNo });
    expect((await api.getCase(officer, caseId)).detail.relatedComplaints).toHaveLength(1);
  });

  test('when a complaint names the same enterprise at the same place (the old skeleton scenario), then it is merged', async () => {
    const original = await api.postIntake(officer, aComplaint({ key: 'dedupe-subject-0001', place: 4, creditCode: '91350100M000100Y43' }));
    const repeat = await api.postIntake(officer, aComplaint({ key: 'dedupe-subject-0002', place: 4, creditCode: '91350100M000100Y43' }));
    expect(repeat.body.mergedInto?.caseId).toBe(original.body.caseId);
    await eventually('the related complaint', async () =>
      (await api.getCase(officer, original.body.caseId)).detail.relatedComplaints.length === 1 ? true : undefined,
    );

    // Same credit code, same category, about 5 km away: still the same enterprise's case.
    const elsewhere = await api.postIntake(officer, aComplaint({ key: 'dedupe-subject-0003', place: 9, creditCode: '91350100M000100Y43' }));
    expect(elsewhere.body.mergedInto?.caseId).toBe(original.body.caseId);
    await eventually('the second related complaint', async () =>
      (await api.getCase(officer, original.body.caseId)).detail.relatedComplaints.length === 2 ? true : undefined,
    );
  });

  test('when a complaint of the same category comes from about 1 km away, then it is a new case', async () => {
    const original = await api.postIntake(officer, aComplaint({ key: 'dedupe-far-0001', place: 5 }));
    const far = await api.postIntake(officer, aComplaint({ key: 'dedupe-far-0002', place: 6 }));
    expect(far.status).toBe(201);
    expect(far.body.mergedInto).toBeUndefined();
    expect(far.body.caseId).not.toBe(original.body.caseId);
  });

  test('when a complaint of another category comes from the same spot, then it is a new case', async () => {
    const original = await api.postIntake(officer, aComplaint({ key: 'dedupe-cat-0001', place: 7 }));
    const other = await api.postIntake(officer, aComplaint({ key: 'dedupe-cat-0002', place: 7, category: 'air' }));
    expect(other.status).toBe(201);
    expect(other.body.mergedInto).toBeUndefined();
    expect(other.body.caseId).not.toBe(original.body.caseId);
  });
});

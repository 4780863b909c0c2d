import mongoose from 'mongoose';
import { connectMongo } from '../../../config/mongo';

jest.setTimeout(120_000);

/**
 * The embedded FerretDB is built with a patch (scripts/ferretdb-launcher/overlay) that lets
 * PostgreSQL sort, skip, limit and count when it applies the whole filter. Whatever the store,
 * lists must answer exactly as MongoDB does: these queries are checked against a reference
 * evaluation of MongoDB's rules over the same documents, on rows built to catch a pushdown that
 * filters, orders or counts differently (array fields, missing and null sort keys, ties, values
 * of the same text but another type, filters that cannot be pushed down).
 */
interface Row {
  _id: string;
  listKeys?: string[];
  county?: string | null;
  status?: string;
  open?: boolean;
  level?: number;
  sortKey?: string | null;
  rank?: number;
  dueAt?: Date;
  nested?: { county: string };
}

const counties = ['350602', '350603', '350681'];
const statuses = ['received', 'rectifying', 'verifying'];

function makeRows(): Row[] {
  const rows: Row[] = [];
  for (let index = 0; index < 240; index += 1) {
    const county = counties[index % counties.length]!;
    const row: Row = {
      _id: `row-${String(index).padStart(4, '0')}`,
      listKeys: [`officer|county:${county}`, `officer|city:3506`, ...(index % 7 === 0 ? ['assignee:u1'] : [])],
      county,
      status: statuses[Math.floor(index / 3) % statuses.length]!,
      open: index % 5 !== 0,
      level: index % 4,
      // Ties (every value twice), a missing key, an explicit null and text past ASCII.
      sortKey: index % 11 === 0 ? undefined : index % 13 === 0 ? null : `2026-12-${String(1 + (Math.floor(index / 2) % 28)).padStart(2, '0')}|${index % 9 === 0 ? '案' : 'a'}`,
      rank: (index * 37) % 50,
      // Dates before and after 1970 (FerretDB stores them as numbers), some rows without one.
      ...(index % 6 === 0 ? {} : { dueAt: new Date(Date.UTC(1969 + (index % 3) * 30, index % 12, 1 + (index % 27))) }),
      nested: { county },
    };
    if (row.sortKey === undefined) delete row.sortKey;
    rows.push(row);
  }
  // Same text as a list key but not an array element, and a number where a string is filtered.
  rows.push({ _id: 'decoy-string', listKeys: ['officer|county:350602x'], county: '350602 ', status: 'received', open: true, level: 1, sortKey: '2026-12-01|a', rank: 1 });
  rows.push({ _id: 'decoy-number', county: 350602 as unknown as string, status: 'received', open: true, level: 1, sortKey: '2026-12-01|a', rank: 2 });
  return rows;
}

type Filter = Record<string, unknown>;
type Sort = Record<string, 1 | -1>;

function matches(row: Row, filter: Filter): boolean {
  return Object.entries(filter).every(([key, wanted]) => {
    const value = key.includes('.') ? key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], row) : (row as unknown as Record<string, unknown>)[key];
    if (wanted instanceof Date) return value instanceof Date && value.getTime() === wanted.getTime();
    if (wanted && typeof wanted === 'object' && '$in' in wanted) return (wanted.$in as unknown[]).includes(value);
    const target = wanted && typeof wanted === 'object' && '$eq' in wanted ? wanted.$eq : wanted;
    return Array.isArray(value) ? value.includes(target) : value === target;
  });
}

/** MongoDB's order for the single-type fields used here: missing and null lowest, text by bytes. */
function compareField(a: unknown, b: unknown): number {
  const absent = (value: unknown) => value === undefined || value === null;
  if (absent(a) || absent(b)) return absent(a) === absent(b) ? 0 : absent(a) ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return (a as number) - (b as number);
}

function reference(rows: Row[], filter: Filter, sort: Sort, skip: number, limit: number): string[] {
  const found = rows.filter((row) => matches(row, filter));
  found.sort((left, right) => {
    for (const [key, direction] of Object.entries(sort)) {
      const order = compareField((left as unknown as Record<string, unknown>)[key], (right as unknown as Record<string, unknown>)[key]) * direction;
      if (order !== 0) return order;
    }
    return 0;
  });
  return found.slice(skip, limit ? skip + limit : undefined).map((row) => row._id);
}

describe('lists on the embedded store answer as MongoDB does (filter, sort, skip, limit, count)', () => {
  const rows = makeRows();
  let collection: mongoose.mongo.Collection<Row>;

  beforeAll(async () => {
    const uri = process.env.MONGODB_URI;
    if (!uri) throw new Error('MONGODB_URI is not set (global setup starts FerretDB)');
    await connectMongo({ MONGODB_URI: uri, MONGODB_DB: `list_pushdown_${process.env.JEST_WORKER_ID ?? '0'}_${Date.now()}` });
    collection = mongoose.connection.db!.collection<Row>('rows');
    // Inserted out of key order, so that a store returning rows in insertion order is caught.
    await collection.insertMany([...rows].reverse());
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });

  const count = async (filter: Filter) => {
    const answer = await mongoose.connection.db!.command({ count: 'rows', query: filter });
    return answer.n as number;
  };

  const lists: Array<{ name: string; filter: Filter; sort: Sort }> = [
    { name: 'an array field holding the key, by a unique sort key', filter: { listKeys: 'officer|county:350602' }, sort: { sortKey: 1, _id: 1 } },
    { name: 'an array field, descending (missing and null last)', filter: { listKeys: 'officer|city:3506' }, sort: { sortKey: -1, _id: -1 } },
    { name: 'two string equalities and a boolean', filter: { county: '350603', status: 'rectifying', open: true }, sort: { sortKey: 1, _id: 1 } },
    { name: 'an integer equality, sorted by an integer', filter: { level: 2 }, sort: { rank: 1, _id: 1 } },
    { name: 'a boolean, sorted by a date, latest first', filter: { open: true }, sort: { dueAt: -1, _id: 1 } },
    { name: 'a date equality (filtered after the fetch)', filter: { dueAt: new Date(Date.UTC(1999, 1, 2)) }, sort: { _id: 1 } },
    { name: '$eq spelled out', filter: { status: { $eq: 'verifying' } }, sort: { _id: 1 } },
    { name: 'no filter, sorted', filter: {}, sort: { sortKey: 1, _id: 1 } },
    { name: 'a dotted field (filtered after the fetch)', filter: { 'nested.county': '350681' }, sort: { sortKey: 1, _id: 1 } },
    { name: '$in (filtered after the fetch)', filter: { status: { $in: ['received', 'verifying'] }, county: '350602' }, sort: { sortKey: 1, _id: 1 } },
    { name: 'a key nothing holds', filter: { listKeys: 'assignee:nobody' }, sort: { sortKey: 1, _id: 1 } },
  ];

  test.each(lists)('when a list is $name, then every page holds the rows MongoDB would give, in its order', async ({ filter, sort }) => {
    for (const [skip, limit] of [[0, 20], [20, 20], [60, 7], [0, 0], [230, 50]] as const) {
      const found = await collection.find(filter, { sort, skip, limit }).toArray();
      expect({ skip, limit, ids: found.map((row) => row._id) }).toEqual({ skip, limit, ids: reference(rows, filter, sort, skip, limit) });
    }
  });

  test.each(lists)('when a list is $name, then the count command counts what the filter matches', async ({ filter }) => {
    expect(await count(filter)).toBe(reference(rows, filter, {}, 0, 0).length);
  });

  test('when pages are walked to the end, then no row repeats and none is left out', async () => {
    const filter = { listKeys: 'officer|county:350602' };
    const seen: string[] = [];
    for (let skip = 0; ; skip += 9) {
      const page = await collection.find(filter, { sort: { sortKey: 1, _id: 1 }, skip, limit: 9 }).toArray();
      if (page.length === 0) break;
      seen.push(...page.map((row) => row._id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(reference(rows, filter, { sortKey: 1, _id: 1 }, 0, 0));
  });

  test('when a single row is looked up by a field (findOne), then it is the first in sort order', async () => {
    const first = await collection.findOne({ county: '350681', open: false }, { sort: { rank: -1, _id: 1 } });
    expect(first?._id).toBe(reference(rows, { county: '350681', open: false }, { rank: -1, _id: 1 }, 0, 1)[0]);
  });
});

import { gzipSync } from 'node:zlib';

/**
 * Requests a hostile or broken client sends, each with the answers it may get. A plain array of
 * plain objects so that the suite's tests and the drills share it. Every request is sent with the
 * officer's bearer token unless its headers set `authorization` (an empty value sends none).
 * Whatever the case, the answer must never be a 5xx, and an /api answer is JSON {error, code}.
 */
export interface FuzzCase {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Statuses that count as handled. */
  expect: readonly number[];
}

const json = { 'content-type': 'application/json' };
const validIntake = (key: string, extra: Record<string, unknown> = {}) => ({
  channel: 'hotline',
  category: 'water',
  description: '演练：排污口排放污水',
  location: { address: '漳州市芗城区东铺头街道演练点', regionCode: '350602001', coordinates: { lng: 117.9, lat: 24.9 } },
  reporter: { anonymous: true },
  idempotencyKey: key,
  ...extra,
});
const manyFields = Array.from({ length: 1_500 }, (_, index) => `f${index}=${index}`).join('&');

export const fuzzCorpus: readonly FuzzCase[] = [
  { name: 'broken JSON', method: 'POST', path: '/api/intakes', headers: json, body: '{"channel":"hotline",', expect: [400] },
  { name: 'JSON body over 1 MB', method: 'POST', path: '/api/intakes', headers: json, body: JSON.stringify(validIntake('fuzz-large-0001', { description: 'x'.repeat(1_200_000) })), expect: [413] },
  { name: 'more than 1000 form fields', method: 'POST', path: '/api/intakes', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: manyFields, expect: [413, 415, 400] },
  { name: 'charset=latin9', method: 'POST', path: '/api/intakes', headers: { 'content-type': 'application/json; charset=latin9' }, body: JSON.stringify(validIntake('fuzz-latin9-0001')), expect: [415] },
  { name: 'Content-Encoding: bogus', method: 'POST', path: '/api/intakes', headers: { ...json, 'content-encoding': 'bogus' }, body: JSON.stringify(validIntake('fuzz-bogus-0001')), expect: [415] },
  { name: 'Content-Encoding: gzip, body not gzip', method: 'POST', path: '/api/intakes', headers: { ...json, 'content-encoding': 'gzip' }, body: JSON.stringify(validIntake('fuzz-gzip-0001')), expect: [400] },
  { name: 'Content-Encoding: gzip, gzipped broken JSON', method: 'POST', path: '/api/intakes', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync('{"channel":'), expect: [400] },
  { name: 'bad %-encoding in a case id', method: 'GET', path: '/api/cases/%zz', headers: {}, expect: [400, 404] },
  { name: 'bad %-encoding in an action path', method: 'POST', path: '/api/cases/%zz/actions', headers: json, body: '{"action":"escalate","reason":"x"}', expect: [400, 404] },
  { name: 'NUL and invalid UTF-8 in a case id', method: 'GET', path: '/api/cases/%00%ff', headers: {}, expect: [400, 404] },
  { name: '%u escape in a document id', method: 'GET', path: '/api/documents/%u0000/pdf', headers: {}, expect: [400, 404] },
  { name: 'lone surrogate in a login name', method: 'POST', path: '/api/auth/login', headers: { ...json, authorization: '' }, body: '{"username":"x\\ud800y","password":"z"}', expect: [400, 401] },
  { name: 'lone surrogate in an intake description', method: 'POST', path: '/api/intakes', headers: json, body: JSON.stringify(validIntake('fuzz-surrogate-0001')).replace('演练：排污口排放污水', '演练\\udc00污水'), expect: [400] },
  { name: 'NUL in an intake description', method: 'POST', path: '/api/intakes', headers: json, body: JSON.stringify(validIntake('fuzz-nul-0001', { description: '演练\u0000污水' })), expect: [400] },
  { name: 'invalid UTF-8 bytes in JSON', method: 'POST', path: '/api/intakes', headers: json, body: Buffer.concat([Buffer.from('{"channel":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]), expect: [400] },
  { name: 'unknown fields in an intake', method: 'POST', path: '/api/intakes', headers: json, body: JSON.stringify(validIntake('fuzz-unknown-0001', { isAdmin: true, caseNo: 'X-1', $where: '1' })), expect: [200, 201, 400] },
  { name: 'unknown case action', method: 'POST', path: '/api/cases/0000000000000000000a/actions', headers: json, body: '{"action":"dropDatabase"}', expect: [400, 404] },
  { name: 'JSON array instead of an object', method: 'POST', path: '/api/intakes', headers: json, body: '[1,2,3]', expect: [400] },
  { name: 'JSON null', method: 'POST', path: '/api/intakes', headers: json, body: 'null', expect: [400] },
  { name: 'deeply nested JSON', method: 'POST', path: '/api/intakes', headers: json, body: `${'['.repeat(5_000)}${']'.repeat(5_000)}`, expect: [400] },
  { name: 'wrong types in an intake', method: 'POST', path: '/api/intakes', headers: json, body: JSON.stringify(validIntake('fuzz-types-0001', { location: { address: 1, regionCode: ['350602001'], coordinates: { lng: 'e', lat: null } } })), expect: [400] },
  { name: 'operator object as an id', method: 'POST', path: '/api/intakes', headers: json, body: JSON.stringify(validIntake('fuzz-op-0001', { idempotencyKey: { $gt: '' } })), expect: [400] },
  { name: 'repeated query parameters', method: 'GET', path: '/api/cases?page=1&page=2&status[$ne]=x', headers: {}, expect: [400] },
  { name: 'page size out of range', method: 'GET', path: '/api/tasks?pageSize=100000', headers: {}, expect: [400] },
  { name: 'no token on a write', method: 'POST', path: '/api/intakes', headers: { ...json, authorization: '' }, body: JSON.stringify(validIntake('fuzz-anon-0001')), expect: [401] },
  { name: 'garbage bearer token', method: 'GET', path: '/api/me', headers: { authorization: 'Bearer not-a-token-%%' }, expect: [400, 401] },
  { name: 'form post without a token', method: 'POST', path: '/api/intakes', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: '' }, body: 'channel=hotline', expect: [401, 415] },
];

/** A small, varied slice for the suite's short drill. */
export const fuzzCorpusSlice: readonly FuzzCase[] = fuzzCorpus.filter((_, index) => index % 3 === 0);

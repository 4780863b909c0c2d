import http from 'node:http';
import { gzipSync } from 'node:zlib';

/**
 * Malformed requests that once answered 500 (Issue 10, item 5: oversized bodies, too many
 * form fields, unknown charsets and content encodings, broken JSON, bad %-encoding and
 * odd bytes in ids), each with the 4xx the hardened app answers. Plain data, so the fuzz
 * drills can replay the same cases; `sendFuzzCase` sends one byte for byte (no client-side
 * re-encoding of the path).
 */
export interface FuzzCase {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Sent as is, percent signs and all. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  expectStatus: number;
  /** Who sends it: a logged-in officer (Bearer for /api, the session cookie for pages) or nobody. */
  as: 'officer' | 'anonymous';
  /** Pages answer HTML, the API JSON. */
  expectType: 'json' | 'html';
}

const json = { 'Content-Type': 'application/json' };
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
const html = { Accept: 'text/html' };
const overOneMegabyte = 1024 * 1024 + 1024;

function text(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

function bigJson(): Buffer {
  return text(JSON.stringify({ channel: 'hotline', description: 'x'.repeat(overOneMegabyte) }));
}

export const fuzzCorpus: readonly FuzzCase[] = [
  // Bodies over the 1 MB limit, as sent and after inflating.
  { name: 'JSON intake over 1 MB', method: 'POST', path: '/api/intakes', headers: json, body: bigJson(), expectStatus: 413, as: 'officer', expectType: 'json' },
  { name: 'JSON login over 1 MB', method: 'POST', path: '/api/auth/login', headers: json, body: bigJson(), expectStatus: 413, as: 'anonymous', expectType: 'json' },
  { name: 'gzip body that inflates past 1 MB', method: 'POST', path: '/api/intakes', headers: { ...json, 'Content-Encoding': 'gzip' }, body: gzipSync(bigJson()), expectStatus: 413, as: 'officer', expectType: 'json' },
  { name: 'login form over 1 MB', method: 'POST', path: '/login', headers: { ...form, ...html }, body: text(`username=${'x'.repeat(overOneMegabyte)}`), expectStatus: 413, as: 'anonymous', expectType: 'html' },
  { name: 'login form with 1,001 fields', method: 'POST', path: '/login', headers: { ...form, ...html }, body: text(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&')), expectStatus: 413, as: 'anonymous', expectType: 'html' },
  { name: 'case action form with 1,001 fields', method: 'POST', path: '/cases/0123456789abcdef0123/actions/acknowledge', headers: { ...form, ...html }, body: text(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&')), expectStatus: 413, as: 'officer', expectType: 'html' },
  // Charsets and encodings nobody here speaks.
  { name: 'JSON in latin9', method: 'POST', path: '/api/intakes', headers: { 'Content-Type': 'application/json; charset=latin9' }, body: text('{"channel":"hotline"}'), expectStatus: 415, as: 'officer', expectType: 'json' },
  { name: 'login JSON in latin9', method: 'POST', path: '/api/auth/login', headers: { 'Content-Type': 'application/json; charset=latin9' }, body: text('{"username":"officer","password":"x"}'), expectStatus: 415, as: 'anonymous', expectType: 'json' },
  { name: 'login form in latin9', method: 'POST', path: '/login', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=latin9', ...html }, body: text('username=officer&password=x'), expectStatus: 415, as: 'anonymous', expectType: 'html' },
  { name: 'Content-Encoding bogus', method: 'POST', path: '/api/intakes', headers: { ...json, 'Content-Encoding': 'bogus' }, body: text('{}'), expectStatus: 415, as: 'officer', expectType: 'json' },
  { name: 'Content-Encoding bogus on the login page', method: 'POST', path: '/login', headers: { ...form, ...html, 'Content-Encoding': 'bogus' }, body: text('username=a'), expectStatus: 415, as: 'anonymous', expectType: 'html' },
  { name: 'Content-Encoding gzip over bytes that are not gzip', method: 'POST', path: '/api/intakes', headers: { ...json, 'Content-Encoding': 'gzip' }, body: text('{"channel":"hotline"}'), expectStatus: 400, as: 'officer', expectType: 'json' },
  { name: 'Content-Encoding gzip over plain text at login', method: 'POST', path: '/api/auth/login', headers: { ...json, 'Content-Encoding': 'gzip' }, body: text('{"username":"officer"}'), expectStatus: 400, as: 'anonymous', expectType: 'json' },
  // Broken JSON.
  { name: 'truncated JSON', method: 'POST', path: '/api/intakes', headers: json, body: text('{"channel":'), expectStatus: 400, as: 'officer', expectType: 'json' },
  { name: 'truncated JSON at login', method: 'POST', path: '/api/auth/login', headers: json, body: text('{"username":"officer",'), expectStatus: 400, as: 'anonymous', expectType: 'json' },
  { name: 'gzip of truncated JSON', method: 'POST', path: '/api/intakes', headers: { ...json, 'Content-Encoding': 'gzip' }, body: gzipSync(text('{"channel":')), expectStatus: 400, as: 'officer', expectType: 'json' },
  { name: 'JSON action on a case with invalid bytes', method: 'POST', path: '/api/cases/0123456789abcdef0123/actions', headers: json, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22]), expectStatus: 400, as: 'officer', expectType: 'json' },
  // Ids with bad %-encoding: the router cannot decode them.
  { name: 'case action on /api/cases/%zz', method: 'POST', path: '/api/cases/%zz/actions', headers: json, body: text('{"action":"acknowledge"}'), expectStatus: 400, as: 'officer', expectType: 'json' },
  { name: 'case /api/cases/%00%ff', method: 'GET', path: '/api/cases/%00%ff', headers: {}, expectStatus: 400, as: 'officer', expectType: 'json' },
  { name: 'document /api/documents/%u0000/pdf', method: 'GET', path: '/api/documents/%u0000/pdf', headers: {}, expectStatus: 400, as: 'officer', expectType: 'json' },
  { name: 'referral /api/referrals/%E4%B8', method: 'GET', path: '/api/referrals/%E4%B8', headers: {}, expectStatus: 400, as: 'officer', expectType: 'json' },
  { name: 'case page /cases/%zz', method: 'GET', path: '/cases/%zz', headers: html, expectStatus: 400, as: 'officer', expectType: 'html' },
  { name: 'referral page /referrals/%ff', method: 'GET', path: '/referrals/%ff', headers: html, expectStatus: 400, as: 'officer', expectType: 'html' },
  // Ids that decode, but to something no id looks like: refused before any lookup.
  { name: 'case /api/cases/%00', method: 'GET', path: '/api/cases/%00', headers: {}, expectStatus: 404, as: 'officer', expectType: 'json' },
  { name: 'case documents /api/cases/%00/documents', method: 'GET', path: '/api/cases/%00/documents', headers: {}, expectStatus: 404, as: 'officer', expectType: 'json' },
  { name: 'case action on /api/cases/%00', method: 'POST', path: '/api/cases/%00/actions', headers: json, body: text('{"action":"acknowledge"}'), expectStatus: 404, as: 'officer', expectType: 'json' },
  { name: 'case /api/cases/ with Chinese', method: 'GET', path: '/api/cases/%E4%B8%AD%E6%96%87', headers: {}, expectStatus: 404, as: 'officer', expectType: 'json' },
  { name: 'document /api/documents/%00/pdf', method: 'GET', path: '/api/documents/%00/pdf', headers: {}, expectStatus: 404, as: 'officer', expectType: 'json' },
  { name: 'referral /api/referrals/%00', method: 'GET', path: '/api/referrals/%00', headers: {}, expectStatus: 404, as: 'officer', expectType: 'json' },
  { name: 'case page /cases/%00', method: 'GET', path: '/cases/%00', headers: html, expectStatus: 404, as: 'officer', expectType: 'html' },
  { name: 'referral page /referrals/%00-1', method: 'GET', path: '/referrals/%00-1', headers: html, expectStatus: 404, as: 'officer', expectType: 'html' },
];

export interface FuzzResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Sends one case to a listening app; `credentials` are the headers that log the sender in. */
export function sendFuzzCase(baseUrl: string, fuzzCase: FuzzCase, credentials: Record<string, string> = {}): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: fuzzCase.method,
        path: fuzzCase.path,
        headers: { ...fuzzCase.headers, ...credentials, ...(fuzzCase.body ? { 'Content-Length': String(fuzzCase.body.length) } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(fuzzCase.body);
  });
}

import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import request from 'supertest';
import { buildOpenApiDocument } from '../../api/openapi';

/**
 * Checks HTTP answers against the published OpenAPI document: the status must be one the
 * operation lists, and a JSON body must match that status's schema. Integration tests route
 * their calls through `contractRequest`, so a route that answers an undocumented status (a 500,
 * say) or drops a documented field fails the test that made the call.
 */

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

const documentId = 'https://envcase.invalid/openapi.json';
const document = buildOpenApiDocument() as unknown as OpenApiDocument;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The whole document as one schema resource, so `#/components/schemas/…` inside each response
// schema resolves against it exactly as OpenAPI tools resolve it.
ajv.addSchema(document as object, documentId);
const validators = new Map<string, ValidateFunction>();

const pointerSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The document's path template for a concrete path, e.g. /api/cases/{caseId} for /api/cases/abc. */
export function matchPathTemplate(path: string): string | undefined {
  const segments = path.split('?')[0]!.split('/');
  const candidates = Object.keys(document.paths).filter((template) => {
    const parts = template.split('/');
    return parts.length === segments.length && parts.every((part, index) => part.startsWith('{') || part === segments[index]);
  });
  // A literal segment beats a parameter: /api/cases/x/actions, not a template of the same length with {…} there.
  const literalCount = (template: string) => template.split('/').filter((part) => !part.startsWith('{')).length;
  return candidates.sort((a, b) => literalCount(b) - literalCount(a))[0];
}

export interface ContractResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Problems of one answer against the document; empty when it conforms. */
export function contractViolations(method: string, path: string, response: ContractResponse): string[] {
  const what = `${method.toUpperCase()} ${path} → ${response.status}`;
  const template = matchPathTemplate(path);
  if (!template) return [`${what}: the path is not in /api/openapi.json`];
  const operation = document.paths[template]![method.toLowerCase()];
  if (!operation) return [`${what}: ${method.toUpperCase()} ${template} is not in /api/openapi.json`];
  const documented = operation.responses?.[String(response.status)];
  if (!documented) {
    return [`${what}: status ${response.status} is not documented for ${method.toUpperCase()} ${template} (documented: ${Object.keys(operation.responses ?? {}).join(', ')}); body ${JSON.stringify(response.body)?.slice(0, 300)}`];
  }
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/json')) {
    if (documented.content?.['application/json']) return [`${what}: documented as JSON, answered ${contentType || 'no body'}`];
    return [];
  }
  if (!documented.content?.['application/json']?.schema) return [`${what}: answered JSON, but the document gives no JSON schema for it`];
  const pointer = ['paths', template, method.toLowerCase(), 'responses', String(response.status), 'content', 'application/json', 'schema'].map(pointerSegment).join('/');
  const key = `${documentId}#/${pointer}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: key });
    validators.set(key, validate);
  }
  if (validate(response.body)) return [];
  return (validate.errors ?? []).map((error) => `${what}: body${error.instancePath} ${error.message} (${error.schemaPath})`);
}

export function assertConformsToContract(method: string, path: string, response: ContractResponse): void {
  const violations = contractViolations(method, path, response);
  if (violations.length > 0) throw new Error(`response does not match /api/openapi.json:\n  ${violations.join('\n  ')}`);
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * supertest for `app` whose every answer is checked against the document before the test sees
 * it; `.set`, `.send`, `.expect` and `await` work as with plain supertest.
 */
export function contractRequest(app: Express): Record<Method, (path: string) => request.Test> {
  const agent = request(app);
  const call = (method: Method) => (path: string) => agent[method](path).expect((response) => assertConformsToContract(method, path, response));
  return { get: call('get'), post: call('post'), put: call('put'), patch: call('patch'), delete: call('delete') };
}

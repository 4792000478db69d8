import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { call } from './http';

/** The parts of an OpenAPI 3.1 document the matcher reads. */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation | undefined>>;
  components?: { schemas?: Record<string, unknown> };
}

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** A response as the matcher needs it; the body is read once by the caller. */
export interface ObservedResponse {
  status: number;
  headers: Headers;
  text: string;
}

const COMPONENTS_ID = 'openapi-components.json';
/** OpenAPI's own keywords, which are not JSON Schema's. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

/**
 * Copies a schema with `#/components/schemas/X` refs pointed at the shared components schema, and
 * every object closed (`additionalProperties: false` where the document says nothing): a field the
 * API sends but does not document fails the match too.
 */
function prepare(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(prepare);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      copy.$ref = `${COMPONENTS_ID}#/$defs/${value.slice('#/components/schemas/'.length)}`;
    } else if (key === 'properties' && value !== null && typeof value === 'object') {
      // property names are not schemas: only their values are
      copy.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, prepare(property)]));
    } else {
      copy[key] = prepare(value);
    }
  }
  const isObject = copy.type === 'object' || 'properties' in copy;
  if (isObject && !('additionalProperties' in copy) && !('allOf' in copy) && !('unevaluatedProperties' in copy)) copy.additionalProperties = false;
  return copy;
}

/** `/jobs/{id}/result` as a pattern; literal segments count so that the most specific path wins. */
function pathPattern(template: string): { pattern: RegExp; literals: number } {
  const segments = template.split('/').filter((segment) => segment !== '');
  const pattern = segments.map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return { pattern: new RegExp(`^/${pattern.join('/')}$`), literals: segments.filter((segment) => !segment.startsWith('{')).length };
}

/**
 * Checks real responses against the OpenAPI document the service serves: the path and method
 * must be documented, the status too (an undocumented status fails), the content type must be
 * one the document lists for that status (or no body where it lists none), and the body must
 * validate against its JSON Schema (OpenAPI 3.1 = JSON Schema 2020-12).
 */
export class OpenApiMatcher {
  private readonly ajv: Ajv2020;
  private readonly paths: { template: string; pattern: RegExp; literals: number }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    if (!document.openapi.startsWith('3.1')) throw new Error(`expected an OpenAPI 3.1 document, got ${document.openapi}`);
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addVocabulary(OPENAPI_KEYWORDS);
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: prepare(document.components?.schemas ?? {}) });
    this.paths = Object.keys(document.paths)
      .map((template) => ({ template, ...pathPattern(template) }))
      .sort((a, b) => b.literals - a.literals);
  }

  static async fromService(baseUrl: string): Promise<OpenApiMatcher> {
    const response = await fetch(`${baseUrl}/openapi.json`);
    if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
    return new OpenApiMatcher((await response.json()) as OpenApiDocument);
  }

  /** The document's path template for a request path (query string ignored), or undefined. */
  templateOf(path: string): string | undefined {
    const pathname = new URL(path, 'http://service').pathname;
    return this.paths.find((entry) => entry.pattern.test(pathname))?.template;
  }

  /** The problems of one response; empty when it matches the document. */
  problems(method: string, path: string, response: ObservedResponse): string[] {
    const where = `${method.toUpperCase()} ${path} -> ${response.status}`;
    const template = this.templateOf(path);
    if (template === undefined) return [`${where}: the path is not in the document`];
    const operation = this.document.paths[template][method.toLowerCase()];
    if (operation === undefined) return [`${where}: ${method.toUpperCase()} ${template} is not in the document`];
    const documented = operation.responses[String(response.status)];
    if (documented === undefined) {
      return [`${where}: status ${response.status} is not documented for ${method.toUpperCase()} ${template} (documented: ${Object.keys(operation.responses).join(', ')})`];
    }
    const content = documented.content ?? {};
    const contentType = response.headers.get('content-type');
    if (Object.keys(content).length === 0) {
      return response.text === '' ? [] : [`${where}: the document says no body, the response has ${response.text.length} characters (${contentType})`];
    }
    const mediaType = contentType?.split(';')[0].trim().toLowerCase();
    if (mediaType === undefined || content[mediaType] === undefined) {
      return [`${where}: content type ${contentType} is not documented (documented: ${Object.keys(content).join(', ')})`];
    }
    const schema = content[mediaType].schema;
    if (schema === undefined) return [];
    let body: unknown = response.text;
    if (/^application\/([\w.-]+\+)?json$/.test(mediaType)) {
      try {
        body = JSON.parse(response.text);
      } catch {
        return [`${where}: the body is not JSON: ${response.text.slice(0, 200)}`];
      }
    }
    const validate = this.validator(`${template} ${method} ${response.status} ${mediaType}`, schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${where}: body${error.instancePath} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`);
  }

  /** Throws, listing the problems, when a response does not match the document. */
  expectMatch(method: string, path: string, response: ObservedResponse): void {
    const problems = this.problems(method, path, response);
    if (problems.length > 0) throw new Error(`the response does not match /openapi.json:\n${problems.join('\n')}`);
  }

  /** `call` of support/http that also checks every answer against the document. */
  checkedCall(): typeof call {
    return async (baseUrl, path, init = {}) => {
      const response = await call(baseUrl, path, init);
      this.expectMatch(init.method ?? 'GET', path, response);
      return response;
    };
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(prepare(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

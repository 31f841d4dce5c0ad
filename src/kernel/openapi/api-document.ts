import { Injectable } from '@nestjs/common';
import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';

type Json = Record<string, unknown>;

/**
 * The OpenAPI document this instance serves at /docs-json, for the parts of the API that describe
 * the API (the action schemas of /meta/state-machines): what they say is the document itself.
 */
@Injectable()
export class ApiDocument {
  private doc: OpenAPIObject | null = null;
  private readonly inputs = new Map<string, Json | null>();

  set(doc: OpenAPIObject): void {
    this.doc = doc;
    this.inputs.clear();
  }

  /**
   * The JSON Schema of the body of `POST /api/v1/{collection}/{id}/{action}` exactly as the
   * document gives it, with its `$ref`s resolved so that it stands alone; the route of the action
   * itself, else the collection's generic `{action}` route; null when there is neither.
   */
  actionInput(collection: string, action: string): Json | null {
    const key = `${collection} ${action}`;
    if (!this.inputs.has(key)) {
      const paths = this.doc?.paths ?? {};
      const op: OperationObject | undefined = paths[`/api/v1/${collection}/{id}/${action}`]?.post ?? paths[`/api/v1/${collection}/{id}/{action}`]?.post;
      const body = op?.requestBody && !('$ref' in op.requestBody) ? op.requestBody : undefined;
      // JSON as a rule; an action taking an upload has its multipart form instead
      const schema = (body?.content['application/json'] ?? Object.values(body?.content ?? {})[0])?.schema;
      this.inputs.set(key, schema ? (this.resolve(schema, []) as Json) : null);
    }
    return this.inputs.get(key) ?? null;
  }

  private resolve(node: unknown, seen: string[]): unknown {
    if (Array.isArray(node)) return node.map((n) => this.resolve(n, seen));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      // a schema that contains itself stays a reference (none does today)
      if (seen.includes(name)) return node;
      return this.resolve(this.doc?.components?.schemas?.[name] ?? {}, [...seen, name]);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, this.resolve(v, seen)]));
  }
}

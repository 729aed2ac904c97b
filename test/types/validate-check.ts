// Type tests: the package's StandardSchemaV1 matches @standard-schema/spec's both ways (so
// schemas of every library fit, and a function typed with ours takes the spec's), and
// xlinkCheck's result is typed from its schema.
import type { StandardSchemaV1 as Spec } from '@standard-schema/spec';
import { type } from 'arktype';
import * as v from 'valibot';
import { z } from 'zod';
import { isStandardSchema, xlinkCheck, type StandardSchemaV1, type XlinkSchemaIssue, type XlinkSchemaType, type XlinkValidationError } from 'xlink-errors';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}
type Extends<A, B> = [A] extends [B] ? true : false;

assertType<Extends<Spec<string, number>, StandardSchemaV1<string, number>>>();
assertType<Extends<StandardSchemaV1<string, number>, Spec<string, number>>>();
assertType<Extends<Spec.Issue, StandardSchemaV1.Issue>>();
assertType<Extends<StandardSchemaV1.Result<number>, Spec.Result<number>>>();
assertType<Extends<Spec.Result<number>, StandardSchemaV1.Result<number>>>();
assertType<Equal<StandardSchemaV1.InferOutput<Spec<string, number>>, number>>();

const zod = z.object({ limit: z.coerce.number() });
const ours: StandardSchemaV1<unknown, { limit: number }> = zod;
void ours;
assertType<Equal<XlinkSchemaType<typeof zod>, { limit: number }>>();
assertType<Equal<XlinkSchemaType<ReturnType<typeof v.string>>, string>>();
assertType<Equal<XlinkSchemaType<typeof arkName>, { name: string }>>();
const arkName = type({ name: 'string' });

async function handler(body: unknown, query: unknown) {
  const login = await xlinkCheck(z.object({ password: z.string() }), body);
  assertType<Equal<typeof login, { password: string }>>();
  const q = xlinkCheck({ type: 'object', properties: { limit: { type: 'integer' } }, required: ['limit'] } as const, query, 'query');
  assertType<Equal<typeof q.limit, number>>(); // a JSON Schema is checked synchronously: no promise
  // @ts-expect-error not a request part
  xlinkCheck(zod, query, 'cookies');
  // @ts-expect-error the schema has no such property
  void login.email;
}
void handler;

function log(err: XlinkValidationError) {
  for (const issue of err.validation.errors) {
    if ('instancePath' in issue) void issue.keyword; // ajv's
    else {
      const standard: XlinkSchemaIssue = issue;
      void standard.path.join('.');
    }
  }
}
void log;
const maybe: unknown = zod;
if (isStandardSchema(maybe)) void maybe['~standard'].vendor;

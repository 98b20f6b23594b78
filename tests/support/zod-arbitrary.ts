import fc from 'fast-check';
import { z } from 'zod';

/**
 * fast-check arbitraries from the shared zod schemas, for fuzzing. zod-fast-check reads zod 3's
 * internals and does not support zod 4, so this goes through zod 4's own public JSON Schema output
 * (z.toJSONSchema) and covers the keywords it emits for our schemas. Refinements that JSON Schema
 * cannot say (an email check, the password policy) are not modelled: those values come out
 * plausible rather than always valid, which suits a fuzzer.
 */

type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
};

/** Longest string or array made, whatever the schema allows: fuzz inputs stay small and fast. */
const STRING_CAP = 80;
const ARRAY_CAP = 3;

export function zodArbitrary(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fromJsonSchema(
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
  );
}

/** The keywords z.toJSONSchema emits for our schemas; any other fails loudly, to be added here. */
function fromJsonSchema(s: JsonSchema): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const choices = s.anyOf ?? s.oneOf;
  if (choices) return fc.oneof(...choices.map(fromJsonSchema));
  switch (s.type) {
    case undefined:
      return fc.jsonValue({ maxDepth: 2 });
    case 'string':
      return stringArbitrary(s);
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e9);
      return fc.integer({ min, max: Math.min(s.maximum ?? 1e9, Number.MAX_SAFE_INTEGER) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? fromJsonSchema(s.items) : fc.jsonValue({ maxDepth: 2 }), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? ARRAY_CAP, ARRAY_CAP)),
      });
    case 'object':
      return objectArbitrary(s);
    default:
      throw new Error(`zodArbitrary: no generator for ${JSON.stringify(s).slice(0, 200)}`);
  }
}

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? STRING_CAP, STRING_CAP));
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'date-time') {
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  const base = s.pattern
    ? fc.stringMatching(new RegExp(s.pattern)).map((v) => v.slice(0, max))
    : fc.string({ minLength: min, maxLength: max, unit: 'binary' });
  return base.filter((v) => v.length >= min);
}

const TAG = fc.stringMatching(/^[a-z0-9][a-z0-9_.:/-]{0,15}$/);
const WORD = fc.stringMatching(/^[a-z0-9]{1,12}$/);

/** Refinements JSON Schema cannot say (email, tag, https address), by the field's name. */
const BY_NAME: Array<[RegExp, (s: JsonSchema) => fc.Arbitrary<unknown>]> = [
  [/^(email|newEmail)$/, () => fc.tuple(WORD, WORD).map(([user, host]) => `${user}@${host}.test`)],
  [
    /^(tag|tags|addTags|removeTags)$/,
    (s) => fc.array(TAG, { minLength: s.minItems ?? 0, maxLength: ARRAY_CAP }),
  ],
  [/^serverUrl$/, () => fc.constantFrom('https://help.example.test', 'https://127.0.0.1:8443')],
];

function objectArbitrary(s: JsonSchema): fc.Arbitrary<unknown> {
  const properties = Object.entries(s.properties ?? {});
  if (properties.length === 0) {
    if (s.additionalProperties === false) return fc.constant({});
    return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    });
  }
  const shape = Object.fromEntries(
    properties.map(([k, v]) => [
      k,
      BY_NAME.find(([name]) => name.test(k))?.[1](v) ?? fromJsonSchema(v),
    ]),
  );
  return fc.record(shape, { requiredKeys: (s.required ?? []).filter((k) => k in shape) });
}

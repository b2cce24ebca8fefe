/**
 * A small validator for the Swagger 2.0 schema subset ARM specs use (type, format, enum / x-ms-enum, properties,
 * required, additionalProperties, items, allOf, $ref, x-nullable, maxLength), with objects closed: a property the
 * schema does not document is an error. Definitions come as one flat map (test/fixtures/reference/azure-openapi/).
 */
export interface OpenApiSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  'x-ms-enum'?: { modelAsString?: boolean };
  'x-nullable'?: boolean;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  allOf?: OpenApiSchema[];
  maxLength?: number;
}

export type Definitions = Record<string, OpenApiSchema>;

/** Properties and required names of an object schema, its allOf parents included. */
function flatten(
  schema: OpenApiSchema,
  defs: Definitions,
  seen = new Set<string>(),
): { properties: Record<string, OpenApiSchema>; required: string[] } {
  const properties: Record<string, OpenApiSchema> = {};
  const required: string[] = [];
  for (const parent of schema.allOf ?? []) {
    const p = parent.$ref ? defs[parent.$ref] : parent;
    if (!p || (parent.$ref && seen.has(parent.$ref))) continue;
    if (parent.$ref) seen.add(parent.$ref);
    const f = flatten(p, defs, seen);
    Object.assign(properties, f.properties);
    required.push(...f.required);
  }
  Object.assign(properties, schema.properties ?? {});
  required.push(...(schema.required ?? []));
  return { properties, required };
}

/** Every way `value` breaks `schema`, as `path: problem` lines (empty when it conforms). */
export function validate(value: unknown, schema: OpenApiSchema, defs: Definitions, path = '$'): string[] {
  if (schema.$ref) {
    const target = defs[schema.$ref];
    if (!target) return [`${path}: schema ${schema.$ref} is not vendored`];
    if (value === null && schema['x-nullable']) return [];
    return validate(value, target, defs, path);
  }
  if (value === null) return schema['x-nullable'] ? [] : [`${path}: null where the spec does not allow it`];
  const isObjectSchema = schema.type === 'object' || schema.properties !== undefined || schema.allOf !== undefined;
  if (!schema.type && !isObjectSchema && !schema.items) return []; // `{}`: any value
  const problems: string[] = [];
  switch (schema.type ?? (isObjectSchema ? 'object' : 'array')) {
    case 'string': {
      if (typeof value !== 'string') return [`${path}: expected a string, got ${JSON.stringify(value)}`];
      const open = schema['x-ms-enum']?.modelAsString === true;
      if (schema.enum && !open && !schema.enum.includes(value))
        problems.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value)))
        problems.push(`${path}: ${JSON.stringify(value)} is not a date-time`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
      return problems;
    }
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      return value.flatMap((v, i) => (schema.items ? validate(v, schema.items, defs, `${path}[${i}]`) : []));
    default: {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      const o = value as Record<string, unknown>;
      const { properties, required } = flatten(schema, defs);
      for (const r of required) if (!(r in o)) problems.push(`${path}.${r}: required by the spec, missing`);
      for (const [k, v] of Object.entries(o)) {
        const p = properties[k];
        if (p) problems.push(...validate(v, p, defs, `${path}.${k}`));
        else if (typeof schema.additionalProperties === 'object')
          problems.push(...validate(v, schema.additionalProperties, defs, `${path}.${k}`));
        else if (schema.additionalProperties !== true) problems.push(`${path}.${k}: not documented by the spec`);
      }
      return problems;
    }
  }
}

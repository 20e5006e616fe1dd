/**
 * Reads fields of a body that may break its schema, for the rules a schema cannot say to run
 * beside the schema's own checks, so that one 400 lists every problem. A field of the wrong type
 * reads as absent, and a wrong list entry as an empty string at its own index: the schema reports
 * those, and readBody drops the rules' problems at the same targets.
 */

export function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function asStringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : '')) : undefined;
}

/**
 * A fast "is this entity valid as it is?" for the zod schemas of model.ts, used on data the
 * loader owns (parsed from JSON): zod's parse allocates a copy of every object, and at a million
 * entities it was a sixth of the load and a fifth of the loaded dataset's heap (its objects keep
 * room for more properties than they have). When the check passes, the defaults zod would fill
 * in are set on the input itself, which then is the entity: equal, field for field, to what zod
 * returns. When it fails, the entity goes through zod as before, for zod's messages.
 *
 * The check is compiled from the schemas, so it follows them: it knows strict objects, strings,
 * arrays, unions, optional fields, defaults, enums and template literals with their length
 * checks, and a schema with anything else is left to zod entirely (`compileCheck` returns
 * undefined). It must never pass what zod would reject; tests/graph/fast-check.test.ts holds it
 * to zod on every entity of the built-in dataset and on many broken variants of them.
 */
import type { z } from "zod";
import { codePointLength } from "./model.js";

/** True when `value` is valid; then its missing defaults have been filled in (see `fill`). */
export type Check = (value: unknown) => boolean;

interface Compiled {
  /** Whether the value is valid; never changes it. */
  test(value: unknown): boolean;
  /** Sets the defaults a valid value lacks, in place. */
  fill?(value: unknown): void;
}

class Unsupported extends Error {}

/** A check for `schema`, or undefined when the schema uses something this module does not know. */
export function compileCheck(schema: z.ZodType): Check | undefined {
  let compiled: Compiled;
  try {
    compiled = compile(schema);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const { test, fill } = compiled;
  return fill ? (value) => test(value) && (fill(value), true) : test;
}

/** The zod 4 definition of a schema: its `type` and what that type needs. */
interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number } } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string | number>;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The lengths a string or array schema allows (its only supported checks: min and max length). */
function lengthBounds(def: Def): { minimum: number; maximum: number } {
  let minimum = 0;
  let maximum = Number.POSITIVE_INFINITY;
  for (const check of def.checks ?? []) {
    const { check: kind, minimum: min, maximum: max } = check._zod.def;
    if (kind === "min_length" && typeof min === "number") minimum = Math.max(minimum, min);
    else if (kind === "max_length" && typeof max === "number") maximum = Math.min(maximum, max);
    else throw new Unsupported();
  }
  return { minimum, maximum };
}

/** A default shared by every value that lacks the field: an empty list, frozen as the graph is. */
const EMPTY_LIST: readonly unknown[] = Object.freeze([]);

function compile(schema: z.ZodType): Compiled {
  const def = defOf(schema);
  switch (def.type) {
    case "string": {
      // a regex check (`z.string().regex(...)`) is tested as zod tests it; any other check is unsupported
      const patterns: RegExp[] = [];
      const lengthChecks = (def.checks ?? []).filter((check) => {
        const checkDef = check._zod.def as { check?: string; format?: string; pattern?: unknown };
        if (checkDef.check !== "string_format" || checkDef.format !== "regex") return true;
        if (
          !(checkDef.pattern instanceof RegExp) ||
          checkDef.pattern.global ||
          checkDef.pattern.sticky
        )
          throw new Unsupported();
        patterns.push(checkDef.pattern);
        return false;
      });
      const { minimum, maximum } = lengthBounds({ ...def, checks: lengthChecks });
      // in code points, as zod counts a string's length: counted only where the units leave it in doubt
      const fits = (v: string) =>
        (v.length <= maximum || codePointLength(v) <= maximum) &&
        v.length >= minimum &&
        (v.length >= minimum * 2 || codePointLength(v) >= minimum);
      return {
        test: (v) => typeof v === "string" && fits(v) && patterns.every((p) => p.test(v)),
      };
    }
    case "template_literal": {
      if (def.checks?.length) throw new Unsupported();
      const pattern = (schema as unknown as { _zod: { pattern?: RegExp } })._zod.pattern;
      if (!(pattern instanceof RegExp) || pattern.global || pattern.sticky) throw new Unsupported();
      return { test: (v) => typeof v === "string" && pattern.test(v) };
    }
    case "enum": {
      if (def.checks?.length) throw new Unsupported();
      const values = new Set<unknown>(Object.values(def.entries ?? {}));
      return { test: (v) => values.has(v) };
    }
    case "optional": {
      const inner = compile(def.innerType!);
      return {
        test: (v) => v === undefined || inner.test(v),
        fill: inner.fill && ((v) => v !== undefined && inner.fill!(v)),
      };
    }
    case "array": {
      const { minimum, maximum } = lengthBounds(def);
      const element = compile(def.element!);
      const fillElement = element.fill;
      return {
        test: (v) => {
          if (!Array.isArray(v) || v.length < minimum || v.length > maximum) return false;
          for (let i = 0; i < v.length; i++) if (!element.test(v[i])) return false;
          return true;
        },
        fill: fillElement && ((v) => (v as unknown[]).forEach((item) => fillElement(item))),
      };
    }
    case "union": {
      const options = (def.options ?? []).map(compile);
      if (options.length === 0) throw new Unsupported();
      // zod returns the first option that passes: its defaults are the ones filled
      return {
        test: (v) => options.some((o) => o.test(v)),
        fill: options.some((o) => o.fill)
          ? (v) => options.find((o) => o.test(v))?.fill?.(v)
          : undefined,
      };
    }
    case "object":
      return compileObject(def);
    default:
      // defaults only inside objects (a missing field); anything else is zod's
      throw new Unsupported();
  }
}

function compileObject(def: Def): Compiled {
  if (!def.catchall || defOf(def.catchall).type !== "never") throw new Unsupported();
  const shape = def.shape ?? {};
  const fields: {
    key: string;
    test: (v: unknown) => boolean;
    fill?: (v: unknown) => void;
    fallback?: unknown;
  }[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const fieldDef = defOf(schema);
    if (fieldDef.type === "default") {
      const fallback = fieldDef.defaultValue;
      // an empty list (shared, frozen) or a string (a default enum value such as a priority's kind): nothing a value could change
      const emptyList = Array.isArray(fallback) && fallback.length === 0;
      if (!emptyList && typeof fallback !== "string") throw new Unsupported();
      const inner = compile(fieldDef.innerType!);
      fields.push({
        key,
        test: (v) => v === undefined || inner.test(v),
        fill: inner.fill,
        fallback: emptyList ? EMPTY_LIST : fallback,
      });
    } else {
      const { test, fill } = compile(schema);
      fields.push({ key, test, fill });
    }
  }
  const known = new Set(fields.map((f) => f.key));
  const fillers = fields.filter((f) => f.fill !== undefined || f.fallback !== undefined);
  return {
    test: (v) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
      const record = v as Record<string, unknown>;
      // strict: no key the schema does not name (own keys only, as zod reads them)
      for (const key of Object.keys(record)) if (!known.has(key)) return false;
      for (const field of fields) if (!field.test(record[field.key])) return false;
      return true;
    },
    fill:
      fillers.length === 0
        ? undefined
        : (v) => {
            const record = v as Record<string, unknown>;
            for (const field of fillers) {
              const value = record[field.key];
              if (value === undefined) {
                if (field.fallback !== undefined) record[field.key] = field.fallback;
              } else field.fill?.(value);
            }
          },
  };
}

/**
 * Bounds on a request's raw variables, checked before graphql-js coerces them: its input
 * coercion recurses once per level of nesting, so a variable nested 10,000 deep
 * (`{"not": {"not": ...}}`) overflowed the stack and was answered with a 500, and a list of a
 * million items is coerced item by item before any limit sees it. The walk here is iterative
 * (an explicit stack), so no input can exhaust the stack it protects.
 */

import {
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  isScalarType,
  isSpecifiedScalarType,
  typeFromAST,
  type VariableDefinitionNode,
} from "graphql";

import { cutMiddle } from "./cut-text.js";

export interface VariableBounds {
  /** Deepest nesting of objects and lists in one variable's value (a scalar is 0 deep, `{}` and `[]` 1). */
  maxDepth: number;
  /** Most items in one list, anywhere in a variable's value. */
  maxListLength: number;
}

export interface VariableProblem {
  code: "VARIABLE_TOO_DEEP" | "VARIABLE_LIST_TOO_LONG";
  /** The variable, without its `$`. */
  variable: string;
  /** Where in it, as a JSONPath-like suffix: `.or[0].not.not`; empty for the variable itself. */
  path: string;
  /** The list's length (VARIABLE_LIST_TOO_LONG), or the depth reached (VARIABLE_TOO_DEEP: the limit + 1). */
  found: number;
}

/** A key as it reads in a path: `.name`, or `["odd key"]` when it is not a plain name. */
const step = (key: string) =>
  /^[_A-Za-z][_0-9A-Za-z]*$/.test(key)
    ? `.${key}`
    : `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;

/** An object or list met in the walk: where it is (its parent and key), and how deep. */
interface Place {
  value: object;
  depth: number;
  parent: Place | undefined;
  key: string | number | undefined;
}

/** The path of `place` in its variable: built only for a problem, from its parents. */
function pathOf(place: Place): string {
  const steps: string[] = [];
  for (let at: Place | undefined = place; at?.key !== undefined; at = at.parent)
    steps.push(typeof at.key === "number" ? `[${at.key}]` : step(at.key));
  return steps.reverse().join("");
}

const isNested = (value: unknown): value is object => typeof value === "object" && value !== null;

/** The first object or list in `value` (an object or a list), with its key, or undefined. */
function firstNested(value: object): { value: object; key: string | number } | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (isNested(item)) return { value: item, key: i };
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (isNested(item)) return { value: item, key };
  }
  return undefined;
}

/** Whether an object or list has nothing in it. */
function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const _ in value) return false;
  return true;
}

/**
 * The first problem of `variables` (in document order of a depth-first walk), or undefined.
 * Only objects and lists are walked (a scalar can be neither too deep nor too long), and a path
 * is built only for the problem found, from the places' parents: built for every value walked,
 * the paths took half of a large body's parse time (red team 13, F3: 107-177 ms a MiB).
 */
export function checkVariables(
  variables: unknown,
  bounds: VariableBounds,
): VariableProblem | undefined {
  if (!isNested(variables) || Array.isArray(variables)) return undefined;
  for (const [variable, value] of Object.entries(variables)) {
    if (!isNested(value)) continue;
    const stack: Place[] = [{ value, depth: 0, parent: undefined, key: undefined }];
    while (stack.length > 0) {
      const place = stack.pop()!;
      const current = place.value;
      const inner = place.depth + 1;
      if (inner > bounds.maxDepth)
        return { code: "VARIABLE_TOO_DEEP", variable, path: pathOf(place), found: inner };
      if (Array.isArray(current) && current.length > bounds.maxListLength)
        return {
          code: "VARIABLE_LIST_TOO_LONG",
          variable,
          path: pathOf(place),
          found: current.length,
        };
      // when its children would be too deep, any object or list in it is: the first one is the
      // first problem (in the document's order)
      if (inner + 1 > bounds.maxDepth) {
        const first = firstNested(current);
        if (first === undefined) continue;
        const at: Place = { value: first.value, depth: inner, parent: place, key: first.key };
        return { code: "VARIABLE_TOO_DEEP", variable, path: pathOf(at), found: inner + 1 };
      }
      // its objects and lists pushed last first, so that the first is walked first; its scalars
      // never pushed, nor an empty object or list (nothing in it can be a problem)
      if (Array.isArray(current)) {
        for (let i = current.length - 1; i >= 0; i--) {
          const item: unknown = current[i];
          if (isNested(item) && !isEmpty(item))
            stack.push({ value: item, depth: inner, parent: place, key: i });
        }
      } else {
        const record = current as Record<string, unknown>;
        const keys = Object.keys(record);
        for (let i = keys.length - 1; i >= 0; i--) {
          const item = record[keys[i]!];
          if (isNested(item) && !isEmpty(item))
            stack.push({ value: item, depth: inner, parent: place, key: keys[i] });
        }
      }
    }
  }
  return undefined;
}

/** What a refused client reads. */
export function describeVariableProblem(problem: VariableProblem, bounds: VariableBounds): string {
  const where = `$${problem.variable}${problem.path}`;
  return problem.code === "VARIABLE_TOO_DEEP"
    ? `The variable $${problem.variable} nests objects and lists more than ${bounds.maxDepth} levels deep (the variable depth limit), at ${where}: send a flatter value.`
    : `The list at ${where} has ${problem.found} items; the list length limit for variables is ${bounds.maxListLength}: send fewer items, or split the request.`;
}

/**
 * An object given where an input object type is expected, with more keys than the type has
 * fields; or one printing more than LEAF_OBJECT_LIMIT characters where an enum or one of
 * GraphQL's own scalars is (`limit` 0).
 */
export interface WideObject {
  /** The variable, without its `$`. */
  variable: string;
  /** Where in it, as in `VariableProblem`. */
  path: string;
  /** The input object type expected there. */
  type: string;
  /** The object's keys; with `printed`, at least how many characters the errors would print. */
  found: number;
  /** The type's fields; with `printed`, PRINTED_ERRORS_LIMIT. */
  limit: number;
  /**
   * Set when the objects are no wider than their types but their unknown keys' errors would print
   * more than PRINTED_ERRORS_LIMIT (`path` and `type`: the object where the sum passed it):
   * its first unknown key.
   */
  printed?: { unknown: string };
}

/**
 * The most an operation's variables' objects with unknown keys may weigh, in characters, each
 * counted once per unknown key (graphql-js's errors print such an object whole in each; each
 * operation of a batch is weighed on its own). Printing costs about 90 ms a million characters
 * (review 29), and each is printed again by the cost walk's coercion; a typo beside a list of a
 * thousand keys in an `in` (37 KB) stays under it (review 30).
 */
export const PRINTED_ERRORS_LIMIT = 131_072;

/**
 * The most characters an object given where an enum or a built-in scalar is expected may print
 * (graphql-js's error prints it, in each of the variables' coercions) before it is refused.
 */
export const LEAF_OBJECT_LIMIT = 4096;

/**
 * About how many characters graphql-js (or @graphql-tools' inspect, in Yoga's executor's errors)
 * prints for `value`: every entry of an object and every item of a list down to four levels, a
 * string whole. Counting stops once past `most`.
 */
function printedSize(value: unknown, most: number, depth = 0): number {
  // (a string is printed as JSON: a control character takes six)
  if (typeof value === "string")
    return value.length > 64 ? JSON.stringify(value).length : value.length + 2;
  if (!isNested(value)) return String(value).length;
  if (depth >= 4) return 8;
  let size = 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      size += printedSize(item, most - size, depth + 1) + 2;
      if (size > most) return size;
    }
    return size;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    size += key.length + 4 + printedSize(record[key], most - size, depth + 1);
    if (size > most) return size;
  }
  return size;
}

/**
 * The first object of `variables` given where an input object type is expected that has more
 * keys than the type has fields (in the order of the operation's variables, each walked depth
 * first), or where an enum or one of GraphQL's own scalars is expected printing more than
 * LEAF_OBJECT_LIMIT characters, or undefined. Such an object holds keys its type does not define, and graphql-js reports each of
 * them (up to 50) with the whole object printed in the message: 5,000 unknown keys in a body of
 * 49 KB were 51 errors of 48 KB, an answer of 2.4 MB and half a second of the event loop; an
 * object of 9,000 keys where a String is expected, printed in every coercion of the variables,
 * 65-100 ms. An object no wider than its type is printed once for each of its unknown keys,
 * whatever it holds (review 29: one holding an object of 8,000 keys, 94 ms): what those errors
 * would print is summed over the variables, and past PRINTED_ERRORS_LIMIT the object where it
 * passed is returned with `printed`. Asked after `checkVariables` (the depth and the lists are
 * bounded); lists are walked as graphql-js coerces them (a value given for a list is a list of
 * one), scalars' and enums' lists for the objects in them.
 */
export function wideObject(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  variables: unknown,
): WideObject | undefined {
  if (!isNested(variables) || Array.isArray(variables)) return undefined;
  const given = variables as Record<string, unknown>;
  /** What the errors of the objects with unknown keys met so far would print. */
  let printed = 0;
  for (const definition of definitions) {
    const variable = definition.variable.name.value;
    const value = Object.hasOwn(given, variable) ? given[variable] : undefined;
    const declared = typeFromAST(schema, definition.type);
    if (!isNested(value) || !declared || !isInputType(declared)) continue;
    const stack: Typed[] = [
      { value, type: declared, place: { value, depth: 0, parent: undefined, key: undefined } },
    ];
    while (stack.length > 0) {
      const { value: current, type: expected, place } = stack.pop()!;
      const type = isNonNullType(expected) ? expected.ofType : expected;
      if (!isNested(current)) continue;
      if (isListType(type)) {
        if (!Array.isArray(current)) {
          stack.push({ value: current, type: type.ofType, place });
          continue;
        }
        pushItems(stack, current, type.ofType, place);
      } else if (isEnumType(type) || (isScalarType(type) && isSpecifiedScalarType(type))) {
        // an object where an enum or one of GraphQL's own scalars is expected is refused by
        // graphql-js with the object printed (a custom scalar may take objects: `_Any`); so is a
        // list there, with its items printed, each object in it whole (review 29: a list of one
        // wide object passed)
        if (Array.isArray(current)) {
          pushItems(stack, current, type, place);
          continue;
        }
        // (a small one gets graphql-js's own error: `String cannot represent a non string value`)
        if (printedSize(current, LEAF_OBJECT_LIMIT) > LEAF_OBJECT_LIMIT)
          return {
            variable,
            path: pathOf(place),
            type: type.name,
            found: Object.keys(current).length,
            limit: 0,
          };
      } else if (isInputObjectType(type) && Array.isArray(current)) {
        // a list where an input object is expected is refused by graphql-js with the list
        // printed, each object in it whole (review 30): its objects walked as at the object's place
        pushItems(stack, current, type, place);
      } else if (isInputObjectType(type)) {
        const fields = type.getFields();
        const limit = Object.keys(fields).length;
        const keys = Object.keys(current);
        if (keys.length > limit)
          return { variable, path: pathOf(place), type: type.name, found: keys.length, limit };
        const record = current as Record<string, unknown>;
        // each unknown key is an error printing the whole object (review 29: ten of them beside
        // an object of 8,000 keys, 94 ms of the loop to print what the answer then cuts)
        const unknown = keys.filter((key) => !Object.hasOwn(fields, key));
        if (unknown.length > 0) {
          printed += unknown.length * printedSize(current, PRINTED_ERRORS_LIMIT - printed);
          if (printed > PRINTED_ERRORS_LIMIT)
            return {
              variable,
              path: pathOf(place),
              type: type.name,
              found: printed,
              limit: PRINTED_ERRORS_LIMIT,
              printed: { unknown: cutMiddle(unknown[0]!, 80) },
            };
        }
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i]!;
          const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
          const item = record[key];
          if (field && isNested(item))
            stack.push({
              value: item,
              type: field.type,
              place: { value: item, depth: 0, parent: place, key },
            });
        }
      }
    }
  }
  return undefined;
}

/** A value met in `wideObject`'s walk, with the type expected there. */
interface Typed {
  value: unknown;
  type: GraphQLInputType;
  place: Place;
}

/** The objects and lists of the list `items` onto `stack`, last first, each expected as `type`. */
function pushItems(stack: Typed[], items: unknown[], type: GraphQLInputType, parent: Place): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (isNested(item))
      stack.push({ value: item, type, place: { value: item, depth: 0, parent, key: i } });
  }
}

/** What a client whose object `wideObject` found reads. */
export function describeWideObject(wide: WideObject): string {
  if (wide.printed)
    return (
      `The variable $${wide.variable} gives an object at $${wide.variable}${wide.path} with a key ${wide.type} does not define (${JSON.stringify(wide.printed.unknown)}); ` +
      `the error of each such key would print its object whole, more than ${wide.limit} characters for this operation's variables. Send only each type's fields (see the schema).`
    );
  if (wide.limit === 0)
    return `The variable $${wide.variable} gives an object of ${wide.found} keys at $${wide.variable}${wide.path}, where a ${wide.type} is expected, which is not an object: send a ${wide.type} there.`;
  return (
    `The variable $${wide.variable} gives an object of ${wide.found} keys at $${wide.variable}${wide.path}, where a ${wide.type} is expected: ` +
    `${wide.type} has ${wide.limit} fields, so at least ${wide.found - wide.limit} of those keys are not among them. Send only the type's fields (see the schema).`
  );
}

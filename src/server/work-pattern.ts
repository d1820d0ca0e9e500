/**
 * An operation's pattern: what of a request decides what kind of work its execution does, for
 * the scheduler's estimate of how long an operation runs for its price (src/graph/scheduler.ts,
 * `expectedMs`), learned per pattern from the operations of that pattern that ran.
 *
 * The pattern is the operation's document with every literal value left out (a number, a string:
 * `_`), its comments, aliases and whitespace too, and a list by its first item (its length is in
 * the price), and the shape of its variables (their names, the keys of their objects, a list by
 * its first item, `_` for each number or string), so that
 * `persons(first: 1, filter: {title: {eq: "t0.31"}}) { totalCount }` and the same with another title
 * are one pattern, and `persons(first: 100, filter: {anyName: {contains: "ar"}})` another: the first
 * is answered by an index and runs in a tenth of its price, the second scans every person and
 * runs in a third of it. A filter's fields and operators, enum literals and booleans (`@include(if:
 * true)`) are part of it: they choose the work. (An enum's value passed in a variable is a string
 * like any other, `_`: the variables are not read by their types here.)
 *
 * Many patterns' work still depends on their values (an `in` list of one state repeated or of 200;
 * a name that matches five states or all): the scheduler takes a run of twice a pattern's estimate
 * at once, and judges again what waits of that pattern (red team 48, F1).
 *
 * Learned as one ratio for every query, the estimate was any client's to teach: 80 title filters
 * from one address, priced as scans and answered by the index, put the scans of a burst at a
 * tenth of their time, and the burst was let in and timed out by the hundred (red team 47, F1).
 *
 * A pattern longer than MAX_PATTERN_LENGTH is none (undefined): such an operation is estimated as
 * a pattern never seen (at its price or above), and teaches nothing of any other's (limits.ts
 * passes it to the scheduler as UNKNOWN_PATTERN).
 *
 * What a client may choose freely without changing the work is not in it: the operation's name,
 * its fragments' and variables' names (each by its place: the first fragment defined is `#0`, the
 * first variable declared `$0`), and variables it sends but does not declare (graphql-js ignores
 * them), the declared ones read in their declared order. With any of those in it, 1,200 cheap
 * requests of distinct operation names made 1,200 patterns in 2 s, and the scheduler forgot what
 * every pattern it knew ran (red team 48, F3; the scheduler's memory keeps patterns run more than
 * once besides: `SliceScheduler.learn`).
 */
import {
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  Kind,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/** The longest pattern kept, in characters; past it, an operation has none. */
export const MAX_PATTERN_LENGTH = 4096;

/** The document's part of an operation's pattern, and the names of the variables it declares, in order. */
interface DocumentPattern {
  readonly text: string;
  readonly variables: readonly string[];
}

/** Each document's pattern, by operation name ("" for none): a document's is made once. */
const documentPatterns = new WeakMap<DocumentNode, Map<string, DocumentPattern | undefined>>();

/**
 * The pattern of the operation `operationName` of `document` with `variables`, or undefined when
 * it is longer than MAX_PATTERN_LENGTH.
 */
export function workPattern(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): string | undefined {
  let byName = documentPatterns.get(document);
  if (!byName) documentPatterns.set(document, (byName = new Map()));
  const name = operationName ?? "";
  let pattern = byName.get(name);
  if (pattern === undefined && !byName.has(name)) {
    pattern = documentPattern(document, name);
    byName.set(name, pattern);
  }
  if (pattern === undefined) return undefined;
  if (!variables || pattern.variables.length === 0) return pattern.text;
  // the declared variables only, in their declared order, each by its place: a sent variable's
  // name and its place in the JSON are the client's to choose
  // none sent: the document's alone, as with no variables at all
  if (!pattern.variables.some((name) => Object.hasOwn(variables, name))) return pattern.text;
  const out = new Writer(MAX_PATTERN_LENGTH - pattern.text.length, new Map(), new Map());
  out.push("{");
  for (const [place, name] of pattern.variables.entries()) {
    if (!Object.hasOwn(variables, name)) continue;
    out.push(`${place}:`);
    out.value(variables[name], 1);
    out.push(" ");
  }
  out.push("}");
  return out.full ? undefined : pattern.text + out.text;
}

/** The document's part of the pattern: the operation named (the only one when "") and every fragment. */
function documentPattern(
  document: DocumentNode,
  operationName: string,
): DocumentPattern | undefined {
  const fragments = new Map<string, number>();
  const variables = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, fragments.size);
    else if (
      definition.kind === Kind.OPERATION_DEFINITION &&
      (operationName === "" || definition.name?.value === operationName)
    )
      for (const variable of definition.variableDefinitions ?? [])
        if (!variables.has(variable.variable.name.value))
          variables.set(variable.variable.name.value, variables.size);
  }
  const out = new Writer(MAX_PATTERN_LENGTH, fragments, variables);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      // every operation's when none is named (a document of one; of more, it is refused anyway)
      if (operationName !== "" && definition.name?.value !== operationName) continue;
      out.push(`|${definition.operation}`);
      // a variable's default value chooses the work when the variable is not sent, as a literal's
      for (const variable of definition.variableDefinitions ?? [])
        if (variable.defaultValue) {
          out.push(` $${variables.get(variable.variable.name.value)}=`);
          out.literal(variable.defaultValue);
        }
      out.directives(definition.directives);
      out.selections(definition.selectionSet);
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      out.push(
        `|#${fragments.get(definition.name.value)} on ${definition.typeCondition.name.value}`,
      );
      out.directives(definition.directives);
      out.selections(definition.selectionSet);
    }
    if (out.full) return undefined;
  }
  return { text: out.text, variables: [...variables.keys()] };
}

/** A pattern's text as it is written, up to a length (`full` past it: the rest is not written). */
class Writer {
  text = "";
  full = false;

  /**
   * `fragments`, `variables`: each fragment's and variable's place, written for its name (one
   * not defined, which validation refuses, as `?`).
   */
  constructor(
    private readonly room: number,
    private readonly fragments: ReadonlyMap<string, number>,
    private readonly variables: ReadonlyMap<string, number>,
  ) {}

  push(part: string): void {
    if (this.full) return;
    if (this.text.length + part.length > this.room) this.full = true;
    else this.text += part;
  }

  selections(set: SelectionSetNode | undefined): void {
    if (!set || this.full) return;
    this.push("{");
    for (const selection of set.selections) {
      if (this.full) return;
      if (selection.kind === Kind.FIELD) {
        this.push(` ${selection.name.value}`);
        this.arguments(selection.arguments);
        this.directives(selection.directives);
        this.selections(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        this.push(` ...#${this.fragments.get(selection.name.value) ?? "?"}`);
        this.directives(selection.directives);
      } else {
        this.push(
          ` ...${selection.typeCondition ? ` on ${selection.typeCondition.name.value}` : ""}`,
        );
        this.directives(selection.directives);
        this.selections(selection.selectionSet);
      }
    }
    this.push(" }");
  }

  arguments(args: readonly ArgumentNode[] | undefined): void {
    if (!args?.length) return;
    this.push("(");
    for (const argument of args) {
      this.push(`${argument.name.value}:`);
      this.literal(argument.value);
      this.push(" ");
    }
    this.push(")");
  }

  directives(directives: readonly DirectiveNode[] | undefined): void {
    for (const directive of directives ?? []) {
      this.push(` @${directive.name.value}`);
      this.arguments(directive.arguments);
    }
  }

  literal(value: ValueNode): void {
    switch (value.kind) {
      case Kind.VARIABLE:
        this.push(`$${this.variables.get(value.name.value) ?? "?"}`);
        return;
      case Kind.OBJECT:
        this.push("{");
        for (const field of value.fields) {
          this.push(`${field.name.value}:`);
          this.literal(field.value);
          this.push(" ");
        }
        this.push("}");
        return;
      case Kind.LIST:
        // its first item's: a list's length is in the price, which the ratio multiplies
        this.push("[");
        if (value.values.length > 0) this.literal(value.values[0]!);
        this.push(value.values.length > 1 ? " …]" : "]");
        return;
      case Kind.ENUM:
        this.push(value.value);
        return;
      case Kind.BOOLEAN:
        this.push(String(value.value));
        return;
      case Kind.NULL:
        this.push("null");
        return;
      default:
        // a number or a string: which one does not choose the work
        this.push("_");
        return;
    }
  }

  /** A variable's value (JSON), `depth` deep: its keys and the kinds of its values. */
  value(value: unknown, depth: number): void {
    if (this.full) return;
    if (value === null || value === undefined) {
      this.push("null");
      return;
    }
    if (typeof value === "boolean") {
      this.push(String(value));
      return;
    }
    if (typeof value !== "object") {
      this.push("_");
      return;
    }
    // (the variables' depth is bounded before execution: limits.ts, VARIABLE_TOO_DEEP)
    if (depth > 64) {
      this.full = true;
      return;
    }
    if (Array.isArray(value)) {
      // its first item's, as a literal list's
      this.push("[");
      if (value.length > 0) this.value(value[0], depth + 1);
      this.push(value.length > 1 ? " …]" : "]");
      return;
    }
    this.push("{");
    for (const key in value) {
      this.push(`${key}:`);
      this.value((value as Record<string, unknown>)[key], depth + 1);
      this.push(" ");
      if (this.full) return;
    }
    this.push("}");
  }
}

/**
 * Bounds on a request's raw variables, checked before graphql-js coerces them: its input
 * coercion recurses once per level of nesting, so a variable nested 10,000 deep
 * (`{"not": {"not": ...}}`) overflowed the stack and was answered with a 500, and a list of a
 * million items is coerced item by item before any limit sees it. The walk here is iterative
 * (an explicit stack), so no input can exhaust the stack it protects.
 */

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

/**
 * The first problem of `variables` (in document order of a depth-first walk), or undefined.
 * Paths are built only for the part walked, so they are at most `maxDepth + 1` steps long.
 */
export function checkVariables(
  variables: unknown,
  bounds: VariableBounds,
): VariableProblem | undefined {
  if (typeof variables !== "object" || variables === null || Array.isArray(variables))
    return undefined;
  for (const [variable, value] of Object.entries(variables)) {
    const stack: { value: unknown; depth: number; path: string }[] = [
      { value, depth: 0, path: "" },
    ];
    while (stack.length > 0) {
      const { value: current, depth, path } = stack.pop()!;
      if (typeof current !== "object" || current === null) continue;
      const inner = depth + 1;
      if (inner > bounds.maxDepth)
        return { code: "VARIABLE_TOO_DEEP", variable, path, found: inner };
      if (Array.isArray(current)) {
        if (current.length > bounds.maxListLength)
          return { code: "VARIABLE_LIST_TOO_LONG", variable, path, found: current.length };
        for (let i = current.length - 1; i >= 0; i--)
          stack.push({ value: current[i], depth: inner, path: `${path}[${i}]` });
      } else {
        const entries = Object.entries(current);
        for (let i = entries.length - 1; i >= 0; i--)
          stack.push({
            value: entries[i]![1],
            depth: inner,
            path: `${path}${step(entries[i]![0])}`,
          });
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

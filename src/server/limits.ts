/**
 * What a request may cost, enforced as Yoga (envelop) plugins before anything executes:
 * tokens (while parsing), depth, aliases and directives (as validation rules, from
 * graphql-armor), cost (from the document and its variables, see cost.ts) and execution time
 * (a deadline checked between fields). Each refusal is a GraphQLError whose message names the
 * limit and the value found, with a stable `extensions.code`. Also: introspection switch and
 * hidden "Did you mean ...?" suggestions.
 */
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule, validate, type DocumentNode, type ExecutionArgs, type ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";
import { operationCost } from "./cost.js";

export interface Limits {
  /** Deepest field nesting (fragments do not count as a level; introspection's `__schema` is exempt). */
  maxDepth: number;
  /** Aliases per operation (`__typename` aliases are free). */
  maxAliases: number;
  /** Directives per operation. */
  maxDirectives: number;
  /** Lexical tokens per document. */
  maxTokens: number;
  /** Cost per operation (see cost.ts). */
  maxCost: number;
  /** Entries assumed for a plain list in the cost (names, provenance, participants, ...). */
  costListSize: number;
  /** Wall-clock time an operation may execute, in milliseconds. */
  executionTimeoutMs: number;
}

/** A refused request: HTTP 400, unless the limit is on time. */
function limitError(message: string, code: string, extensions: Record<string, unknown> = {}, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status } } });
}

/** The number armor found ("..., found 17."), to report it in our own words. */
function found(error: GraphQLError): number | undefined {
  const match = /found (\d+)/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

/** Report armor's rejection as our own error, through the validation context (so: a normal validation error). */
function reject(code: string, describe: (n: number | undefined) => string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const n = found(error);
    const ours = limitError(describe(n), code, n === undefined ? {} : { found: n });
    if (context) context.reportError(ours);
    else throw ours;
  };
}

export function limitPlugins(limits: Limits): Plugin[] {
  return [
    maxTokensPlugin({
      n: limits.maxTokens,
      propagateOnRejection: false,
      // thrown from inside the lexer, so parsing stops at the limit
      onReject: [
        () => {
          throw limitError(`The document has more than ${limits.maxTokens} tokens (the token limit): send a smaller query.`, "TOKEN_LIMIT_EXCEEDED", {
            limit: limits.maxTokens,
          });
        },
      ],
    }) as Plugin,
    maxDepthPlugin({
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [
        reject(
          "DEPTH_LIMIT_EXCEEDED",
          (n) =>
            `The query is ${n} levels deep; the depth limit is ${limits.maxDepth} (a connection's \`edges { node }\` counts two levels). Ask for fewer nested levels, or fetch the inner part in a second query with \`node(id:)\`.`,
        ),
      ],
    }) as Plugin,
    maxAliasesPlugin({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [reject("ALIAS_LIMIT_EXCEEDED", (n) => `The operation uses ${n} aliases; the alias limit is ${limits.maxAliases}.`)],
    }) as Plugin,
    maxDirectivesPlugin({
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [reject("DIRECTIVE_LIMIT_EXCEEDED", (n) => `The operation uses ${n} directives; the directive limit is ${limits.maxDirectives}.`)],
    }) as Plugin,
    executionPlugin(limits),
  ];
}

/**
 * Before an operation executes: refuse it if its cost (given its variables) is above the limit,
 * and give it a deadline. One plugin for both, as each onExecute hook has a price per request.
 */
function executionPlugin(limits: Limits): Plugin {
  // the cost of operations without variables depends on the document alone, and Yoga hands the
  // same DocumentNode for the same query text (its parse cache): remember it
  const costs = new WeakMap<DocumentNode, Map<string, number | undefined>>();
  const costOf = (args: ExecutionArgs): number | undefined => {
    const variables = args.variableValues as Record<string, unknown> | null | undefined;
    const compute = () => {
      const result = operationCost(args.schema, args.document, args.operationName, variables, { listSize: limits.costListSize, stopAt: limits.maxCost });
      return result.ok ? result.cost : undefined;
    };
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    if (operation?.variableDefinitions?.length) return compute();
    let byName = costs.get(args.document);
    if (!byName) costs.set(args.document, (byName = new Map()));
    const key = args.operationName ?? "";
    if (!byName.has(key)) byName.set(key, compute());
    return byName.get(key);
  };

  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = costOf(args);
      if (cost !== undefined && cost > limits.maxCost) {
        setResultAndStopExecution({
          errors: [
            limitError(
              `The query may return more than ${limits.maxCost} objects (the cost limit). ` +
                "Each object a field may return costs 1, and a connection multiplies what is inside it by its page size (`first`/`last`, default 20). Ask for smaller pages or fewer nested lists.",
              "COST_LIMIT_EXCEEDED",
              { limit: limits.maxCost },
            ),
          ],
        });
        return;
      }
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      const deadline = new Deadline(limits.executionTimeoutMs, request?.signal);
      (args as { signal?: unknown }).signal = deadline.signal;
      return {
        onExecuteDone() {
          deadline.dispose();
        },
      };
    },
  };
}

/**
 * An execution deadline, as the abort signal the executor checks between fields. A timer alone
 * would not do: an execution that never yields to the event loop would finish before it fired.
 * So the signal also looks at the clock itself, every 64 checks (reading the clock on every
 * field would cost more than the fields).
 *
 * When the clock says time is up, the abort comes a microtask later, never in the middle of the
 * check: the executor checks the signal inside its loop over the fields of an object, and when
 * that check throws the abort reason after some fields already returned promises, it drops those
 * promises, whose rejections then go unhandled and end the Node process (seen with
 * `a0: priorities ... a19: priorities` and a 1 ms limit). Resolvers load through DataLoaders, so
 * an execution yields to microtasks between fields, and the deferred abort still stops it there.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly end: number;
  private checks = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly onRequestAbort = () => this.controller.abort(this.request?.reason);
  readonly signal: Pick<AbortSignal, "aborted" | "reason" | "throwIfAborted" | "addEventListener" | "removeEventListener">;

  constructor(
    private readonly timeoutMs: number,
    private readonly request: AbortSignal | undefined,
  ) {
    this.end = performance.now() + timeoutMs;
    this.timer = setTimeout(() => this.expire(), timeoutMs + 1);
    this.timer.unref();
    request?.addEventListener("abort", this.onRequestAbort, { once: true });
    const inner = this.controller.signal;
    let expiring = false;
    const poll = () => {
      if (!inner.aborted && !expiring && (++this.checks & 63) === 0 && performance.now() >= this.end) {
        expiring = true;
        queueMicrotask(() => this.expire());
      }
      return inner.aborted;
    };
    this.signal = {
      get aborted() {
        return poll();
      },
      get reason() {
        return inner.reason as unknown;
      },
      throwIfAborted() {
        if (poll()) throw inner.reason;
      },
      addEventListener: inner.addEventListener.bind(inner),
      removeEventListener: inner.removeEventListener.bind(inner),
    };
  }

  private expire(): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(
      limitError(
        `The query took longer than ${this.timeoutMs} ms to execute (the execution time limit) and was stopped. Ask for less.`,
        "EXECUTION_TIMEOUT",
        { limit: this.timeoutMs },
        503,
      ),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.request?.removeEventListener("abort", this.onRequestAbort);
  }
}

/** Introspection off: `__schema` and `__type` are refused by validation (`__typename` stays allowed). */
export function noIntrospectionPlugin(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * No "Did you mean ...?" in validation or variable errors: without introspection they would leak
 * the schema. Validation takes graphql-js's own option; variable errors are rewritten, since
 * graphql 16's enum coercion has no such option.
 */
export function hideSuggestionsPlugin(): Plugin {
  const suggestion = / Did you mean [^?]*\?/g;
  const strip = (error: GraphQLError) =>
    error.message.replace(suggestion, "") !== error.message
      ? new GraphQLError(error.message.replace(suggestion, ""), {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: error.extensions,
        })
      : error;
  return {
    onValidate({ setValidationFn }) {
      setValidationFn((schema, document, rules) => validate(schema, document, rules, { hideSuggestions: true }));
    },
    onExecute({ args }) {
      (args as { hideSuggestions?: boolean }).hideSuggestions = true;
      return {
        onExecuteDone({ result, setResult }) {
          if ("errors" in result && result.errors?.length) setResult({ ...result, errors: result.errors.map((e) => strip(e as GraphQLError)) });
        },
      };
    },
  };
}

/**
 * graphql-js gives up validating a document whose overlapping fields would take too long to
 * compare (the same field thousands of times) with the bare message "Validation aborted.":
 * say what it means.
 */
export function clearerValidationErrors(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (!result.some((error) => error.message === "Validation aborted.")) return;
        setResult(
          result.map((error) =>
            error.message === "Validation aborted."
              ? limitError(
                  "The query selects the same fields too many times to be validated (graphql-js gave up comparing them): send a smaller query.",
                  "QUERY_TOO_COMPLEX",
                )
              : error,
          ),
        );
      };
    },
  };
}

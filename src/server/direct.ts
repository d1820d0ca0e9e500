/**
 * The shortcut's direct pipeline (shortcut.ts, point 4): a plain query parsed, validated,
 * admitted and executed by the same functions Yoga's envelop pipeline runs, called directly.
 *
 * Envelop's orchestration costs a one-off document about as much as executing it (a context per
 * request, each phase's hooks looked up and awaited, Yoga's executor wrapping graphql-js's; the
 * measures are in bench/RESULTS.md, "One-off documents"), although for a query that parses,
 * validates and executes without an error, none of our plugins' hooks changes the answer but these:
 * - parsing: graphql-js's `parse` with the token, line and nesting limits (limits.ts `tokenLimitPlugin`); the other
 *   parse hooks (choosing the operation, refusing mutations over GET) only ever refuse;
 * - validation: `validateDocument` with the rules the pipeline assembles, asked of it once
 *   (validate.ts `validationRulesOf`), suggestions hidden as it hides them; a document that does
 *   not validate is Yoga's to answer, and its errors are handed to Yoga's validation of the same
 *   text (validate.ts `handOver`), so that it is validated once (the hook that formats validation
 *   errors' stacks, document-cache.ts, runs on them there);
 * - before execution: the variable bounds, the filter and cost limits and the deadline
 *   (limits.ts `executionAdmission`), and `hideSuggestions` always: graphql-js suggests only in
 *   its coercion of the variables, and a request whose variables do not coerce is Yoga's to
 *   answer (with its own words), where a suggestion for a long value cost its length for nothing;
 * - execution: graphql-js's `execute`, over a fresh context of the served graph (Pothos keys
 *   its DataLoaders on it), which is all the schema's resolvers read.
 * Every other outcome is Yoga's to answer, as it answers it: `run` gives undefined for a
 * document that does not parse or validate, an operation that is not a query, a refusal of the
 * limits or variables that do not coerce (nothing executed), and otherwise the result, which the shortcut sends when it has no
 * error and hands to Yoga (to mask, log, count and answer, without executing it again) when it has.
 *
 * tests/server/direct.test.ts names the rules and the plugins this stands for (a new plugin with
 * a GraphQL-phase hook fails there until this file says how it is honoured), and
 * tests/server/shortcut.test.ts holds the whole shortcut to Yoga's answers, byte for byte.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  type GraphQLSchema,
  getOperationAST,
  parse,
  type ValidationRule,
} from "graphql";
import { DeadlineExceededError } from "../graph/deadline.js";
import type { Context } from "../schema/index.js";
import { DocumentCache, documentWeight, dropTokens } from "./document-cache.js";
import {
  answerable,
  executionAdmission,
  isLateRefusal,
  type Limits,
  MAX_DOCUMENT_NESTING,
  overLineLimit,
  overNestingLimit,
  skippedErrors,
  stoppedError,
} from "./limits.js";
import { handOver, validateDocument, validationRulesOf } from "./validate.js";

export interface DirectOptions {
  schema: GraphQLSchema;
  /** The rules Yoga's pipeline validates with (validate.ts `validationRulesOf`). */
  rules: readonly ValidationRule[];
  /**
   * Whether Yoga's validation leaves out "Did you mean ...?" (validate.ts `validationPlugin`), so
   * that an invalid document is validated here as Yoga would (default false, graphql-js's).
   */
  hideSuggestions?: boolean;
  limits: Limits;
  /**
   * A fresh context for one request: the graph served now, its search index and the version the
   * server started with; `warmUp` for the server's own runs at start (warm.ts), which do not
   * teach the scheduler what requests take for their price (limits.ts).
   */
  context: () => Pick<Context, "graph" | "search" | "startVersion"> & { warmUp?: true };
  /** Documents kept parsed and validated, by their text (default 1,000, as Yoga's parse cache). */
  maxDocuments?: number;
}

export interface QueryParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface DirectPipeline {
  /**
   * The result of running `params`, or undefined when Yoga must answer it (nothing executed then).
   * `deliver` (which writes the answer) is handed the result, and its return is the run's, before
   * the request's execution counts as finished: the scheduler (src/graph/scheduler.ts) lets the
   * next request waiting run only after the answer is written, in what is left of the turn.
   */
  run<R = ExecutionResult>(
    params: QueryParams,
    deliver?: (result: ExecutionResult) => R | Promise<R>,
    client?: ClientContext,
  ): Promise<R | undefined>;
}

/**
 * The request's own part of its context, as Yoga's node adapter gives it: its response, through
 * which an execution learns that its client went away (client-gone.ts).
 */
export interface ClientContext {
  req: IncomingMessage;
  res: ServerResponse;
}

export function createDirectPipeline(options: DirectOptions): DirectPipeline {
  const { schema, rules, limits } = options;
  const maxDocuments = options.maxDocuments ?? 1000;
  const admit = executionAdmission(limits);
  /**
   * Query texts parsed and validated, least recently used first, bounded by their weight too
   * (document-cache.ts): the document, or null for one
   * that does not parse or validate (Yoga answers it, from its own caches when it comes again:
   * a costly invalid document sent again is not checked here again).
   */
  const documents = new DocumentCache<DocumentNode | null>(documentWeight, maxDocuments);

  const documentOf = (
    query: string,
    operationName: string | null | undefined,
  ): DocumentNode | undefined => {
    const kept = documents.get(query);
    if (kept !== undefined) return kept ?? undefined;
    let document: DocumentNode | null;
    try {
      // over the line or nesting limit: Yoga's to refuse (null), as over the token limit
      document =
        overLineLimit(query, limits.maxLines) || overNestingLimit(query, MAX_DOCUMENT_NESTING)
          ? null
          : parse(query, { maxTokens: limits.maxTokens });
      // validated as Yoga validates (its rules, its options): an invalid document is handed to
      // Yoga, which answers it with these errors, validated once (validate.ts `handOver`; it was
      // validated twice, and a document of fields that conflict took 10-36 ms each time)
      // (but a document whose operation cannot be chosen, which Yoga refuses before validating
      // it, requests.ts: whether it validates, not why, as nothing takes the errors: a full
      // validation of 540 unknown fields with an unknown operationName cost 12 ms, 4.5 before)
      if (document) {
        const hideSuggestions = options.hideSuggestions ?? false;
        const validated = getOperationAST(document, operationName ?? undefined) !== null;
        const errors = validateDocument(
          schema,
          document,
          rules,
          validated ? { hideSuggestions } : { hideSuggestions: true, maxErrors: 1 },
        );
        if (errors.length > 0) {
          // its errors' nodes are kept with Yoga's validation result, and a node's location
          // held every token of the document (30% more than Yoga's cache weighs, per document)
          if (validated) {
            dropTokens(query, document);
            handOver(document, rules, hideSuggestions, errors);
          }
          document = null;
        }
      }
    } catch {
      document = null;
    }
    // its tokens let go before it is kept and weighed (document-cache.ts): nothing reads them
    // after the parse and validation, and graphql-js's execution keeps its nodes until a full collection
    if (document) dropTokens(query, document);
    documents.set(query, document);
    return document ?? undefined;
  };

  return {
    async run<R = ExecutionResult>(
      { query, variables, operationName }: QueryParams,
      deliver?: (result: ExecutionResult) => R | Promise<R>,
      client?: ClientContext,
    ): Promise<R | undefined> {
      const document = documentOf(query, operationName);
      if (!document) return undefined;
      if (getOperationAST(document, operationName ?? undefined)?.operation !== "query")
        return undefined;
      const contextValue: Record<string, unknown> = { ...options.context(), ...client };
      const args = {
        schema,
        document,
        contextValue,
        variableValues: variables,
        operationName,
        hideSuggestions: true,
      };
      const { refused, deadline } = admit(args);
      // refused: Yoga's to answer, but for an operation that would run out of time (a burst's
      // hundreds: Yoga would weigh each again, only to refuse it)
      if (refused)
        return isLateRefusal(refused) ? handOn(deliver, { errors: [refused] }) : undefined;
      // finished once the answer is weighed and written too, which runs now: the next waiter's
      // turn is its own (a page of source texts, 9 MB, takes 30-50 ms to weigh and write)
      try {
        const executed = await execute(args);
        // out of time, or its client gone (nothing is then written: shortcut.ts sendResult)
        if (deadline.expired) return handOn(deliver, { errors: [stoppedError(deadline)] });
        // cut, weighed, and a long one marked to be written in slices (shortcut.ts sendResult)
        const { result, tooLarge } = answerable(
          executed,
          limits,
          deadline,
          undefined,
          skippedErrors(args.contextValue),
        );
        if (tooLarge) return handOn(deliver, result);
        // no `data`: graphql-js refused the request before executing anything (its variables do
        // not coerce), which Yoga's executor answers with errors of its own and a 400: Yoga's to answer
        if (!("data" in result)) return undefined;
        try {
          return await handOn(deliver, result);
        } catch (error) {
          // a long answer written in slices ran out of time before anything was sent
          if (error instanceof DeadlineExceededError)
            return handOn(deliver, { errors: [stoppedError(deadline)] });
          throw error;
        }
      } finally {
        // what graphql-js still runs of it (a field's error nulled its parent before its
        // siblings were resolved) stops: nobody reads it
        deadline.close();
        releaseContext(contextValue);
      }
    },
  };
}

/**
 * `result` as `deliver` hands it on, or itself without one. A function of the module, not a
 * closure made per request: tsx names each closure assigned to a name with Object.defineProperty
 * whenever one is made (docs/performance.md).
 */
function handOn<R>(
  deliver: ((result: ExecutionResult) => R | Promise<R>) | undefined,
  result: ExecutionResult,
): R | Promise<R> {
  return deliver ? deliver(result) : (result as unknown as R);
}

/**
 * Lets go of the request and its response in a finished request's context. Pothos keeps a cache
 * per context in WeakMaps keyed by the context, whose values hold the context again, and V8's
 * minor collections keep a WeakMap's value while its key is young (only a full collection finds
 * the key dead): each request answered, with its body and its answer, was copied, then moved to
 * the old generation, at the next scavenge (bench/cold-survival.ts). Called once the answer is
 * written. The deadline, the error budget and the suggestions stay: graphql-js goes on resolving
 * the siblings of a field whose error nulled their parent after the answer, and they must stay
 * within the request's time, slices and budgets (review 25: released, such a branch ran 1,993
 * fields past a 600 ms limit, with no deadline).
 */
function releaseContext(contextValue: Record<string, unknown>): void {
  contextValue.req = undefined;
  contextValue.res = undefined;
}

/**
 * The direct pipeline of a Yoga made by app.ts: its schema and its validation rules (asked of its
 * pipeline) and the limits.
 */
export function directPipelineOf(
  yoga: { getEnveloped: Parameters<typeof validationRulesOf>[0] },
  settings: { limits: Limits; introspection?: boolean },
  context: DirectOptions["context"],
): DirectPipeline {
  return createDirectPipeline({
    schema: yoga.getEnveloped({}).schema,
    rules: validationRulesOf(yoga.getEnveloped),
    // as app.ts's validationPlugin: suggestions are shown while introspection is (the default)
    hideSuggestions: settings.introspection === false,
    limits: settings.limits,
    context,
  });
}

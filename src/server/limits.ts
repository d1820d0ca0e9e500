/**
 * What a request may cost, enforced as Yoga (envelop) plugins before anything executes:
 * tokens (while parsing), depth, aliases and directives (as validation rules, from
 * graphql-armor), cost (from the document and its variables, see cost.ts) and execution time
 * (a deadline checked before every field and inside the graph's long loops, see
 * src/graph/deadline.ts). Each refusal is a GraphQLError whose message names the
 * limit and the value found, with a stable `extensions.code`. Also: introspection switch and
 * hidden "Did you mean ...?" suggestions.
 */
import { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Lexer,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  parse,
  Source,
  TokenKind,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { isAsyncIterable, type Plugin } from "graphql-yoga";
import { Deadline } from "../graph/deadline.js";
import type { KnowledgeGraph } from "../graph/graph.js";
import {
  FINISH_WITHIN_SHARE,
  LEARNED_FROM_PRICED_MS,
  sliceScheduler,
  UNKNOWN_PATTERN,
} from "../graph/scheduler.js";
import type { SearchIndex } from "../graph/search.js";
import type { GraphShape } from "../graph/shape.js";
import { ErrorBudget, userError } from "../schema/errors.js";
import { SLICED_ANSWER_BYTES, writeInSlices } from "./answer-json.js";
import { stopWhenClientGone } from "./client-gone.js";
import {
  COST_UNIT_MS,
  COST_WEIGHTS,
  type CostResult,
  INTROSPECTION_LIMIT,
  operationCost,
} from "./cost.js";
import { cutMiddle, withMessage } from "./cut-text.js";
import { inDocumentOrder, KEPT_FIRST, preferred } from "./error-order.js";
import { coveredRule } from "./fast-validate.js";
import { clientOf } from "./share-client.js";
import { isValidationAborted } from "./validate.js";
import {
  checkVariables,
  describeVariableProblem,
  describeWideObject,
  wideObject,
} from "./variables.js";
import { workPattern } from "./work-pattern.js";

export interface Limits {
  /** Deepest field nesting (fragments do not count as a level; introspection's `__schema` is exempt). */
  maxDepth: number;
  /** Aliases per operation (`__typename` aliases are free). */
  maxAliases: number;
  /** Directives per operation. */
  maxDirectives: number;
  /** Lexical tokens per document. */
  maxTokens: number;
  /**
   * Lines per document. Comments are not tokens, so the token limit lets any number of lines
   * through; graphql-js works out each error's location by reading the document's lines from its
   * start, so 100 validation errors after 20,000 comment lines made /health wait 178-206 ms.
   */
  maxLines: number;
  /** Cost per operation (see cost.ts). */
  maxCost: number;
  /** Entries assumed for a list the graph's shape does not size (see cost.ts). */
  costListSize: number;
  /** Conditions one `filter` argument may hold (filter.ts, `filterConditions`). */
  maxFilterConditions: number;
  /** Deepest nesting of objects and lists in one variable (variables.ts). */
  maxVariableDepth: number;
  /** Most items of one list in a variable (variables.ts). */
  maxListLength: number;
  /** Wall-clock time an operation may execute, in milliseconds. */
  executionTimeoutMs: number;
  /**
   * How long an operation may hold the event loop before it gives it back to other requests
   * (and `/health`) for a turn, in milliseconds.
   */
  executionSliceMs: number;
  /**
   * Errors an operation's answer holds at most: past them, one more says how many were left out
   * (`withErrorsCut`).
   */
  maxErrors: number;
  /**
   * Bytes the errors of a request's answers take at most (every operation's of a batch), or ten
   * times the request's own bytes when more (error-bytes.ts): past them, each operation keeps its
   * first errors and one more says how many were left out.
   */
  maxErrorBytes: number;
  /**
   * Bytes an answer's JSON may take, about (answerSize). Nothing else bounds it: a few fields
   * that each return a source's whole text, under every alias and on every item of a page, made
   * an answer past 512 MB from a 2 KB request, whose JSON.stringify held the event loop for
   * seconds and then threw (the process ended).
   */
  maxResponseBytes: number;
}

/** A refused request, raised inside Yoga: its code, and HTTP 400 unless the limit is on time. */
export function refusal(
  message: string,
  code = "BAD_REQUEST",
  extensions: Record<string, unknown> = {},
  status = 400,
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status } } });
}

/**
 * An armor rule that only counts: with its own limit at infinity it accepts every operation and
 * hands its count to `onAccept` as structured data (`{ n }`), and the limit is judged here. Its
 * `onReject` would only give an error whose message holds the count ("..., found 17."), and
 * reading a number out of a library's wording breaks silently when an upgrade rewords it.
 */
function judged(limit: number, code: string, describe: (n: number) => string) {
  return {
    n: Infinity,
    propagateOnRejection: false,
    onAccept: [
      (context: ValidationContext | null, details: { n?: unknown }) => {
        const n = details.n;
        if (typeof n !== "number" || n <= limit) return;
        const ours = refusal(describe(n), code, { found: n });
        if (context) context.reportError(ours);
        else throw ours;
      },
    ],
  };
}

/**
 * A validation rule for every document: what graphql-armor's plugins do (`addValidationRule(
 * maxDepthRule(options))` on each validation), except that the rule is made once, so that it is
 * the same rule on every document and validation can keep its plan for the list of rules
 * (validate.ts, `mergeVisitors`).
 */
function ruleOnce(rule: ValidationRule): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}

/**
 * The three graphql-armor counts as validation rules, each registered with what it counts and its
 * limit for fastAccept (fast-validate.ts: the options it is told are the ones the rule is given,
 * armor's defaults otherwise — the alias allowList is armor's default, `__typename`).
 */
export function limitRules(
  limits: Pick<Limits, "maxDepth" | "maxAliases" | "maxDirectives">,
): ValidationRule[] {
  const flattenFragments = true;
  return [
    coveredRule(
      maxDepthRule({
        flattenFragments,
        ignoreIntrospection: true,
        ...judged(
          limits.maxDepth,
          "DEPTH_LIMIT_EXCEEDED",
          (n) =>
            `The query is ${n} levels deep; the depth limit is ${limits.maxDepth} (a connection's \`edges { node }\` counts two levels). Ask for fewer nested levels, or fetch the inner part in a second query with \`node(id:)\`.`,
        ),
      }),
      { kind: "depth", limit: limits.maxDepth, flattenFragments },
    ),
    coveredRule(
      maxAliasesRule({
        ...judged(
          limits.maxAliases,
          "ALIAS_LIMIT_EXCEEDED",
          (n) => `The operation uses ${n} aliases; the alias limit is ${limits.maxAliases}.`,
        ),
        // graphql-armor leaves aliases of `__typename` uncounted (its default allowList): the
        // 2,000 tokens then held 650 of them on each of 100 objects, a megabyte of answer
        // whose keys the cost walk does not price (a scalar is free) and execution does not
        // slice (no resolver of ours runs), 135-200 ms of loop on 2 cores
        allowList: [],
      }),
      { kind: "aliases", limit: limits.maxAliases, allowList: [] },
    ),
    coveredRule(
      maxDirectivesRule(
        judged(
          limits.maxDirectives,
          "DIRECTIVE_LIMIT_EXCEEDED",
          (n) =>
            `The operation uses ${n} directives; the directive limit is ${limits.maxDirectives}.`,
        ),
      ),
      { kind: "directives", limit: limits.maxDirectives },
    ),
  ];
}

export function limitPlugins(limits: Limits): Plugin[] {
  return [
    tokenLimitPlugin(limits.maxTokens, parse, limits.maxLines),
    ...limitRules(limits).map(ruleOnce),
    executionPlugin(limits),
  ];
}

/**
 * At most `maxTokens` lexical tokens per document, counted by graphql-js's own parser while it
 * reads them (its `maxTokens` option: parsing stops at the first token over the limit). Replaces
 * graphql-armor's max-tokens, which wraps the lexer in a Proxy and cost about a tenth of a one-off
 * request (bench/RESULTS.md); same count (every token but the end of the document).
 *
 * Whether a failed parse stopped at the limit is decided by position, not by graphql-js's message:
 * the parser stops when the token after the limit becomes current, so the refusal is at that
 * token's start; `overTokenLimit` finds that token with graphql-js's public Lexer. (`parseDocument`
 * is graphql-js's `parse` but in tests/server/limits-codes.test.ts, which rewords its errors.)
 */
export function tokenLimitPlugin(
  maxTokens: number,
  parseDocument: typeof parse = parse,
  maxLines = Number.POSITIVE_INFINITY,
): Plugin {
  const parseWithLimit: typeof parse = (source, options) => {
    if (overLineLimit(source, maxLines)) throw lineLimitRefusal(maxLines);
    if (overNestingLimit(source, MAX_DOCUMENT_NESTING)) throw nestingRefusal();
    try {
      return parseDocument(source, { ...options, maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError && overTokenLimit(source, maxTokens, error)) {
        throw refusal(
          `The document has more than ${maxTokens} tokens (the token limit): send a smaller query.`,
          "TOKEN_LIMIT_EXCEEDED",
          { limit: maxTokens },
        );
      }
      throw error;
    }
  };
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithLimit);
    },
  };
}

/** The refusal of a document of more than `maxLines` lines. */
const lineLimitRefusal = (maxLines: number) =>
  refusal(
    `The document has more than ${maxLines} lines (the line limit): send a smaller query, with fewer blank or comment lines.`,
    "LINE_LIMIT_EXCEEDED",
    { limit: maxLines },
  );

/**
 * Whether `source` has more than `maxLines` lines (line breaks as graphql-js counts them: \n,
 * \r\n, \r); counted no further than the limit.
 */
export function overLineLimit(source: string | Source, maxLines: number): boolean {
  const body = typeof source === "string" ? source : source.body;
  if (body.length < maxLines) return false; // at most one line per character, and one more
  let lines = 1;
  for (let at = 0; at < body.length; at++) {
    const code = body.charCodeAt(at);
    if ((code === 10 || (code === 13 && body.charCodeAt(at + 1) !== 10)) && ++lines > maxLines)
      return true;
  }
  return false;
}

/**
 * How deep a document's brackets (`{ }`, `[ ]`, `( )`) may nest inside one another: selection
 * sets, list and input object literals, list types, arguments. Not a setting: far more than any
 * document needs (the depth limit is at most 100 fields, a variable nests at most 200 levels) and
 * far less than where graphql-js's parser, which recurses once or more per level, runs out of
 * stack. Red team 11 (F5): with KZ_OSCE_MAX_TOKENS raised, a 4 KB `_entities(representations:
 * [[[...]]])` of 2,000 levels answered 500 (RangeError); measured over HTTP at 100,000 tokens, a
 * list literal overflowed from 2,000 levels, an object literal from 2,000, nested inline
 * fragments from 3,000, `nodes(ids:)` lists from 6,000, nested fields from 6,000, list types from
 * 20,000: 500 is a quarter of the least of them.
 */
export const MAX_DOCUMENT_NESTING = 500;

/** The refusal of a document whose brackets nest deeper than MAX_DOCUMENT_NESTING. */
const nestingRefusal = () =>
  refusal(
    `The document nests brackets ({ }, [ ], ( ): selection sets, lists, input objects, arguments) more than ${MAX_DOCUMENT_NESTING} deep (the document nesting limit), far deeper than any query needs: send a flatter document.`,
    "DOCUMENT_TOO_DEEP",
    { limit: MAX_DOCUMENT_NESTING },
  );

/**
 * Whether `source`'s brackets nest more than `maxNesting` deep, read as graphql-js's lexer reads
 * it (brackets inside strings, block strings and comments are text), before it is parsed:
 * the parser's recursion is what overflows. Never less than the parser's depth for a document it
 * would parse that far (an unclosed string ends, as the lexer's error does, at the end of its
 * line), and stops at the first bracket over the limit.
 */
export function overNestingLimit(source: string | Source, maxNesting: number): boolean {
  const body = typeof source === "string" ? source : source.body;
  if (body.length <= maxNesting) return false; // a bracket per level at least
  let depth = 0;
  for (let at = 0; at < body.length; at++) {
    const code = body.charCodeAt(at);
    if (code === 0x7b || code === 0x5b || code === 0x28) {
      // { [ (
      if (++depth > maxNesting) return true;
    } else if (code === 0x7d || code === 0x5d || code === 0x29) {
      // } ] ): a stray one closes nothing (the parser refuses it)
      if (depth > 0) depth--;
    } else if (code === 0x23) {
      // # a comment, to the end of its line
      while (at + 1 < body.length && !isLineEnd(body.charCodeAt(at + 1))) at++;
    } else if (code === 0x22) {
      at = body.startsWith('"""', at) ? blockStringEnd(body, at + 3) : stringEnd(body, at + 1);
    }
  }
  return false;
}

const isLineEnd = (code: number) => code === 0x0a || code === 0x0d;

/** Where a string that opened before `at` ends: its closing quote, or the end of its line. */
function stringEnd(body: string, at: number): number {
  for (; at < body.length; at++) {
    const code = body.charCodeAt(at);
    if (code === 0x5c)
      at++; // \ escapes the next character
    else if (code === 0x22 || isLineEnd(code)) return at;
  }
  return at;
}

/** Where a block string that opened before `at` ends: the last quote of its closing """. */
function blockStringEnd(body: string, at: number): number {
  for (; at < body.length; at++) {
    const code = body.charCodeAt(at);
    if (code === 0x5c && body.startsWith('"""', at + 1))
      at += 3; // \""" is text
    else if (code === 0x22 && body.startsWith('"""', at)) return at + 2;
  }
  return at;
}

/**
 * Whether `error`, thrown by parsing `source` with `maxTokens`, is the token limit: the document
 * lexes to more than `maxTokens` tokens and the error is at the start of the first one over. Any
 * other syntax error comes earlier (the parser never looks at the token over the limit) or is a
 * lexical error before it (then the Lexer below fails before reaching it too). Only failed parses
 * pay for this second reading, and it stops at the limit.
 */
export function overTokenLimit(
  source: string | Source,
  maxTokens: number,
  error: GraphQLError,
): boolean {
  const position = error.positions?.[0];
  if (position === undefined) return false;
  const lexer = new Lexer(typeof source === "string" ? new Source(source) : source);
  try {
    for (let count = 0; ; ) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) return false;
      if (++count > maxTokens) return token.start === position;
    }
  } catch {
    return false;
  }
}

/**
 * Before an operation executes: refuse it if its variables are nested too deep or hold too long
 * a list (checked on the raw JSON, before graphql-js coerces it: variables.ts), if a filter holds
 * too many conditions, or if its cost (given its variables and the graph's shape) is above the
 * limit; else give it a deadline, put in its context. The refusal, or the deadline, for `args`.
 * Run by `executionPlugin` for every request Yoga executes (GET and POST, each item of a batch)
 * and by the shortcut's direct pipeline (direct.ts) for the plain queries it answers itself.
 */
export type ExecutionAdmission = (
  args: ExecutionArgs,
) => { refused: GraphQLError; deadline?: undefined } | { refused?: undefined; deadline: Deadline };

/** Costs worked out (`operationCost` called) by the admissions, for tests/server/cost-http.test.ts. */
export const costCounts = { computed: 0 };

/**
 * The last cost of an operation without variables worked out by an admission, by its text, name,
 * schema, graph shape and limits. The direct pipeline's admission and Yoga's are two (each with its own
 * cache, by DocumentNode), and a request the first refuses is parsed and admitted again by Yoga
 * right after, to answer it: its cost was worked out twice, and a document made to be dear to
 * price (fragments spread in fragments, up to MAX_PLAN_ENTRIES plans) took twice 15-20 ms.
 */
let lastCost:
  | {
      text: string;
      name: string;
      shape: object;
      schema: GraphQLSchema;
      limits: Limits;
      result: CostResult;
    }
  | undefined;

export function executionAdmission(limits: Limits): ExecutionAdmission {
  // the cost of operations without variables depends on the document and the graph's shape
  // alone, and Yoga (like the direct pipeline) hands the same DocumentNode for the same query
  // text (its parse cache): remember it per shape (a reload brings a new shape, and new costs)
  const costs = new WeakMap<
    GraphShape | typeof NO_SHAPE,
    WeakMap<DocumentNode, Map<string, CostResult>>
  >();
  const bounds = { maxDepth: limits.maxVariableDepth, maxListLength: limits.maxListLength };
  // made once, not per request: tsx names each closure assigned to a name with
  // Object.defineProperty whenever one is made (docs/performance.md)
  const compute = (
    args: ExecutionArgs,
    variables: Record<string, unknown> | null | undefined,
    shape: GraphShape | undefined,
    index: SearchIndex | undefined,
  ): CostResult => {
    costCounts.computed++;
    return operationCost(args.schema, args.document, args.operationName, variables, {
      shape,
      // the index of the graph whose shape keys the costs below (a reload brings both anew)
      searchHits:
        index &&
        ((query, kinds, everyName) => {
          const reach = index.reach(query, kinds);
          return everyName ? reach.names : reach.hits;
        }),
      searchNames: index?.nameCount,
      listSize: limits.costListSize,
      maxFilterConditions: limits.maxFilterConditions,
      // an introspection stops counting what it returns once the operation is over the limit,
      // or its own part over its share
      maxCost: limits.maxCost,
      maxIntrospection: INTROSPECTION_LIMIT,
    });
  };
  const costOf = (
    args: ExecutionArgs,
    operation: OperationDefinitionNode | null | undefined,
  ): CostResult => {
    const variables = args.variableValues as Record<string, unknown> | null | undefined;
    const context = args.contextValue as
      | { graph?: KnowledgeGraph; search?: SearchIndex }
      | undefined;
    const shape = context?.graph?.shape;
    const index = context?.search;
    if (operation?.variableDefinitions?.length) return compute(args, variables, shape, index);
    let byDocument = costs.get(shape ?? NO_SHAPE);
    if (!byDocument) costs.set(shape ?? NO_SHAPE, (byDocument = new WeakMap()));
    let byName = byDocument.get(args.document);
    if (!byName) byDocument.set(args.document, (byName = new Map()));
    const key = args.operationName ?? "";
    let result = byName.get(key);
    if (!result) {
      // the same text just priced by the other admission (lastCost)
      const text = args.document.loc?.source.body;
      const kept = lastCost;
      result =
        kept !== undefined &&
        kept.text === text &&
        kept.name === key &&
        kept.shape === (shape ?? NO_SHAPE) &&
        kept.schema === args.schema &&
        kept.limits === limits
          ? kept.result
          : compute(args, variables, shape, index);
      if (text !== undefined)
        lastCost = {
          text,
          name: key,
          shape: shape ?? NO_SHAPE,
          schema: args.schema,
          limits,
          result,
        };
      byName.set(key, result);
    }
    return result;
  };

  return (args) => {
    const context = args.contextValue as AdmittedContext | undefined;
    // executed by the direct pipeline already, its result with errors handed to Yoga to answer
    // (`executedBefore`): a deadline for its answer's writing alone (in its slices when long),
    // priced, weighed and counted again against nothing. Admitted again in full, its
    // introspection counted twice against the request's limit, and a query answered was refused
    // 400 INTROSPECTION_LIMIT_EXCEEDED (red team 49, F5), or refused as late after its work was
    // done. Its slices count as its client's, as its execution's did, and its time is what is
    // left of the execution's (`executionStarts`): a deadline of its own let an answer be sent
    // up to 7.5 s after its request, past the limit of 5 (red team 49)
    if (context?.req !== undefined && executedBefore.has(context.req)) {
      const client = clientAt(socketOf(context));
      const startedAt = executionStarts.get(context.req);
      const deadline = new Deadline(limits.executionTimeoutMs, {
        sliceMs: limits.executionSliceMs,
        scheduler: sliceScheduler(limits.executionSliceMs),
        teaches: false,
        ...(client !== undefined && { client }),
        ...(startedAt !== undefined && { startedAt }),
      });
      return { deadline: inContext(context, deadline, limits) };
    }
    const problem = checkVariables(args.variableValues, bounds);
    if (problem) {
      return {
        refused: refusal(describeVariableProblem(problem, bounds), problem.code, {
          variable: problem.variable,
          path: `$${problem.variable}${problem.path}`,
          limit:
            problem.code === "VARIABLE_TOO_DEEP" ? limits.maxVariableDepth : limits.maxListLength,
          ...(problem.code === "VARIABLE_LIST_TOO_LONG" && { found: problem.found }),
        }),
      };
    }
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    // a variable named `$__proto__`: Yoga's executor gathers the coerced variables in a plain
    // object, where that name sets the prototype, so its value was lost and the client told it
    // had given none, on every path but the direct one, which answered (red team 52, F3)
    const reserved = operation?.variableDefinitions?.find(
      (definition) => definition.variable.name.value === "__proto__",
    );
    if (reserved) {
      return {
        refused: refusal(
          "A variable may not be named `$__proto__`: the server would lose its value (the name stands for an object's prototype in JavaScript, where the variables are gathered). Rename the variable.",
          "BAD_USER_INPUT",
          { variable: "__proto__" },
        ),
      };
    }
    const wide =
      operation?.variableDefinitions?.length &&
      wideObject(args.schema, operation.variableDefinitions, args.variableValues);
    if (wide) {
      return {
        refused: refusal(
          describeWideObject(wide),
          wide.printed ? "VARIABLE_ERRORS_TOO_LARGE" : "VARIABLE_OBJECT_TOO_WIDE",
          {
            variable: wide.variable,
            path: `$${wide.variable}${wide.path}`,
            type: wide.type,
            found: wide.found,
            limit: wide.limit,
            ...(wide.printed && { field: wide.printed.unknown }),
          },
        ),
      };
    }
    const cost = costOf(args, operation);
    if (cost.ok && cost.tooLargeFilter) {
      const { path, variable, conditions } = cost.tooLargeFilter;
      return {
        refused: refusal(
          `The argument \`filter\` of \`${path}\`${variable ? ` (variable $${variable})` : ""} holds ${conditions} conditions; ` +
            `a filter may hold at most ${limits.maxFilterConditions} (each operator such as \`eq\` or \`contains\`, and each member of \`and\`/\`or\` and each \`not\`, counts one). ` +
            "Use `in: [...]` for a list of values, or split the question.",
          "FILTER_TOO_LARGE",
          {
            path,
            argument: "filter",
            ...(variable && { variable }),
            found: conditions,
            limit: limits.maxFilterConditions,
          },
        ),
      };
    }
    if (cost.ok && cost.cost > limits.maxCost) {
      const costliest = cost.costliest;
      return {
        refused: refusal(
          `The query would cost ${cost.complete ? "" : "at least "}${cost.cost} units of work; the cost limit is ${limits.maxCost}` +
            (costliest
              ? `. The most costly part is \`${costliest.path}\` (${costliest.cost}).`
              : ".") +
            ` A unit is about 2 µs of work: each object returned costs ${COST_WEIGHTS.OBJECT}, a list holds at most what the data holds, and a filtered list costs every item it tests (every item of a root list, unless its filter names keys or kinds an index answers) times its conditions. Ask for smaller pages, fewer nested lists, or fewer conditions.`,
          "COST_LIMIT_EXCEEDED",
          {
            cost: cost.cost,
            limit: limits.maxCost,
            ...(costliest && { path: costliest.path, pathCost: costliest.cost }),
          },
        ),
      };
    }
    // what the request's operations before this one introspected (a batch's): a batch of ten
    // asking `_service { sdl }` each was answered 2 MB from about 300 bytes (red team 38, F1)
    const introspected =
      cost.ok && cost.introspection > 0 ? requestSpend(args.contextValue) : undefined;
    if (
      cost.ok &&
      introspected &&
      introspected.introspection > 0 &&
      cost.introspection + introspected.introspection > INTROSPECTION_LIMIT
    ) {
      return {
        refused: refusal(
          `The request's operations before this one introspected already (\`__schema\`, \`__type\`; in subgraph mode \`_service\` too: ${introspected.introspection} units of work), and this one's would take ${cost.complete ? "" : "at least "}${cost.introspection} more; the introspection of one request (a batch's operations together) may take at most ${INTROSPECTION_LIMIT}. Ask for the schema once, in one operation.`,
          "INTROSPECTION_LIMIT_EXCEEDED",
          {
            cost: cost.introspection,
            before: introspected.introspection,
            limit: INTROSPECTION_LIMIT,
            introspection: true,
          },
        ),
      };
    }
    if (cost.ok && cost.introspection > INTROSPECTION_LIMIT) {
      return {
        refused: refusal(
          `The query's introspection (\`__schema\`, \`__type\`; in subgraph mode \`_service\` too) would cost ${cost.complete ? "" : "at least "}${cost.introspection} units of work; introspection may take at most ${INTROSPECTION_LIMIT}, ` +
            "as it runs in one go, holding the server for every other request meanwhile. GraphiQL's and codegen's introspection queries pass, and a gateway's `_service { sdl }`: ask for the schema once (not under several aliases, nor twice in one operation), and what you need of a type by `__type(name:)`; the schema's SDL is in the project's repository (schema/schema.graphql; the subgraph's, schema/subgraph.graphql).",
          "INTROSPECTION_LIMIT_EXCEEDED",
          { cost: cost.introspection, limit: INTROSPECTION_LIMIT, introspection: true },
        ),
      };
    }
    if (cost.ok && !cost.complete) {
      // the walk ran out of visits (cost.ts, MAX_VISITS) under both limits: what it had not
      // reached went unpriced, an introspection after it too (which runs in one go, unsliced)
      return {
        refused: refusal(
          `The query is too large to price (at least ${cost.cost} units of work, its fields counted once its fragments are expanded go past what the cost walk visits): ask for fewer fields, or spread fewer fragments in fragments.`,
          "COST_LIMIT_EXCEEDED",
          { cost: cost.cost, limit: limits.maxCost, complete: false },
        ),
      };
    }
    if (cost.ok && introspected) introspected.introspection += cost.introspection;
    // The deadline lives in the request's context: the schema's resolvers check it before each
    // field (the executionDeadline Pothos plugin, src/schema/deadline-plugin.ts) and hand it to
    // the graph's long loops, which check it as they go. An expired run is answered with one
    // error (`timeoutError`).
    // Its slices take their turns of the event loop with every other request's, through the
    // process's one scheduler (src/graph/scheduler.ts): the caller says when execution is over
    // (`deadline.finish()`), so that the next request waiting may run in what is left of the turn.
    // Its price tells the scheduler how much work it brings (a unit is about 2 µs: cost.ts), so
    // that the queue's length in ms, which load shedding reads, is what its requests will take.
    // The work it queues counts as its client's (the connection's address, an IPv6 one by its
    // /64: share-client.ts), so that load shedding refuses the clients that brought the queue's
    // work, not everyone (pressure.ts).
    const socket = socketOf(context);
    const scheduler = sliceScheduler(limits.executionSliceMs);
    // an operation that would wait behind the long lane's work past its time limit is refused
    // now, not let run out of time there (scheduler.ts `runsLate`); the warm-up's never are
    // worked out once per connection (clientOf): 4-6 µs each time for an IPv6 address
    const client = clientAt(socket);
    // what it is expected to run for its price is learned from the runs of its pattern alone
    // (work-pattern.ts; scheduler.ts `expectedMs` says why): worked out for the operations that
    // teach, the others' runs being their fixed costs
    const pricedMs = cost.ok ? cost.cost * COST_UNIT_MS : undefined;
    // (one too long to have a pattern is expected as a pattern never seen, not by the ratio
    // of every query: scheduler.ts UNKNOWN_PATTERN)
    const pattern =
      pricedMs !== undefined && pricedMs >= LEARNED_FROM_PRICED_MS
        ? (workPattern(
            args.document,
            args.operationName,
            args.variableValues as Record<string, unknown> | null | undefined,
          ) ?? UNKNOWN_PATTERN)
        : undefined;
    if (pricedMs !== undefined && context?.warmUp !== true) {
      const late = scheduler.runsLate(pricedMs, limits.executionTimeoutMs, client, pattern);
      if (late) {
        // its connection owes that work for a while (scheduler.ts `owe`)
        if (socket) scheduler.owe(socket, late.expectedMs);
        return { refused: lateRefusal(late, limits.executionTimeoutMs) };
      }
    }
    const deadline = new Deadline(limits.executionTimeoutMs, {
      sliceMs: limits.executionSliceMs,
      scheduler,
      ...(pricedMs !== undefined && { pricedMs }),
      ...(pattern !== undefined && { pattern }),
      ...(client !== undefined && { client }),
      // the warm-up's cold runs say nothing of what requests take (direct.ts, `warmUp`)
      ...(context?.warmUp === true && { teaches: false }),
    });
    if (context?.req !== undefined) executionStarts.set(context.req, deadline.start);
    return { deadline: inContext(context, deadline, limits) };
  };
}

/**
 * When each request's execution began (its deadline's start): the deadline of the writing of an
 * answer the direct pipeline executed and Yoga writes (`executedBefore`) ends where the
 * execution's would have.
 */
const executionStarts = new WeakMap<object, number>();

/** What an admission reads of a request's context, and puts in it. */
interface AdmittedContext {
  deadline?: Deadline;
  errorBudget?: ErrorBudget;
  req?: object;
  res?: unknown;
  warmUp?: boolean;
}

/** The connection a request came on, when its context holds node's response. */
function socketOf(context: AdmittedContext | undefined): Socket | undefined {
  return context?.res instanceof ServerResponse
    ? (context.res.req?.socket ?? undefined)
    : undefined;
}

/** Who sent a request that came on `socket` (share-client.ts), when it is known. */
function clientAt(socket: Socket | undefined): string | undefined {
  return socket?.remoteAddress ? clientOf(socket) : undefined;
}

/** `deadline`, put in `context` with what an execution under it needs. */
function inContext(
  context: AdmittedContext | undefined,
  deadline: Deadline,
  limits: Limits,
): Deadline {
  if (context) {
    context.deadline = deadline;
    // the item errors it may make before the error limit would cut the rest (errors.ts)
    context.errorBudget = new ErrorBudget(limits.maxErrors);
    // a request's server context holds its response (node:http's, through Yoga or the
    // direct pipeline): the execution stops when the client goes away before its answer
    if (context.res instanceof ServerResponse) stopWhenClientGone(context.res, deadline);
  }
  return deadline;
}

/**
 * The refusal of an operation that would run out of time behind the work waiting (scheduler.ts
 * `runsLate`): 503 SERVER_OVERLOADED, as load shedding's, with a Retry-After of about the time
 * that work takes. It says the work of every client together, never a client's own (reviews 7
 * and 8: that told a client whether others had work waiting).
 */
function lateRefusal(
  { aheadMs, expectedMs }: { aheadMs: number; expectedMs: number },
  limitMs: number,
): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(aheadMs / 1000));
  const error = overloadedError(
    `The server is overloaded: the queries waiting to execute hold about ${Math.round(aheadMs)} ms of work, and this one would take about ${Math.round(expectedMs)} ms more, past the ${Math.round(FINISH_WITHIN_SHARE * limitMs)} ms it may count on (four fifths of the execution time limit): it would run out of time before it is done. Try again in ${retryAfter} s.`,
    retryAfter,
  );
  lateRefusals.add(error);
  return error;
}

const lateRefusals = new WeakSet<GraphQLError>();

/** A 503 SERVER_OVERLOADED of the execution's, with Retry-After, never kept by a cache. */
function overloadedError(message: string, retryAfter: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: "SERVER_OVERLOADED",
      http: {
        status: 503,
        headers: { "retry-after": String(retryAfter), "cache-control": "no-store" },
      },
    },
  });
}

/**
 * Whether `error` refused an operation that would have run out of time (`lateRefusal`): the
 * direct pipeline answers it as it is (direct.ts), where it leaves every other refusal to Yoga,
 * which would read the document and weigh the operation again, only to refuse it. Such refusals
 * come by the hundred in a burst (red team 46, F0).
 */
export function isLateRefusal(error: GraphQLError): boolean {
  return lateRefusals.has(error);
}

/**
 * Requests whose operation the shortcut's direct pipeline executed (or refused) before handing
 * its result, which has errors, to Yoga to answer (shortcut.ts): Yoga runs its execution hooks
 * for it again, its execution standing for the result. "errors": a result of errors alone (a
 * refusal, an execution stopped), which is admitted no more; "data": one with data, given a
 * deadline for its answer's writing alone (made in slices when long), neither priced, weighed nor
 * refused: its work is done. Admitted again in full, each of a burst's hundreds of late refusals
 * was priced and refused twice, and an answer executed could be refused after its work was done:
 * as late, when the queue had grown meanwhile, or for its introspection, counted twice against
 * the request's limit (red team 49, F5).
 */
const executedBefore = new WeakMap<object, "errors" | "data">();

/** `req`'s operation was executed before Yoga answers it, with `result` (`executedBefore`). */
export function executedBeforeYoga(req: object, result: ExecutionResult): void {
  executedBefore.set(req, "data" in result ? "data" : "errors");
}

/** `executionAdmission` as a Yoga plugin (one plugin for all, as each onExecute hook has a price per request). */
function executionPlugin(limits: Limits): Plugin {
  const admit = executionAdmission(limits);
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const req = (args.contextValue as { req?: object } | undefined)?.req;
      if (req !== undefined && executedBefore.get(req) === "errors") return;
      const { refused, deadline } = admit(args);
      if (refused) return void setResultAndStopExecution({ errors: [refused] });
      return {
        onExecuteDone({ result, setResult }) {
          let sliced = false;
          // its client went away: nobody reads this answer, which says so (not a time-out, which
          // /metrics counts)
          if (deadline.expired) setResult({ errors: [stoppedError(deadline)] });
          else if (!isAsyncIterable(result) && !("data" in result) && result.errors?.length) {
            // nothing executed: graphql-js refused the variables (the only answer it gives
            // without data once the operation is chosen), which its errors say without a code
            setResult({ ...result, errors: result.errors.map(asBadUserInput) });
          } else if (!isAsyncIterable(result)) {
            const answer = answerable(
              result,
              limits,
              deadline,
              requestSpend(args.contextValue),
              skippedErrors(args.contextValue),
            );
            if (answer.result !== result) setResult(answer.result);
            sliced = answer.sliced;
          }
          // after the answer is weighed, which runs now, and written: the next waiter's turn is
          // its own (finishWhenAnswered)
          finishWhenAnswered(args.contextValue, deadline, sliced, isAsyncIterable(result));
        },
      };
    },
    onResponse({ request }) {
      finishAnswered(request);
    },
  };
}

/** The longest message of a variable's error answered whole; a longer one is cut (`shortenedMessage`). */
export const MAX_VARIABLE_MESSAGE = 4096;

/**
 * A variable's error message cut to about MAX_VARIABLE_MESSAGE characters, each of its two parts
 * (`Variable "$n" got invalid value …` and graphql-js's reason after "; ", `reason`) in its own
 * middle, saying how many characters were cut: the start names the variable and the value, and
 * the reason keeps its words and its end (an unknown key's name, a suggestion). graphql-js prints
 * the invalid value whole (a string, and every entry of an object: only lists are cut, at 10
 * items), in both parts, and an object once for each of its unknown keys: a body of 95 KB was
 * answered with 857 KB.
 */
export function shortenedMessage(message: string, reason?: string): string {
  if (message.length <= MAX_VARIABLE_MESSAGE) return message;
  if (reason !== undefined && message.endsWith(`; ${reason}`)) {
    const prefix = message.slice(0, message.length - reason.length - 2);
    return `${cutMiddle(prefix, MAX_VARIABLE_MESSAGE / 2)}; ${cutMiddle(reason, MAX_VARIABLE_MESSAGE / 2)}`;
  }
  return cutMiddle(message, MAX_VARIABLE_MESSAGE);
}

/**
 * `error` with the code BAD_USER_INPUT when it has none: a variable's value that does not coerce
 * (`Variable "$n" got invalid value "x"; Int cannot represent non-integer value`), or one
 * missing, was the only error of the API without a code for a client to act on.
 */
function asBadUserInput(error: GraphQLError): GraphQLError {
  if (error.extensions?.code !== undefined) return error;
  return withMessage(error, shortenedMessage(error.message, error.originalError?.message), {
    ...error.extensions,
    code: "BAD_USER_INPUT",
  });
}

/** The deadlines of each request Yoga is answering, to finish once its answer is written. */
const answering = new WeakMap<object, Deadline[]>();

/**
 * Closes the deadlines of `request`'s operations now that its answer is written (Deadline
 * `close`: finished, and what graphql-js still resolves of them stops, as the direct pipeline's
 * do): Yoga's `onResponse`, and the shortcut's envelop path (shortcut.ts `answerFast`, subgraph
 * mode), which writes answers itself.
 */
export function finishAnswered(request: object): void {
  const deadlines = answering.get(request);
  if (deadlines === undefined) return;
  answering.delete(request);
  for (const deadline of deadlines) deadline.close();
}

/**
 * Closes `deadline` (finished, and what still runs of it stopped) once Yoga has written the
 * answer of the request (its JSON: a page of source texts, 9 MB, takes 15-20 ms to write) and not
 * before, so that the scheduler lets the next request waiting run only after it, in what is left
 * of the turn: finished as soon as the execution was over, several requests' answers were written
 * in one turn. At the latest on the next turn, should no answer come (one Yoga fails to make).
 */
function finishWhenAnswered(
  context: unknown,
  deadline: Deadline,
  sliced = false,
  streamed = false,
): void {
  const request = (context as { request?: Request } | undefined)?.request;
  if (request === undefined) {
    if (!sliced) deadline.finish();
    return;
  }
  // a stream's execution goes on after its first answer, which Yoga's onResponse follows: only
  // finished, on the next turn, never closed (no operation of this schema streams today)
  if (streamed) {
    setImmediate(() => deadline.finish());
    return;
  }
  let deadlines = answering.get(request);
  if (deadlines === undefined) answering.set(request, (deadlines = []));
  deadlines.push(deadline);
  // a long answer is made over several turns, in this operation's slices: answers.ts finishes it
  // once made (Yoga's onResponse at the latest), so that its client leaving still stops it
  if (sliced) return;
  setImmediate(() => {
    // (the answer is made: Yoga writes it; what graphql-js still resolves of it stops)
    deadline.close();
    const left = answering.get(request)?.filter((d) => d !== deadline);
    if (left?.length) answering.set(request, left);
    else answering.delete(request);
  });
}

/**
 * How many bytes `value` takes as JSON (UTF-8, escapes included), counted until it passes `limit`
 * (then a number past it), so that an answer of millions of values is not walked whole. A string
 * of plain printable ASCII counts its length and quotes; any other is counted byte by byte, with
 * its escapes (a control character is six bytes, `\u0001`; a CJK character three), once per walk
 * however often it recurs (a source's text under every quote). A number counts its digits.
 * Separators count one byte more per item than JSON writes.
 */
export function answerSize(value: unknown, limit: number): number {
  let size = 0;
  const counted = new Map<number, [string, number][]>();
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= limit) {
    const item = stack.pop();
    if (typeof item === "string") size += stringSize(item, counted);
    else if (typeof item === "number") size += String(item).length;
    else if (item === null || typeof item !== "object") size += item === false ? 5 : 4;
    else if (Array.isArray(item)) {
      size += 2 + item.length;
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
    } else {
      size += 2;
      for (const key in item) {
        size += stringSize(key, counted) + 2;
        stack.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return size;
}

/** Characters JSON writes as they are, one byte each: printable ASCII but `"` and `\`. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Characters JSON escapes: control characters, `"` and `\`; and runs of the others. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters JSON escapes
const ESCAPED = /[\x00-\x1f"\\]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters JSON escapes
const NOT_ESCAPED = /[^\x00-\x1f"\\]+/g;

/**
 * Bytes of `text` as a JSON string, quotes included (`answerSize`): its UTF-8 bytes, counted by
 * Node, plus what escapes add. A long string is counted once per walk however often it recurs,
 * found again by its length and then by identity (`===` on the same string is a pointer
 * comparison): a Map keyed by the text hashed every character of it, and with a loop over the
 * characters took 56 ms for a page of 100 source texts (9 MB), three times the answer's
 * `JSON.stringify`; this way 15 ms.
 */
function stringSize(text: string, counted: Map<number, [string, number][]>): number {
  if (text.length < 64 ? PLAIN.test(text) : false) return text.length + 2;
  let sameLength = counted.get(text.length);
  if (sameLength) {
    for (const [seen, bytes] of sameLength) if (seen === text) return bytes;
  } else counted.set(text.length, (sameLength = []));
  let bytes = 2 + Buffer.byteLength(text, "utf8");
  if (ESCAPED.test(text)) {
    // `"`, `\\`, \b \t \n \f \r take two bytes for one, other control characters six (\u0001)
    const escaped = text.replace(NOT_ESCAPED, "");
    for (let i = 0; i < escaped.length; i++) {
      const c = escaped.charCodeAt(i);
      bytes +=
        c === 0x22 || c === 0x5c || c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 1 : 5;
    }
  }
  // a lone surrogate is three bytes in UTF-8 (a replacement character) and six in JSON; a
  // well-formed string has none (a scan in C++: `match` over 9 MB with one emoji took 65-99 ms)
  if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0xd800 || c > 0xdfff) continue;
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else bytes += 3;
    }
  }
  // a few strings of one length are kept: past that, one more is counted again when it recurs
  if (sameLength.length < 8) sameLength.push([text, bytes]);
  return bytes;
}

/**
 * The error that replaces an executed answer too large to send (Limits.maxResponseBytes), or
 * undefined when it may go. `used`: bytes the request's other operations (a batch's, written
 * as one array) took already; the answer's own are added to it. Its `data` and its errors are
 * weighed (cut first to Limits.maxErrors: `withErrorsCut`); an answer of errors alone (no `data`)
 * is weighed by its errors.
 */
export function oversizedAnswer(
  result: { data?: unknown; errors?: readonly unknown[] },
  maxResponseBytes: number,
  used: { bytes: number } = { bytes: 0 },
): GraphQLError | undefined {
  const data = result.data !== null && typeof result.data === "object";
  if (!data && !result.errors?.length) return undefined;
  const left = maxResponseBytes - used.bytes;
  let size = data ? answerSize(result.data, left) : 0;
  if (size <= left && result.errors?.length) {
    // as JSON.stringify writes them: what each error's toJSON gives
    const errors = result.errors.map((error) =>
      typeof (error as GraphQLError).toJSON === "function"
        ? (error as GraphQLError).toJSON()
        : error,
    );
    size += answerSize(errors, left - size);
  }
  if (size <= left) {
    used.bytes += size;
    return undefined;
  }
  return refusal(
    `The answer would take more than ${maxResponseBytes} bytes (the answer size limit${used.bytes > 0 ? ", for all the operations of a batch together" : ""}), so it is not sent. ` +
      "Ask for fewer items, fewer aliases, or leave out long texts (a source's `text`), and page through the rest.",
    "RESPONSE_TOO_LARGE",
    { limit: maxResponseBytes },
  );
}

/**
 * An executed `result` as it may be answered, on every path (Yoga's plugin, the direct
 * pipeline): its errors cut (`withErrorsCut`); replaced by RESPONSE_TOO_LARGE past the size limit
 * (`oversizedAnswer`, `tooLarge`); and, past SLICED_ANSWER_BYTES, its data marked to be written in
 * `deadline`'s slices (answer-json.ts `writeInSlices`: answers.ts for Yoga, shortcut.ts for the
 * direct path), which `sliced` says. `used`: as `oversizedAnswer`'s; `skipped`: as
 * `withErrorsCut`'s.
 */
export function answerable<T extends { data?: unknown; errors?: readonly GraphQLError[] }>(
  result: T,
  limits: Pick<Limits, "maxErrors" | "maxResponseBytes">,
  deadline: Deadline,
  used: { bytes: number } = { bytes: 0 },
  skipped = 0,
): { result: T | { errors: GraphQLError[] }; tooLarge: boolean; sliced: boolean } {
  const cut = withErrorsCut(result, limits.maxErrors, skipped);
  const before = used.bytes;
  const tooLarge = oversizedAnswer(cut, limits.maxResponseBytes, used);
  if (tooLarge) return { result: { errors: [tooLarge] }, tooLarge: true, sliced: false };
  const sliced =
    used.bytes - before > SLICED_ANSWER_BYTES && typeof cut.data === "object" && !!cut.data;
  if (sliced) writeInSlices(cut.data as object, deadline);
  return { result: cut, tooLarge: false, sliced };
}

/**
 * `result` with at most `maxErrors` errors (Limits.maxErrors): past it, the first error of each
 * field before a second of any (error-order.ts `preferred`), answered in the document's order, and
 * one more that says how many were left out (TOO_MANY_ERRORS); `data` is kept whole. Errors are
 * made one per item (`nodes(ids:)` of 1,000 malformed ids, nine aliases of it, ten operations
 * in a batch: 90,000 errors, a 25 MB answer made in one go, which held the event loop 0.6-1.6 s),
 * and past the first few they say the same again. `skipped`: item errors the operation did not
 * make, the limit reached (errors.ts ErrorBudget): left out as well, and counted.
 */
export function withErrorsCut<T extends { errors?: readonly GraphQLError[] }>(
  result: T,
  maxErrors: number,
  skipped = 0,
): T {
  const errors = result.errors ?? [];
  if (errors.length + skipped <= maxErrors || cutErrors.has(errors)) return result;
  const omitted = errors.length + skipped - maxErrors;
  // made without a stack, as the errors it stands for (errors.ts): nothing reads it
  const cut = userError(
    `${omitted} more error${omitted === 1 ? "" : "s"} left out: an answer holds at most ${maxErrors} (the error limit). ` +
      `Mend what the errors above say (${KEPT_FIRST}) and ask again.`,
    { extensions: { code: "TOO_MANY_ERRORS", limit: maxErrors, omitted } },
  );
  const first = preferred(errors).slice(0, maxErrors);
  const kept = [...inDocumentOrder(first.map((index) => errors[index]!)), cut];
  cutErrors.add(kept);
  return { ...result, errors: kept };
}

/** The item errors an operation did not make, the error limit reached (its context's ErrorBudget). */
export function skippedErrors(context: unknown): number {
  return (context as { errorBudget?: ErrorBudget } | undefined)?.errorBudget?.skipped ?? 0;
}

/** Errors cut already (an answer of the direct path is handed to Yoga, and weighed again there). */
const cutErrors = new WeakSet<readonly GraphQLError[]>();

/**
 * What each HTTP request's operations took so far, shared by a batch's operations, which are
 * executed one by one, each with its own context: the bytes of their answers, written as one
 * array under one size limit (10 operations of 6.7 MB each made a 67 MB answer under a 16 MiB
 * limit), and the introspection they were admitted with, under one INTROSPECTION_LIMIT (ten
 * `_service { sdl }` in a batch of about 300 bytes were answered with 2 MB). Keyed by the request
 * (node's IncomingMessage, in every operation's context); an operation without one (a test's
 * direct execution) counts alone.
 */
const spentBy = new WeakMap<object, { bytes: number; introspection: number }>();

function requestSpend(context: unknown): { bytes: number; introspection: number } {
  const req = (context as { req?: object } | undefined)?.req;
  if (req === undefined) return { bytes: 0, introspection: 0 };
  let spent = spentBy.get(req);
  if (!spent) spentBy.set(req, (spent = { bytes: 0, introspection: 0 }));
  return spent;
}

/** The key of costs computed without a graph's shape (a context without a graph). */
const NO_SHAPE = {};

/**
 * The one error of an execution stopped at its deadline (src/graph/deadline.ts). The deadline is
 * not an abort signal: the executor, aborted between fields, leaves the promises of fields it had
 * already started to reject with nobody listening, and an unhandled rejection ends a Node
 * process. Instead, once it has passed, every checkpoint throws (DeadlineExceededError), in a
 * resolver or in a loop of the graph, so the executor finishes quickly and normally; the whole
 * answer is then replaced by this error.
 */
export function timeoutError(limitMs: number, waitedOut = false): GraphQLError {
  return refusal(
    waitedOut
      ? `The query waited for its turn to execute until its ${limitMs} ms (the execution time limit) had passed, and was not begun: the server is busy. Try again later.`
      : `The query took longer than ${limitMs} ms to execute (the execution time limit) and was stopped. Ask for less.`,
    "EXECUTION_TIMEOUT",
    { limit: limitMs },
    503,
  );
}

/**
 * The one error of an execution stopped by its deadline: CLIENT_GONE when its client went away,
 * EXECUTION_TIMEOUT when its time ran out.
 */
export function stoppedError(deadline: Deadline): GraphQLError {
  if (deadline.abandoned) return clientGoneError();
  const notStarted = deadline.notStarted;
  return notStarted
    ? notStartedError(deadline.limitMs, notStarted)
    : timeoutError(deadline.limitMs, deadline.waitedOut);
}

/**
 * The answer of an execution that waited for its first turn until less time was left than it
 * was expected to run, and was not begun (deadline.ts `notStarted`): 503 SERVER_OVERLOADED with a
 * Retry-After of about the time it waited, as `lateRefusal`'s. Begun, it ran until its time limit
 * stopped it, for nobody, while the operations behind it waited.
 */
function notStartedError(
  limitMs: number,
  { waitedMs, expectedMs }: { waitedMs: number; expectedMs: number },
): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(waitedMs / 1000));
  return overloadedError(
    `The server is overloaded: this query waited ${Math.round(waitedMs)} ms for its turn to execute, and would take about ${Math.round(expectedMs)} ms, past the ${limitMs} ms it may take from its start (the execution time limit): it was not begun. Try again in ${retryAfter} s.`,
    retryAfter,
  );
}

/**
 * The answer of an execution stopped because its client went away (client-gone.ts), which
 * nobody reads: a code of its own, so that /metrics does not count it as a time-out. 499, the
 * status proxies log for a client that closed its request.
 */
function clientGoneError(): GraphQLError {
  return refusal(
    "The client closed the connection before its answer: the execution was stopped.",
    "CLIENT_GONE",
    {},
    499,
  );
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
 * `message` without graphql-js's "Did you mean ...?" suggestions. Matched by wording, for want of
 * another hook: graphql-js leaves them out itself when asked (`hideSuggestions`: validation is
 * asked in validate.ts, execution below), but Yoga's executor (@graphql-tools/executor) coerces
 * an enum variable with graphql 16's `parseValue(value)`, without asking, so the enum's
 * suggestion comes back. tests/server/limits-codes.test.ts holds this to graphql-js's wording: a
 * message stripped here must be the one graphql-js words without suggestions.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/ Did you mean [^?]*\?/g, "");
}

/**
 * No "Did you mean ...?" in variable and execution errors: without introspection they would leak
 * the schema. (Validation leaves them out itself: `validationPlugin({ hideSuggestions: true })`
 * in validate.ts.)
 */
export function hideSuggestionsPlugin(): Plugin {
  const strip = (error: GraphQLError) =>
    withoutSuggestions(error.message) === error.message
      ? error
      : withMessage(error, withoutSuggestions(error.message));
  return {
    onExecute({ args }) {
      (args as { hideSuggestions?: boolean }).hideSuggestions = true;
      return {
        onExecuteDone({ result, setResult }) {
          if ("errors" in result && result.errors?.length)
            setResult({ ...result, errors: result.errors.map((e) => strip(e as GraphQLError)) });
        },
      };
    },
  };
}

/**
 * graphql-js gives up validating a document whose overlapping fields would take too long to
 * compare (the same field thousands of times) with a bare "Validation aborted.": say what it
 * means. Its error is known by identity (validate.ts, isValidationAborted), not by that message.
 */
export function clearerValidationErrors(): Plugin {
  const tooComplex = () =>
    refusal(
      "The query selects the same fields too many times to be validated (graphql-js gave up comparing them): send a smaller query.",
      "QUERY_TOO_COMPLEX",
    );
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.some((error) => isValidationAborted(error) || isIntrospectionTooDeep(error)))
          setResult(
            result.map((error) =>
              isValidationAborted(error)
                ? tooComplex()
                : isIntrospectionTooDeep(error)
                  ? introspectionTooDeep(error)
                  : error,
            ),
          );
      };
    },
  };
}

/** graphql-js's MaxIntrospectionDepthRule's error (its wording: limits-codes.test.ts holds it). */
const isIntrospectionTooDeep = (error: GraphQLError) =>
  error.message === "Maximum introspection depth exceeded";

/**
 * graphql-js's bare "Maximum introspection depth exceeded", with a code and what to do: it
 * allows three nested lists of types (`fields`, `interfaces`, `possibleTypes`, `inputFields`)
 * under an introspection field, where a query nesting more was answered in megabytes.
 */
function introspectionTooDeep(error: GraphQLError): GraphQLError {
  return new GraphQLError(
    "The introspection nests lists of types (`fields`, `interfaces`, `possibleTypes`, `inputFields`) more than 3 deep (graphql-js's introspection depth limit). " +
      "GraphiQL's and codegen's introspection queries pass; to go deeper, ask for the types you reach by name (`__type(name:)`).",
    {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      extensions: { ...error.extensions, code: "INTROSPECTION_TOO_DEEP", limit: 3 },
    },
  );
}

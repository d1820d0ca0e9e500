/**
 * The explorer's trusted documents (trusted-documents.ts) executed by graphql-jit: their text is
 * known at start and they are asked again and again with new variables (an entity page per key),
 * which is what a compiled query is good at; every other document runs on Yoga's interpreted
 * executor as before. A document counts as trusted by its text, whether it came as
 * `documentId` (the persisted-operations plugin puts the text in its place) or as the same text
 * in `query` (the explorer in development, the benchmarks' peers).
 *
 * Only the executor changes: this is an envelop `onExecute` hook that swaps the execute function,
 * so everything around execution still runs per request as for any document: the variable and
 * filter bounds, the cost limit and the deadline (limits.ts, whose hook runs before this one and
 * may stop the request first), masking, the log's operation name and the error metrics. graphql-jit
 * calls each field's `resolve` from the schema, which is Pothos' wrapped resolver with the
 * deadline's check (src/schema/deadline-plugin.ts); fields without a resolver are property reads,
 * as in graphql-js.
 *
 * graphql-jit answers only what it answers exactly as the interpreted executor: a result without
 * errors. An execution with any error (a bad key, a resolver that throws, a null under a non-null
 * parent, the deadline) is run again by the interpreted executor, which answers it: graphql-jit
 * reports every error under a parent made null where graphql-js reports the first, and coerces
 * variables with its own messages. Running again is safe (the graph is read-only, resolvers have
 * no side effects; a passed deadline stops the second run at its first field) and costs only
 * answers with errors. A document graphql-jit cannot compile stays interpreted, and so does one
 * whose variables take a recursive input type (a filter with `and`/`or`/`not`): graphql-jit 0.8's
 * compiler of variable coercion never ends on one (it runs out of memory: the explorer's
 * ExplorerTimeline, with its TimelineFilter). tests/server/jit.test.ts holds the two executors'
 * answers equal over every trusted document.
 */
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  isInputObjectType,
  type OperationDefinitionNode,
  typeFromAST,
} from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";
import type { Plugin } from "graphql-yoga";

type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>>;
type Execute = (args: ExecutionArgs) => unknown;

/** How often each path was taken (for tests and benchmarks). */
export interface JitCounts {
  /** Executions of a compiled query. */
  compiled: number;
  /** Executions of a trusted document with an error, answered again by the interpreted executor. */
  handedBack: number;
  /** Documents compiled. */
  compilations: number;
  /** Operations left interpreted: graphql-jit refused them, or their variables take a recursive input type. */
  interpreted: string[];
}

export interface TrustedJitPlugin extends Plugin {
  readonly counts: JitCounts;
}

/** A Yoga plugin that executes the `documents` (trusted documents' texts) with graphql-jit. */
export function trustedJitPlugin(documents: Iterable<string>): TrustedJitPlugin {
  const texts = new Set(documents);
  /** The text of each parsed trusted document (Yoga's parse cache hands the same DocumentNode for the same text). */
  const textOf = new WeakMap<DocumentNode, string>();
  /** Compiled queries per schema, by text and operation name: at most one per trusted operation. */
  const compiledBySchema = new WeakMap<GraphQLSchema, Map<string, Compiled | null>>();
  const counts: JitCounts = { compiled: 0, handedBack: 0, compilations: 0, interpreted: [] };

  const compiledFor = (args: ExecutionArgs, text: string): Compiled | null => {
    let byKey = compiledBySchema.get(args.schema);
    if (!byKey) compiledBySchema.set(args.schema, (byKey = new Map()));
    const key = `${args.operationName ?? ""}\n${text}`;
    let compiled = byKey.get(key);
    if (compiled === undefined) {
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      const made =
        operation && !takesRecursiveInput(args.schema, operation)
          ? compileQuery<Record<string, unknown>, Record<string, unknown>>(
              args.schema,
              args.document,
              args.operationName ?? undefined,
            )
          : undefined;
      if (made && isCompiledQuery(made)) {
        counts.compilations++;
        compiled = made;
      } else {
        counts.interpreted.push(operation?.name?.value ?? args.operationName ?? "");
        compiled = null;
      }
      byKey.set(key, compiled);
    }
    return compiled;
  };

  return {
    counts,
    onParse({ params }) {
      const source = typeof params.source === "string" ? params.source : params.source.body;
      if (!texts.has(source)) return;
      return ({ result }) => {
        if (result && typeof result === "object" && "kind" in result)
          textOf.set(result as DocumentNode, source);
      };
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const text = textOf.get(args.document);
      if (text === undefined) return;
      const compiled = compiledFor(args, text);
      if (!compiled) return;
      const interpreted = executeFn as Execute;
      setExecuteFn(((run: ExecutionArgs) => {
        const answer = compiled.query(run.rootValue, run.contextValue, run.variableValues);
        counts.compiled++;
        const settle = (result: ExecutionResult) => {
          if (!result.errors?.length && result.data !== undefined) return result;
          // an error anywhere: the interpreted executor answers (see above), on a copy of the
          // context, so that Pothos' loaders (kept per context object) start empty as they would
          // have: loaders primed by the first run complete in another order, and errors are
          // listed in the order they happen
          counts.handedBack++;
          return interpreted({ ...run, contextValue: { ...(run.contextValue as object) } });
        };
        return answer instanceof Promise ? answer.then(settle) : settle(answer as ExecutionResult);
      }) as typeof executeFn);
    },
  };
}

/** Whether a variable of `operation` has an input type that contains itself (`and: [Filter!]`). */
function takesRecursiveInput(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const onPath = new Set<GraphQLNamedType>();
  const done = new Set<GraphQLNamedType>();
  const recursive = (type: GraphQLNamedType): boolean => {
    if (!isInputObjectType(type) || done.has(type)) return false;
    if (onPath.has(type)) return true;
    onPath.add(type);
    for (const field of Object.values(type.getFields()))
      if (recursive(getNamedType(field.type))) return true;
    onPath.delete(type);
    done.add(type);
    return false;
  };
  return (operation.variableDefinitions ?? []).some((definition) => {
    const type = typeFromAST(schema, definition.type);
    return type !== undefined && recursive(getNamedType(type));
  });
}

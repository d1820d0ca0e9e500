/**
 * A Pothos plugin that bounds a request's execution time field by field, through Pothos' own
 * `wrapResolve` hook (instead of rewriting the built schema's resolvers in place).
 *
 * Before each field with a resolver, it checks the request's deadline (`context.deadline`, set by
 * the server before execution; absent, the field runs as it is), which throws once the deadline
 * has passed; and when the request has held the event loop for its slice, the field resolves on
 * the next turn instead, so other requests (and `/health`) are answered meanwhile. Fields without
 * a resolver (Pothos leaves graphql-js's default resolver off) read a property of an object that
 * some resolver produced, so the resolvers alone bound the time.
 *
 * Self-contained on purpose (it knows the deadline only by the three members it uses): it could
 * be proposed to Pothos as it is. tests/server/deadline.test.ts attacks it over HTTP.
 */
import SchemaBuilder, {
  BasePlugin,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from "@pothos/core";
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLResolveInfo } from "graphql";

/** What the plugin needs of a deadline (src/graph/deadline.ts's `Deadline` is one). */
export interface FieldDeadline {
  /** A checkpoint after `work` units: throws once the deadline has passed. */
  check(work: number): void;
  /** Whether the request has held the event loop for its slice. */
  readonly sliceUsed: boolean;
  /** Whether the deadline has passed (every checkpoint throws from then on). */
  readonly expired: boolean;
  /** Resolves on a later turn of the event loop, with a new slice (and checks the deadline again). */
  nextSlice(): Promise<void>;
}

/**
 * Work units (as the deadline counts them) of resolving one field: a few microseconds, about the
 * time of a few dozen filter tests.
 */
export const FIELD_WORK = 32;

const pluginName = "executionDeadline";

declare global {
  // Pothos' registry of plugins, by name (the pattern of every Pothos plugin)
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      executionDeadline: ExecutionDeadlinePlugin<Types>;
    }
  }
}

/**
 * `resolver`, bounded by the request's deadline as the plugin bounds every field: for a resolver
 * set on the built schema after Pothos wrapped its fields (federation.ts's `_entities`).
 */
export function withDeadline<Source, Context, Args>(
  resolver: GraphQLFieldResolver<Source, Context, Args>,
): GraphQLFieldResolver<Source, Context, Args> {
  return (source, args, context, info) => {
    const deadline = (context as { deadline?: FieldDeadline } | undefined)?.deadline;
    if (!deadline) return resolver(source, args, context, info);
    try {
      return runField(deadline, resolver, source, args, context, info);
    } catch (error) {
      // past the deadline, a field fails as a rejected promise, never by throwing: graphql-js
      // 16, when a field throws synchronously under a non-null parent or in a list, abandons
      // the promises its siblings had already returned, and one of them rejecting later (at
      // its own checkpoint) is an unhandled rejection, which ends a Node process. A promise is
      // awaited with its siblings (Promise.all), so every rejection has a listener.
      if (deadline.expired) return Promise.reject(error);
      throw error;
    }
  };
}

/**
 * Resolves one field within the deadline: checked again after each turn it waits, since every
 * field that waited for one turn resumes in the same run of microtasks, and were they to resolve
 * without checking, thousands of fields would run in one go and hold the event loop far beyond
 * the slice (and the deadline).
 *
 * A function of the module, not a closure made per field: this runs for every field of every
 * request, and tsx (esbuild's keepNames) names each closure assigned to a constant with
 * `Object.defineProperty` when it is made, which cost 15% of the CPU of a list of a few thousand
 * fields (bench/RESULTS.md, "The executor's own overhead").
 */
function runField<Source, Context, Args>(
  deadline: FieldDeadline,
  resolver: GraphQLFieldResolver<Source, Context, Args>,
  source: Source,
  args: Args,
  context: Context,
  info: GraphQLResolveInfo,
): unknown {
  deadline.check(FIELD_WORK);
  return deadline.sliceUsed
    ? deadline.nextSlice().then(() => runField(deadline, resolver, source, args, context, info))
    : resolver(source, args, context, info);
}

export class ExecutionDeadlinePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object>,
    _fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> {
    // Pothos hands graphql-js's default resolver for a field without one, and leaves it off the
    // schema unless a plugin wraps it: a property read needs no check
    return resolver === defaultFieldResolver ? resolver : withDeadline(resolver);
  }
}

SchemaBuilder.registerPlugin(pluginName, ExecutionDeadlinePlugin);

export default pluginName;

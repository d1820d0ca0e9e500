/**
 * A Pothos plugin that hands graphql-js the errors of fields with arguments already located
 * (errors.ts `locatedFieldError`): a bad argument fails a field under a list once per item, and
 * graphql-js made each of those errors dear (a stack formatted, the document read from its start).
 *
 * Only fields with arguments are wrapped: a user error comes from an argument (a page's size or
 * cursor, a date, a filter); the rest of the schema's errors (an unknown key's NOT_FOUND, the
 * deadline's) are made located where they are made. A resolver's value goes through as it is; a
 * promise gets a handler for its rejection, so what a field costs that succeeds is a call and,
 * for a promise, one more promise.
 */
import SchemaBuilder, {
  BasePlugin,
  isThenable,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from "@pothos/core";
import type { GraphQLFieldResolver, GraphQLResolveInfo } from "graphql";
import { locatedFieldError } from "./errors.js";

const pluginName = "locatedErrors";

declare global {
  // Pothos' registry of plugins, by name (the pattern of every Pothos plugin)
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      locatedErrors: LocatedErrorsPlugin<Types>;
    }
  }
}

/** `resolver`, its errors located as graphql-js would locate them (`locatedFieldError`). */
export function withLocatedErrors<Source, Context, Args>(
  resolver: GraphQLFieldResolver<Source, Context, Args>,
): GraphQLFieldResolver<Source, Context, Args> {
  return (source, args, context, info) => {
    let result: unknown;
    try {
      result = resolver(source, args, context, info);
    } catch (error) {
      throw locatedFieldError(error, info);
    }
    return isThenable(result) ? Promise.resolve(result).then(undefined, relocate(info)) : result;
  };
}

/** A rejection handler that throws the rejection located for the field of `info`. */
function relocate(info: GraphQLResolveInfo): (error: unknown) => never {
  return (error) => {
    throw locatedFieldError(error, info);
  };
}

export class LocatedErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> {
    return Object.keys(fieldConfig.args).length > 0 ? withLocatedErrors(resolver) : resolver;
  }
}

SchemaBuilder.registerPlugin(pluginName, LocatedErrorsPlugin);

export default pluginName;

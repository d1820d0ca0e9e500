/**
 * A second subgraph over real data, for the supergraph of docs/federation.md: ISO 3166-1 codes
 * and country names in 78 languages from the `i18n-iso-countries` package, added to the
 * knowledge graph's `State` entity by its key (state-codes.ts maps the keys to codes).
 *
 * Built like the main server, with Pothos (relay, directives and federation plugins) and
 * GraphQL Yoga, so that the supergraph composes two Pothos subgraphs that both define `PageInfo`
 * (here for `State.localizedNames`): each marks it `@shareable`, with the same cursor type.
 */
import { createRequire } from "node:module";
import SchemaBuilder from "@pothos/core";
import DirectivesPlugin from "@pothos/plugin-directives";
import FederationPlugin from "@pothos/plugin-federation";
import RelayPlugin, { resolveArrayConnection } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import countries, { type LocaleData } from "i18n-iso-countries";
import { ISO_CODE_OF_STATE } from "./state-codes.js";

// every language the package ships, registered once
const require = createRequire(import.meta.url);
for (const language of countries.getSupportedLanguages()) {
  countries.registerLocale(require(`i18n-iso-countries/langs/${language}.json`) as LocaleData);
}
/** The languages with country names (ISO 639-1 codes), sorted. */
export const LANGUAGES: readonly string[] = [...countries.langs()].sort();

/** A state of the knowledge graph, as this subgraph knows it: its key, and its ISO code if the table has one. */
interface StateShape {
  key: string;
  alpha2: string | undefined;
}

interface LocalizedNameShape {
  language: string;
  name: string;
}

/**
 * The subgraph's executable schema (with `_service` and `_entities`), for a table of ISO 3166-1
 * alpha-2 codes by state key: by default the built-in dataset's (state-codes.ts); a deployment
 * over another dataset passes its own.
 */
export function countriesSchema(codes: Readonly<Record<string, string>> = ISO_CODE_OF_STATE) {
  for (const [key, code] of Object.entries(codes)) {
    if (!/^[A-Z]{2}$/.test(code) || !countries.isValid(code))
      throw new Error(`${key}: ${JSON.stringify(code)} is not an ISO 3166-1 alpha-2 code`);
  }
  const stateOfCode = new Map(Object.entries(codes).map(([key, code]) => [code, key]));
  const stateOf = (key: string): StateShape => ({ key, alpha2: codes[key] });

  const builder = new SchemaBuilder<{
    DefaultFieldNullability: false;
    DefaultInputFieldRequiredness: false;
  }>({
    plugins: [DirectivesPlugin, FederationPlugin, RelayPlugin],
    defaultFieldNullability: false,
    relay: {
      clientMutationId: "omit",
      // the same PageInfo as the kz-osce subgraph: String cursors, and shareable
      cursorType: "String",
      pageInfoTypeOptions: {
        description:
          "Where a page of a connection sits: use the cursors to fetch the next or previous page.",
        shareable: true,
      },
      // no Node interface here: `node(id:)` belongs to the kz-osce subgraph alone
      nodeQueryOptions: false,
      nodesQueryOptions: false,
      nodesOnConnection: {
        description: "The entries of this page, without cursors: a shortcut for `edges { node }`.",
      },
      edgesFieldOptions: { description: "The entries of this page, each with its cursor." },
      pageInfoFieldOptions: { description: "Cursors and flags to fetch the neighbouring pages." },
      cursorFieldOptions: {
        description:
          "Opaque cursor of this entry: pass it as `after` or `before` to page from here.",
      },
      nodeFieldOptions: { description: "The entry." },
      firstArgOptions: {
        description:
          "Return the first N entries (after `after`, if given), at most 100; 20 by default.",
      },
      afterArgOptions: { description: "Return entries after this cursor." },
      lastArgOptions: {
        description: "Return the last N entries (before `before`, if given), at most 100.",
      },
      beforeArgOptions: { description: "Return entries before this cursor." },
      hasNextPageFieldOptions: { description: "Whether more entries follow this page." },
      hasPreviousPageFieldOptions: { description: "Whether entries precede this page." },
      startCursorFieldOptions: {
        description: "Cursor of the first entry of this page; null when the page is empty.",
      },
      endCursorFieldOptions: {
        description: "Cursor of the last entry of this page; null when the page is empty.",
      },
    },
  });

  const LocalizedName = builder.objectRef<LocalizedNameShape>("LocalizedName").implement({
    description: "A country's name in one language, from i18n-iso-countries.",
    fields: (t) => ({
      language: t.exposeString("language", {
        description: "The language, as an ISO 639-1 code, e.g. `ru`.",
      }),
      name: t.exposeString("name", {
        description: "The country's name in that language, e.g. Венгрия.",
      }),
    }),
  });

  // `State` and its `key` are the knowledge graph's, and so are their descriptions: this subgraph
  // gives none, so that the supergraph keeps the owner's (composition takes a description from any
  // subgraph that has one)
  const State = builder.objectRef<StateShape>("State").implement({
    fields: (t) => ({
      key: t.exposeString("key"),
      isoAlpha2: t.string({
        nullable: true,
        description:
          "ISO 3166-1 alpha-2 code, e.g. `HU`; null when this subgraph has no code for the state.",
        resolve: (state) => state.alpha2 ?? null,
      }),
      isoAlpha3: t.string({
        nullable: true,
        description:
          "ISO 3166-1 alpha-3 code, e.g. `HUN`; null when this subgraph has no code for the state.",
        resolve: (state) => (state.alpha2 && countries.alpha2ToAlpha3(state.alpha2)) ?? null,
      }),
      isoNumeric: t.string({
        nullable: true,
        description:
          "ISO 3166-1 numeric code, three digits, e.g. `348`; null when this subgraph has no code for the state.",
        resolve: (state) => (state.alpha2 && countries.alpha2ToNumeric(state.alpha2)) ?? null,
      }),
      localizedName: t.field({
        type: LocalizedName,
        nullable: true,
        description:
          "The state's name in one language; null when the state has no code here or no name in that language.",
        args: {
          language: t.arg.string({
            required: true,
            description: `An ISO 639-1 language code, e.g. \`ru\`: one of ${LANGUAGES.join(", ")}.`,
          }),
        },
        resolve: (state, { language }) => {
          if (!LANGUAGES.includes(language)) {
            throw new GraphQLError(
              `No country names in ${JSON.stringify(language.slice(0, 20))}: the languages are ${LANGUAGES.join(", ")}.`,
              {
                extensions: { code: "BAD_USER_INPUT", argumentName: "language" },
              },
            );
          }
          const name = state.alpha2 && countries.getName(state.alpha2, language);
          return name ? { language, name } : null;
        },
      }),
      localizedNames: t.connection(
        {
          type: LocalizedName,
          description:
            "The state's name in every language with one, by language code; empty when the state has no code here.",
          resolve: (state, args) => {
            const names = state.alpha2
              ? LANGUAGES.flatMap((language) => {
                  const name = countries.getName(state.alpha2!, language);
                  return name ? [{ language, name }] : [];
                })
              : [];
            return {
              ...resolveArrayConnection({ args, defaultSize: 20, maxSize: 100 }, names),
              totalCount: names.length,
            };
          },
        },
        {
          name: "LocalizedNameConnection",
          description: "A page of a state's names, one per language.",
          fields: (c) => ({
            totalCount: c.int({
              description: "How many names the state has, across all pages.",
              resolve: (page) => page.totalCount,
            }),
          }),
        },
        { name: "LocalizedNameEdge", description: "One name of a page, with its cursor." },
      ),
    }),
  });

  builder.asEntity(State, {
    key: builder.selection<{ key: string }>("key"),
    // any key: a state this subgraph has no code for still has its key, and null codes
    resolveReference: ({ key }) => stateOf(key),
  });

  builder.queryType({
    description:
      "ISO 3166-1 codes and names of the knowledge graph's states (the countries subgraph of the supergraph).",
    fields: (t) => ({
      stateByIsoCode: t.field({
        type: State,
        nullable: true,
        description:
          "The state of the knowledge graph with this ISO 3166-1 code; null when none has it.",
        args: {
          code: t.arg.string({
            required: true,
            description: "An alpha-2 (`HU`), alpha-3 (`HUN`) or numeric (`348`) code, any case.",
          }),
        },
        resolve: (_root, { code }) => {
          const alpha2 = countries.toAlpha2(/^\d+$/.test(code) ? code : code.toUpperCase());
          const key = alpha2 && stateOfCode.get(alpha2);
          return key ? stateOf(key) : null;
        },
      }),
      isoStates: t.field({
        type: [State],
        description:
          "Every state of the knowledge graph that this subgraph has a code for, by key.",
        resolve: () => Object.keys(codes).sort().map(stateOf),
      }),
    }),
  });

  return builder.toSubGraphSchema({ linkUrl: "https://specs.apollo.dev/federation/v2.6" });
}

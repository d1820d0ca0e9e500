/**
 * The bridge between the two subgraphs: the ISO 3166-1 alpha-2 code of each state of the
 * kz-osce-graph built-in dataset, by its readable key (the `@key` of `State`).
 *
 * Written by hand, one line per state: a key is the knowledge graph's own id, not something a
 * name can be turned into reliably. tests/federation/countries.test.ts keeps it honest: every
 * state of the built-in dataset has a line, and for each line the English name that
 * i18n-iso-countries gives the code is the state's name in the graph. A dataset with more states
 * (`--data DIR`) needs its lines here too; a key without one is still resolved, with null codes.
 */
export const ISO_CODE_OF_STATE: Readonly<Record<string, string>> = {
  "state/austria": "AT",
  "state/hungary": "HU",
  "state/kazakhstan": "KZ",
  "state/spain": "ES",
  "state/ukraine": "UA",
  "state/uzbekistan": "UZ",
};

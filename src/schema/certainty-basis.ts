/**
 * CertaintyBasis: what a certainty the API gives for a date rests on (src/graph/asof.ts,
 * `certaintyBasis`), beside every such `certainty`: the document's own dates, or an editorial
 * bound of them (a change of name dated to its decision's day, the Troika's start not before
 * 1992), named by its note. The audit of 5 December (finding 2) found such answers given as plain
 * YES or NO, as certain as a quoted date's.
 */
import type { CertaintyBasis } from "../graph/asof.js";
import { builder, type Types } from "./builder.js";
import { EditorialNoteRef } from "./provenance.js";

export const CertaintyBasisEnum = builder.enumType("CertaintyBasis", {
  description:
    "What a `certainty` for a date rests on: the document's own dates (SOURCE), or an editorial bound of them (EDITORIAL: see `certaintyRestsOn` for the notes). " +
    "A MAYBE is always SOURCE: it claims nothing a bound could give.",
  values: {
    SOURCE: {
      description:
        'The document\'s own dates give this certainty (Szabó heads the Programme Office on 2016-03-01: "Since February 9, 2016").',
    },
    EDITORIAL: {
      description:
        "The certainty holds only by an editorial bound of a date: with the bound as the document alone gives it, the answer would be MAYBE " +
        "(the office is certainly the OSCE Centre in Astana in 2008 only because the name is taken to have changed on the decision's day, 2007-06-21; " +
        "the document next names it so in December 2014). `certaintyRestsOn` gives the editorial notes.",
    },
  } as const,
});

const BASIS_DESCRIPTION =
  "What `certainty` rests on: SOURCE when the document's own dates give it, EDITORIAL when it holds only by an editorial bound of a date (see `certaintyRestsOn`).";
const RESTS_ON_DESCRIPTION =
  "The editorial notes an EDITORIAL `certainty` rests on: the fewest whose bounds, kept alone, still give it (each also among its date's `provenance`). Empty when the basis is SOURCE.";

/** `read` of `basis`, or of what it resolves to (a basis worked out in the request's slices). */
function readBasis<R>(
  basis: CertaintyBasis | Promise<CertaintyBasis>,
  read: (basis: CertaintyBasis) => R,
): R | Promise<R> {
  return basis instanceof Promise ? basis.then(read) : read(basis);
}

/** `certaintyBasis` and `certaintyRestsOn` of an answer that always has a certainty. */
export const certaintyBasisFields = <T extends object>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>,
  basisOf: (parent: T) => CertaintyBasis | Promise<CertaintyBasis>,
) => ({
  certaintyBasis: t.field({
    type: CertaintyBasisEnum,
    description: BASIS_DESCRIPTION,
    resolve: (parent) => readBasis(basisOf(parent), (basis) => basis.basis),
  }),
  certaintyRestsOn: t.field({
    type: [EditorialNoteRef],
    description: RESTS_ON_DESCRIPTION,
    resolve: (parent) => readBasis(basisOf(parent), (basis) => basis.restsOn),
  }),
});

/** The same for an edge of a time-bound list, whose certainty is null unless it was asked `asOf`. */
export const edgeCertaintyBasisFields = <T extends object>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>,
  basisOf: (parent: T) => CertaintyBasis | null,
) => ({
  certaintyBasis: t.field({
    type: CertaintyBasisEnum,
    nullable: true,
    description: `${BASIS_DESCRIPTION} Null when the list was not asked \`asOf\`.`,
    resolve: (parent) => basisOf(parent)?.basis ?? null,
  }),
  certaintyRestsOn: t.field({
    type: [EditorialNoteRef],
    nullable: true,
    description: `${RESTS_ON_DESCRIPTION} Null when the list was not asked \`asOf\`.`,
    resolve: (parent) => basisOf(parent)?.restsOn ?? null,
  }),
});

/**
 * Kazakh and Russian Cyrillic to Latin, so that search finds "Назарбаев" under Nazarbayev and
 * "Астана" under Astana. The same names are romanised in several ways (Жарбусынова: Jarbussynova,
 * Zharbusynova, Dzharbusynova; Назарбаев: Nazarbayev, Nazarbaev): each letter has a primary
 * romanisation, used for the index and for the query, and the common alternatives, which a query
 * word is also looked up in (see `transliterations`). Typo tolerance covers what remains (a
 * doubled s, an inserted y).
 *
 * The primary forms follow the usual English-language practice for Kazakh and Russian names
 * (BGN/PCGN-like: ж zh, х kh, ц ts, ч ch, ш sh, щ shch, ю yu, я ya), Kazakh letters taking their
 * nearest Russian-practice form (ә a, ғ g, қ k, ң n, ө o, ұ u, ү u, һ h, і i); hard and soft
 * signs are dropped. Letters are lower case: the search lowers case before transliterating.
 */

/** Each Cyrillic letter (lower case): its primary romanisation first, then common alternatives. */
export const CYRILLIC_TO_LATIN: Readonly<Record<string, readonly string[]>> = {
  а: ["a"],
  б: ["b"],
  в: ["v"],
  г: ["g"],
  д: ["d"],
  е: ["e", "ye"],
  ё: ["yo", "e"],
  ж: ["zh", "j"],
  з: ["z"],
  и: ["i"],
  й: ["y", "i"],
  к: ["k"],
  л: ["l"],
  м: ["m"],
  н: ["n"],
  о: ["o"],
  п: ["p"],
  р: ["r"],
  с: ["s"],
  т: ["t"],
  у: ["u"],
  ф: ["f"],
  х: ["kh", "h"],
  ц: ["ts", "c"],
  ч: ["ch"],
  ш: ["sh"],
  щ: ["shch", "sch"],
  ъ: [""],
  ы: ["y"],
  ь: [""],
  э: ["e"],
  ю: ["yu", "iu"],
  я: ["ya", "ia"],
  // Kazakh letters beyond the Russian alphabet
  ә: ["a", "ae"],
  ғ: ["g", "gh"],
  қ: ["k", "q"],
  ң: ["n", "ng"],
  ө: ["o", "oe"],
  ұ: ["u"],
  ү: ["u", "ue"],
  һ: ["h"],
  і: ["i"],
  // Ukrainian and Belarusian letters that Kazakh texts borrow in names
  ї: ["yi", "i"],
  є: ["ye", "e"],
  ў: ["u", "w"],
};

/** Cyrillic letters (the basic block, which holds every letter of the table). */
const CYRILLIC = /[\u0400-\u04ff]/;

/** Whether a text has a Cyrillic letter (so that Latin text skips the table at no cost). */
export function hasCyrillic(text: string): boolean {
  return CYRILLIC.test(text);
}

/** The primary romanisation of a lower-case word: letters of the table replaced, everything else kept. */
export function transliterate(word: string): string {
  if (!CYRILLIC.test(word)) return word;
  let out = "";
  for (const char of word) out += CYRILLIC_TO_LATIN[char]?.[0] ?? char;
  return out;
}

/** At most this many spellings of one query word are looked up (each costs a dictionary walk). */
export const MAX_TRANSLITERATIONS = 8;

/**
 * The romanisations of a lower-case word, the primary one first, then those that use the
 * alternatives of its letters, as far as MAX_TRANSLITERATIONS: the earlier letters' alternatives
 * are tried first. A word without Cyrillic letters is its own only spelling.
 */
export function transliterations(word: string): string[] {
  if (!CYRILLIC.test(word)) return [word];
  let spellings = [""];
  for (const char of word) {
    const options = CYRILLIC_TO_LATIN[char] ?? [char];
    const next: string[] = [];
    // keep the primary of every prefix first, so that the primary spelling always survives the cap
    for (const option of options)
      for (const prefix of spellings)
        if (next.length < MAX_TRANSLITERATIONS) next.push(prefix + option);
    spellings = next;
  }
  return [...new Set(spellings)];
}

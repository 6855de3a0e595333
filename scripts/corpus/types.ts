/** One line of `npm run corpus`: a corpus file and whether leaklog agrees with its truth. */
export interface CorpusCheck {
  /** Path relative to the corpus root. */
  file: string;
  ok: boolean;
  /** What was compared, or what disagreed. */
  detail: string;
}

/** A per-format corpus checker: walks its part of ../shared/corpus. */
export type CorpusChecker = (corpusRoot: string) => Promise<CorpusCheck[]>;

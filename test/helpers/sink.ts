import type { ParseSink } from "../../src/formats/types.js";

const ignore = (): void => undefined;

/**
 * A ParseSink that drops every event except those `overrides` catch: tests that drive a parser
 * directly look at one or two kinds of event. Built here so that a method added to ParseSink
 * is added to every such test at once.
 */
export function quietSink(overrides: Partial<ParseSink> = {}): ParseSink {
  return {
    finding: ignore,
    summary: ignore,
    diagnostic: ignore,
    replayed: ignore,
    programLine: ignore,
    unrecognized: ignore,
    process: ignore,
    usedSuppressions: ignore,
    toolVersion: ignore,
    tool: ignore,
    hiddenLeakKinds: ignore,
    descriptorsListed: ignore,
    writtenPolicy: ignore,
    reportPart: ignore,
    incomplete: ignore,
    unusable: ignore,
    ...overrides,
  };
}

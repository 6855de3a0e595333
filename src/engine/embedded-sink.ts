import type { ParseSink } from "../formats/types.js";

/** A sink that forwards every call to `sink`, but those that `overrides` takes. */
export function forwarding(sink: ParseSink, overrides: Partial<ParseSink>): ParseSink {
  return {
    finding: (draft) => sink.finding(draft),
    summary: (summary) => sink.summary(summary),
    diagnostic: (d) => sink.diagnostic(d),
    replayed: (d) => sink.replayed(d),
    process: (info) => sink.process(info),
    usedSuppressions: (entries) => sink.usedSuppressions(entries),
    toolVersion: (version) => sink.toolVersion(version),
    tool: (name) => sink.tool(name),
    hiddenLeakKinds: (kinds) => sink.hiddenLeakKinds(kinds),
    descriptorsListed: () => sink.descriptorsListed(),
    writtenPolicy: (policy) => sink.writtenPolicy(policy),
    reportPart: (part) => sink.reportPart(part),
    incomplete: (reason, line, code, pid) => sink.incomplete(reason, line, code, pid),
    programLine: (line, text) => sink.programLine(line, text),
    unusable: (message, code, line) => sink.unusable(message, code, line),
    unrecognized: (line, text, pid) => sink.unrecognized(line, text, pid),
    ...overrides,
  };
}

/**
 * The sink of a log's main parser when another format can share its log (InputFormat.embeds):
 * everything goes to the engine's sink but the program's lines, which go to `programLine`
 * (the embedded format's parser) instead.
 */
export function forwardingProgramLines(
  sink: ParseSink,
  programLine: (line: number, text: string) => void,
): ParseSink {
  return forwarding(sink, { programLine });
}

/**
 * The sink of the embedded parser: the engine's, except that what it cannot read (another
 * Valgrind tool's processes) is a warning, not the whole log's verdict, and the tool version
 * is the main format's to say.
 */
export function embeddedSink(sink: ParseSink): ParseSink {
  return forwarding(sink, {
    toolVersion: () => undefined,
    tool: () => undefined,
    unusable: (message, code = "other-tool", line) =>
      sink.diagnostic({
        severity: "warning",
        code,
        message,
        ...(line !== undefined ? { line } : {}),
      }),
  });
}

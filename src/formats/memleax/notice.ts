import { groupsOf, type LineToken } from "../../../grammars/memleax/index.js";
import { isAllocatorFrame } from "../../analysis/allocator-frames.js";
import type { Frame } from "../../model/index.js";
import type { ParseSink } from "../types.js";
import { DIAG } from "./messages.js";
import { frameOf } from "./visitor.js";

/** How a frame reads in a one-line message: `make_buf (/src/x.c:8)`, or `exits 0x5616…`. */
export function describeFrame(frame: Frame | undefined): string {
  if (frame === undefined) return "an unknown place (no frames)";
  const where =
    frame.file !== undefined
      ? `${frame.file}${frame.line !== undefined ? `:${frame.line}` : ""}`
      : "";
  if (frame.function !== undefined)
    return where === "" ? frame.function : `${frame.function} (${where})`;
  if (where !== "") return `?() (${where})`;
  return `${frame.object ?? "??"} ${frame.ip ?? ""}`.trim();
}

/**
 * The live notice for a call stack's first expiry (`memleax-expired`). Records can only be final
 * when memleax prints its report, so a consumer of `memleax -e 30 PID | leaklog summarize -` learns
 * of each new stack from this notice. It goes out at the first frame that is the program's own
 * (frame 0 is always the allocator entry, §2.4; `_Znwm` may follow, corpus 04), without waiting
 * for the next line, which may come much later.
 */
export class ExpiryNotice {
  private header: LineToken | undefined;

  constructor(private readonly sink: ParseSink) {}

  /** The open expiry block grew; `isNew` tells whether its stack id is new to the run. */
  grew(tokens: readonly LineToken[], isNew: boolean): void {
    if (tokens.length === 1) {
      this.header = isNew ? tokens[0] : undefined;
      return;
    }
    const last = tokens.at(-1);
    if (this.header === undefined || last === undefined || tokens.length < 3) return;
    const frame = frameOf(last);
    if (!isAllocatorFrame(frame)) this.send(frame);
  }

  /** The block ended: a stack with no own frame is announced with its best frame. */
  ended(tokens: readonly LineToken[]): void {
    if (this.header === undefined) return;
    const best = tokens[2] ?? tokens[1];
    this.send(best !== undefined ? frameOf(best) : undefined);
  }

  private send(frame: Frame | undefined): void {
    const header = this.header;
    if (header === undefined) return;
    this.header = undefined;
    const [id, size] = groupsOf(header);
    this.sink.diagnostic({
      severity: "info",
      code: DIAG.expired,
      message: `CallStack[${id ?? "?"}] expires: ${size ?? "?"} bytes at ${describeFrame(frame)}`,
      line: header.startLine ?? 1,
    });
  }
}

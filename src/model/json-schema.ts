import { z } from "zod";
import { Report } from "./report.js";

/** The JSON Schema (draft 2020-12) of leaklog's JSON report, generated from the zod model. */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(Report, { target: "draft-2020-12" }) as Record<string, unknown>;
}

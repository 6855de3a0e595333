import { z } from "zod";
import { ErrorRecord } from "./error.js";
import { LeakRecord } from "./leak.js";

/** Any finding; `type` tells leaks from errors. */
export const Finding = z.discriminatedUnion("type", [LeakRecord, ErrorRecord]);
export type Finding = z.infer<typeof Finding>;

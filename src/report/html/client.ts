import { DETAIL_PART } from "./client-detail.js";
import { EVENTS_PART } from "./client-events.js";
import { TABLE_PART } from "./client-table.js";

/**
 * The page's only script, static: it never contains log text, so its hash can go into the
 * Content-Security-Policy. It reads the data block with JSON.parse and builds every element with
 * createElement and textContent (never innerHTML), so a hostile function name stays text. The
 * table shows one page of rows at a time and builds a group's details only when it is expanded,
 * which keeps 10,000 groups fast. Plain ES2017 in strings, kept in three parts for readability.
 */
export const CLIENT_SCRIPT = `(function () {\n${TABLE_PART}${DETAIL_PART}${EVENTS_PART}})();\n`;

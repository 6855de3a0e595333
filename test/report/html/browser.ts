import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's chromium package; CI installs it (.ci/run), npm never downloads a browser. */
export const CHROMIUM = "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);

const ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches the system Chromium, headless and quiet (no update, sync or background requests). */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** An opened report and everything it did: console errors, requests, dialogs. */
export interface OpenedPage {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
  close(): Promise<void>;
}

/**
 * Opens a report file in a fresh context. Every request is recorded, and any request other than
 * the page itself is aborted, so a report that tried to load something fails the test instead
 * of reaching the network. Dialogs (alert from injected script) are recorded and dismissed.
 */
export async function openReport(
  browser: Browser,
  file: string,
  colorScheme: "light" | "dark" = "light",
): Promise<OpenedPage> {
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
  const opened: OpenedPage = {
    page: await context.newPage(),
    errors: [],
    requests: [],
    dialogs: [],
    close: () => context.close(),
  };
  await context.route("**/*", (route) =>
    route.request().url() === url ? route.continue() : route.abort(),
  );
  const { page } = opened;
  page.on("request", (request) => opened.requests.push(request.url()));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") opened.errors.push(m.text());
  });
  page.on("pageerror", (error) => opened.errors.push(error.message));
  page.on("dialog", (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  await page.locator("#groups-status").filter({ hasText: /\S/ }).waitFor();
  return opened;
}

// Starts Debian's headless Chromium through playwright-core (never a downloaded
// browser), with a profile of its own that is removed when it closes.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CONSH_CHROMIUM ?? "/usr/bin/chromium";
export const INSTALL_HINT = "install Debian's chromium: sudo apt-get install -y chromium (never npx playwright install)";

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

export interface OpenBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<OpenBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "consh-chromium-"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

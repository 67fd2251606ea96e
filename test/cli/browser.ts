// Starts Debian's headless Chromium through playwright-core (never a downloaded
// browser), with a fresh profile of its own that is removed when it closes.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.CONSH_CHROMIUM ?? "/usr/bin/chromium";
export const INSTALL_HINT = "install Debian's chromium: sudo apt-get install -y chromium (never npx playwright install)";

export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

interface OpenBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function openBrowser(options: { width: number; height?: number; javaScript?: boolean }): Promise<OpenBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "consh-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: options.width, height: options.height ?? 900 },
    javaScriptEnabled: options.javaScript ?? true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// consh-book html, checked in a real browser (Debian's headless Chromium):
// every page opens without console errors or network access, every internal
// link and picture resolves, every step's recorded output is on its page, the
// pages need no JavaScript and fit a phone; screenshots go to test-artifacts/html/.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { stepsOf } from "../../src/book/model.js";
import { parseSnapshot } from "../../src/snapshot/format.js";
import { seenNote, shownLine } from "../../src/snapshot/shown.js";
import { CHROMIUM, INSTALL_HINT, haveChromium, openBrowser } from "./browser.js";
import { ROOT, cli } from "./helpers.js";

const ci = process.env.CI === "true" || process.env.CI === "1";
const ARTEFACTS = join(ROOT, "test-artifacts", "html");
const book = loadBook(ROOT);

describe("chromium for the browser tests", () => {
  it.runIf(ci)("is installed where CI runs", () => {
    expect(haveChromium(), `${CHROMIUM} is missing: ${INSTALL_HINT}`).toBe(true);
  });
  it.runIf(!ci && !haveChromium())(`is missing, so the browser tests are skipped (${INSTALL_HINT})`, () => {
    expect(haveChromium()).toBe(false);
  });
});

describe("consh-book html on bad input", () => {
  it("refuses a directory it did not write (exit 2, nothing touched) and a missing book (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consh-html-bad-"));
    try {
      writeFileSync(join(dir, "notes.txt"), "mine");
      const r = await cli(["html", "--out", dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/consh-book: .* is not empty and was not written by consh-book html\n  hint: pass --out with a new or empty directory/);
      expect(readdirSync(dir)).toEqual(["notes.txt"]);
      const missing = await cli(["html", "--out", join(dir, "site"), "--book", join(dir, "nope")]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/book directory .*nope does not exist/);
      expect(existsSync(join(dir, "site"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a broken figures manifest with file:line and how to fix it (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consh-html-fig-"));
    try {
      cpSync(join(ROOT, "test/fixtures/basic"), join(dir, "book"), { recursive: true });
      mkdirSync(join(dir, "book/chapters/figures"));
      writeFileSync(
        join(dir, "book/chapters/figures/figures.json"),
        '[\n  { "chapter": "chapter-01", "file": "gone.svg", "alt": "a", "caption": "c", "beforeStep": "set" }\n]\n',
      );
      const r = await cli(["html", "--out", join(dir, "site"), "--book", join(dir, "book")]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/figures\.json:2: entry 1: .*gone\.svg does not exist\n  fix: add the SVG file or remove the entry/);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!haveChromium())("consh-book html in Chromium", () => {
  let dir: string;
  let site: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "consh-html-"));
    site = join(dir, "site");
    const r = await cli(["html", "--out", site]);
    expect(r.code, r.all).toBe(0);
    mkdirSync(ARTEFACTS, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pages = () =>
    readdirSync(site)
      .filter((f) => f.endsWith(".html"))
      .sort();

  it("writes an index, one page per chapter and the glossary, with no script anywhere", () => {
    expect(pages()).toEqual(["index.html", "glossary.html", ...book.chapters.map((c) => `${c.id}.html`)].sort());
    for (const p of pages()) expect(readFileSync(join(site, p), "utf8")).not.toMatch(/<script/i);
  });

  it("opens every page without console errors or network access; every internal link, anchor and picture resolves", async () => {
    const b = await openBrowser({ width: 1280 });
    try {
      const problems: string[] = [];
      const ids = new Map<string, Set<string>>();
      const links: { from: string; href: string }[] = [];
      for (const name of pages()) {
        const page = await b.context.newPage();
        page.on("console", (m) => {
          if (m.type() === "error" || m.type() === "warning") problems.push(`${name}: console ${m.type()}: ${m.text()}`);
        });
        page.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
        page.on("requestfailed", (r) => problems.push(`${name}: request failed: ${r.url()}`));
        await page.route("**/*", (route) => {
          const url = route.request().url();
          if (url.startsWith("file:")) return route.continue();
          problems.push(`${name}: tried the network: ${url}`);
          return route.abort();
        });
        await page.goto(pathToFileURL(join(site, name)).href, { waitUntil: "load" });
        const found = await page.evaluate(() => ({
          ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
          hrefs: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!),
          images: [...document.images].map((i) => ({ src: i.getAttribute("src"), ok: i.complete && i.naturalWidth > 0 })),
          sheets: document.styleSheets.length,
        }));
        ids.set(name, new Set(found.ids));
        expect(new Set(found.ids).size, `${name} has duplicate ids`).toBe(found.ids.length);
        for (const href of found.hrefs) links.push({ from: name, href });
        for (const img of found.images) if (!img.ok) problems.push(`${name}: picture ${img.src} did not load`);
        if (found.sheets !== 1) problems.push(`${name}: ${found.sheets} style sheets loaded, expected style.css`);
        await page.close();
      }
      let checked = 0;
      for (const { from, href } of links) {
        if (/^[a-z]+:/i.test(href)) {
          problems.push(`${from}: external link ${href}`);
          continue;
        }
        const [file, fragment] = href.split("#") as [string, string | undefined];
        const target = file === "" ? from : file;
        if (!ids.has(target)) problems.push(`${from}: link ${href} points at a page the site does not have`);
        else if (fragment !== undefined && !ids.get(target)!.has(fragment)) problems.push(`${from}: link ${href}: no #${fragment} in ${target}`);
        checked++;
      }
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(200);
    } finally {
      await b.close();
    }
  });

  it("shows every step's command, terminal and recorded output (snapshot text exactly, escapes removed)", async () => {
    const b = await openBrowser({ width: 1280 });
    try {
      let outputs = 0;
      let seen = 0;
      for (const chapter of book.chapters) {
        const page = await b.context.newPage();
        await page.goto(pathToFileURL(join(site, `${chapter.id}.html`)).href);
        const snapFile = join(ROOT, "snapshots", `${chapter.id}.snap`);
        const sections = new Map(parseSnapshot(snapFile, readFileSync(snapFile, "utf8")).sections.map((s) => [s.id, s]));
        for (const step of stepsOf(chapter)) {
          const el = page.locator(`section.step[id="step-${step.id}"]`);
          expect(await el.count(), `${chapter.id} step ${step.id}`).toBe(1);
          expect((await el.locator(".term").innerText()).trim()).toBe(step.terminal);
          expect(await el.locator("pre.cmd").innerText()).toBe(step.text.replace(/\n$/, ""));
          const section = sections.get(step.id);
          if (step.background || !section) continue;
          if (section.text === "") {
            await expect(el.locator(".out-none").innerText()).resolves.toBe("(no output)");
          } else {
            // A snapshot line starting with "\\" is literal text: the page shows it without the backslash;
            // a value seen on the recording host is shown in place of its wildcard, and named in a note.
            const lines = section.text.replace(/\n$/, "").split("\n").map(shownLine);
            expect(await el.locator("pre.output").innerText(), `${chapter.id} step ${step.id}`).toBe(lines.map((l) => l.text).join("\n"));
            const note = seenNote(lines);
            if (note) {
              const squeeze = (t: string) => t.replace(/\s+/g, " ");
              expect(squeeze(await el.locator(".seen-note").innerText())).toBe(squeeze(`Marked values: ${note}`));
              seen++;
            }
          }
          outputs++;
        }
        expect(await page.locator(".run-cmd").innerText()).toBe(`consh-book run ${chapter.id} --step`);
        expect(await page.locator(".practice-cmd").innerText()).toBe(`consh-book practice ${chapter.id}`);
        await page.close();
      }
      expect(outputs).toBeGreaterThan(60);
      expect(seen).toBeGreaterThan(8);
    } finally {
      await b.close();
    }
  });

  it("reads the same with JavaScript off, fits a 390 px phone, and leaves screenshots of the index and chapter 7", async () => {
    for (const width of [390, 1280]) {
      const b = await openBrowser({ width, height: 844, javaScript: false });
      try {
        for (const name of ["index.html", "chapter-07.html"]) {
          const page = await b.context.newPage();
          await page.goto(pathToFileURL(join(site, name)).href);
          const fit = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            view: window.innerWidth,
            h1: document.querySelector("h1")?.textContent,
          }));
          expect(fit.scroll, `${name} is wider than a ${width} px screen`).toBeLessThanOrEqual(fit.view);
          expect(fit.h1).toBeTruthy();
          const shot = join(ARTEFACTS, `${name.replace(".html", "")}-${width}.png`);
          await page.screenshot({ path: shot, fullPage: width === 390 && name === "index.html" });
          expect(existsSync(shot)).toBe(true);
          await page.close();
        }
        if (width === 390) {
          const page = await b.context.newPage();
          await page.goto(pathToFileURL(join(site, "chapter-07.html")).href);
          await expect(page.locator("#step-pid-one pre.output").isVisible()).resolves.toBe(true);
          await expect(page.locator(".toc-side").isVisible()).resolves.toBe(false);
          await page.close();
        }
      } finally {
        await b.close();
      }
    }
  });
});

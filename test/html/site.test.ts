// The site builder on small books made here: escaping, outputs with placeholders
// and literal lines, figures, the verification record, and where it may write.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadBook } from "../../src/book/load-book.js";
import { ChapterSyntaxError, type ConshError, ExitCode } from "../../src/errors.js";
import { buildSite, type SiteFile } from "../../src/html/site.js";
import { writeSite, MARKER } from "../../src/html/write-site.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function makeBook(chapters: Record<string, string>, snapshots: Record<string, string> = {}, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "consh-html-unit-"));
  dirs.push(dir);
  mkdirSync(join(dir, "chapters"));
  mkdirSync(join(dir, "snapshots"));
  for (const [n, t] of Object.entries(chapters)) writeFileSync(join(dir, "chapters", n), t);
  for (const [n, t] of Object.entries(snapshots)) writeFileSync(join(dir, "snapshots", n), t);
  for (const [n, t] of Object.entries(extra)) {
    mkdirSync(join(dir, n, ".."), { recursive: true });
    writeFileSync(join(dir, n), t);
  }
  return dir;
}

const page = (files: SiteFile[], path: string) => String(files.find((f) => f.path === path)?.content);

const CH1 = `---
title: "Tags <b>&</b> 'quotes'"
---

# Tags

Some <script>alert(1)</script> prose and a [link](chapter-02-next.md#start).

## First part

\`\`\`sh {step=show}
echo '<i>' "$CONSH_WORK"
\`\`\`

\`\`\`sh {step=bg terminal=box background}
sleep 1
\`\`\`

\`\`\`sh {step=fresh terminal=box}
true
\`\`\`

\`\`\`sh
echo prose <code>
\`\`\`
`;

const SNAP1 = `# comment

=== step show (terminal host, exit 0)
<i> [WORK] and [..]
...
\\... is three dots
\\\\ starts with a backslash
[PID] <b>
`;

const CH2 = `---
title: Next
needs: [chapter-01]
---

# Next

## Start

\`\`\`sh {step=one}
echo hi
\`\`\`
`;

describe("buildSite", () => {
  it("escapes titles, prose, commands and outputs from the book", () => {
    const files = buildSite(loadBook(makeBook({ "chapter-01-tags.md": CH1, "chapter-02-next.md": CH2 }, { "chapter-01.snap": SNAP1 })));
    const html = page(files, "chapter-01.html");
    expect(html).toContain("<h1>Tags &lt;b&gt;&amp;&lt;/b&gt; &#39;quotes&#39;</h1>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/<script|<b>|<i>/);
    expect(html).toContain("echo &#39;&lt;i&gt;&#39; &quot;$CONSH_WORK&quot;");
    expect(html).toContain("echo prose &lt;code&gt;");
    expect(page(files, "index.html")).toContain("Tags &lt;b&gt;&amp;&lt;/b&gt; &#39;quotes&#39;");
  });

  it("marks placeholders and wildcards, explains each once, and shows escaped lines literally without their backslash", () => {
    const files = buildSite(loadBook(makeBook({ "chapter-01-tags.md": CH1, "chapter-02-next.md": CH2 }, { "chapter-01.snap": SNAP1 })));
    const html = page(files, "chapter-01.html");
    const out = /<pre class="output"><code>([\s\S]*?)<\/code><\/pre>/.exec(html)![1]!;
    const lines = out.split("\n");
    expect(lines[0]).toBe(
      '&lt;i&gt; <span class="ph" title="the run&#39;s work directory ($CONSH_WORK)">[WORK]</span> and <span class="wild" title="any text within the line">[..]</span>',
    );
    expect(lines[1]).toBe('<span class="wild" title="any number of lines">...</span>');
    expect(lines[2]).toBe("... is three dots");
    expect(lines[3]).toBe("\\ starts with a backslash");
    expect(lines[4]).toMatch(/^<span class="ph" [^>]*>\[PID\]<\/span> &lt;b&gt;$/);
    const legend = /<section class="legend"[\s\S]*?<\/section>/.exec(html)![0];
    for (const term of ["[..]", "...", "[WORK]", "[PID]"]) expect(legend.split(`>${term}</span></dt>`).length - 1, term).toBe(1);
  });

  it("shows the recording host's values marked as such, bands as written, and says once under the output what a run accepts", () => {
    const snap = `=== step show (terminal host, exit 0)
mask 0000[..=01]ff, [40..49=41] <of> them
pid [2..] and [..=]
\\[40..49=41] printed as is
`;
    const files = buildSite(loadBook(makeBook({ "chapter-01-tags.md": CH1, "chapter-02-next.md": CH2 }, { "chapter-01.snap": snap })));
    const html = page(files, "chapter-01.html");
    const block = /<section class="step" id="step-show"[\s\S]*?<\/section>/.exec(html)![0];
    const lines = /<pre class="output"><code>([\s\S]*?)<\/code><\/pre>/.exec(block)![1]!.split("\n");
    expect(lines[0]).toBe(
      'mask 0000<span class="seen" title="on the recording host; a run accepts any text">01</span>ff, ' +
        '<span class="seen" title="on the recording host; a run accepts any number from 40 to 49">41</span> &lt;of&gt; them',
    );
    expect(lines[1]).toBe(
      'pid <span class="wild" title="any number from 2 up within the line">[2..]</span> and <span class="wild" title="any text within the line">[..]</span>',
    );
    expect(lines[2]).toBe("[40..49=41] printed as is");
    expect(block).toContain(
      '<div class="seen-note">Marked values: on the recording host. A run accepts any text for 01; any number from 40 to 49 for 41.</div>',
    );
    const legend = /<section class="legend"[\s\S]*?<\/section>/.exec(html)![0];
    expect(legend).toContain('<dt><span class="seen">41</span></dt><dd>a value as it was on the recording host');
    expect(legend).toContain('<dt><span class="wild">[40..49]</span></dt>');
  });

  it("says when a step runs in the background or has no recorded output yet; labels terminals; links needs and chapters", () => {
    const files = buildSite(loadBook(makeBook({ "chapter-01-tags.md": CH1, "chapter-02-next.md": CH2 }, { "chapter-01.snap": SNAP1 })));
    const one = page(files, "chapter-01.html");
    expect(one).toMatch(/id="step-bg"[\s\S]*?<span class="term term-1">box<\/span>[\s\S]*?Runs in the background: its output is not recorded/);
    expect(one).toMatch(/id="step-fresh"[\s\S]*?No recorded output yet/);
    expect(one).toContain('<a href="chapter-02.html#start">link</a>');
    expect(one).toContain("consh-book run chapter-01 --step");
    expect(one).toContain("consh-book practice chapter-01");
    const two = page(files, "chapter-02.html");
    expect(two).toContain('<a href="chapter-01.html">chapter 01: Tags &lt;b&gt;');
    expect(two).toContain('<a href="#start">Start</a>');
    expect(page(files, "index.html")).toMatch(/3 steps · <span class="term term-0">host<\/span> <span class="term term-1">box<\/span>/);
  });

  it("states plainly that there is no verification record, and shows one when the host matrix left a report", () => {
    const none = buildSite(loadBook(makeBook({ "chapter-02-next.md": CH2.replace("needs: [chapter-01]\n", "") })));
    expect(page(none, "index.html")).toContain("There is no host-matrix report");
    const report = {
      schemaVersion: 1,
      finishedAt: "2026-11-29T22:10:00.000Z",
      commit: "0123456789abcdef0123",
      rows: [
        {
          guest: "debian-12",
          kernel: "6.1.0-<x>",
          cgroup: "v2",
          init: "systemd",
          runner: "learner",
          uid: 1001,
          gid: 1002,
          expectedExit: 0,
          exit: 0,
          passed: 90,
          failed: 0,
          skipped: 3,
          hostStateSame: true,
          ok: true,
          seconds: 300,
        },
        {
          guest: "ubuntu-24.04",
          kernel: "6.8.0",
          cgroup: "v2",
          init: "systemd",
          runner: "root",
          uid: 0,
          gid: 0,
          expectedExit: 0,
          exit: 1,
          passed: 80,
          failed: 2,
          skipped: 3,
          hostStateSame: true,
          ok: false,
          seconds: 280,
        },
        {
          guest: "alpine",
          name: "alpine-no-busybox-static",
          kernel: "6.6",
          cgroup: "v2",
          init: "none",
          runner: "root",
          uid: 0,
          gid: 0,
          expectedExit: 3,
          exit: 3,
          passed: 0,
          failed: 0,
          skipped: 0,
          hostStateSame: true,
          ok: true,
          seconds: 5,
        },
      ],
    };
    const dir = makeBook({ "chapter-02-next.md": CH2.replace("needs: [chapter-01]\n", "") }, {}, { "test/hosts/last-report.json": JSON.stringify(report) });
    const files = buildSite(loadBook(dir));
    const index = page(files, "index.html");
    expect(index).toContain("2026-11-29 22:10 UTC");
    expect(index).toContain("<code>0123456789ab</code>");
    expect(index).toContain("6.1.0-&lt;x&gt;");
    expect(index).toMatch(/<tr class="ok"><td>debian-12[\s\S]*learner \(uid 1001, gid 1002\)[\s\S]*✓ verified/);
    expect(index).toMatch(/<tr class="bad"><td>ubuntu-24.04[\s\S]*80 passed, 2 failed, 3 skipped[\s\S]*✗ not verified/);
    expect(index).toMatch(/<tr class="ok"><td>alpine<br><span class="dim small">alpine-no-busybox-static<\/span>[\s\S]*✓ refused as expected \(exit 3\)/);
    expect(page(files, "chapter-02.html")).toContain("verified by whole-book runs on 1 host configuration (of 3 in the host matrix) on 2026-11-29 22:10 UTC");
  });

  it("names the kernels, architectures and Nodes the verified rows ran on, and a row that ran the chapters it could", () => {
    const row = { cgroup: "v2", init: "systemd", runner: "learner", uid: 1234, gid: 2345, failed: 0, hostStateSame: true, ok: true, seconds: 9 };
    const report = {
      schemaVersion: 1,
      finishedAt: "2026-12-02T10:00:00.000Z",
      commit: "abc",
      rows: [
        { ...row, guest: "Debian 11", kernel: "5.10.0-32-amd64", node: "v20.19.0", expectedExit: 0, exit: 0, passed: 90, skipped: 14 },
        { ...row, guest: "Debian 13 arm64", kernel: "6.12.117+deb13-arm64", node: "v20.19.2", expectedExit: 0, exit: 0, passed: 104, skipped: 4 },
        { ...row, guest: "node 24", kernel: "6.18.44", node: "v24.22.3", expectedExit: 0, exit: 0, passed: 104, skipped: 4 },
        { ...row, guest: "no userns", kernel: "6.1.0-50-amd64", node: "v20.20.2", expectedExit: 3, exit: 3, passed: 30, skipped: 1 },
        { ...row, guest: "broken", kernel: "4.19.0", node: "v18.0.0", expectedExit: 0, exit: 1, passed: 3, skipped: 0, ok: false },
      ],
    };
    const dir = makeBook({ "chapter-02-next.md": CH2.replace("needs: [chapter-01]\n", "") }, {}, { "test/hosts/last-report.json": JSON.stringify(report) });
    const files = buildSite(loadBook(dir));
    expect(page(files, "chapter-02.html")).toContain(
      "verified by whole-book runs on 3 host configurations (of 5 in the host matrix) on 2026-12-02 10:00 UTC: kernels 5.10, 6.12 and 6.18; amd64 and arm64; Node v20.19.0, v20.19.2 and v24.22.3.",
    );
    expect(page(files, "index.html")).toMatch(/<td>no userns<\/td>[\s\S]*?✓ ran the chapters it can, as expected \(exit 3\)/);
  });

  it("places figures before a step or after a heading, and names a figure whose place is gone", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
    const manifest = (place: string) =>
      JSON.stringify([{ chapter: "chapter-02", file: "pic.svg", alt: "a <pic>", caption: "Cap & tion", ...JSON.parse(place) }]);
    const dir = makeBook(
      { "chapter-02-next.md": CH2.replace("needs: [chapter-01]\n", "") },
      {},
      { "chapters/figures/pic.svg": svg, "chapters/figures/figures.json": manifest('{"beforeStep":"one"}') },
    );
    const files = buildSite(loadBook(dir));
    expect(page(files, "chapter-02.html")).toMatch(
      /<figure class="picture"><img src="figures\/pic.svg" alt="a &lt;pic&gt;"><figcaption>Cap &amp; tion<\/figcaption><\/figure>\s*<section class="step" id="step-one"/,
    );
    expect(page(files, "figures/pic.svg")).toBe(svg);
    writeFileSync(join(dir, "chapters/figures/figures.json"), manifest('{"afterHeading":"Start"}'));
    expect(page(buildSite(loadBook(dir)), "chapter-02.html")).toMatch(/id="start">Start<\/h2>\s*<figure class="picture">/);
    writeFileSync(join(dir, "chapters/figures/figures.json"), manifest('{"beforeStep":"gone"}'));
    expect(() => buildSite(loadBook(dir))).toThrow(/figures\.json:1: figure pic\.svg: chapter-02 has no step 'gone'\n  fix: name one of its steps: one/);
    writeFileSync(join(dir, "chapters/figures/figures.json"), manifest('{"beforeStep":"one","afterHeading":"Start"}'));
    expect(() => buildSite(loadBook(dir))).toThrow(ChapterSyntaxError);
    writeFileSync(
      join(dir, "chapters/figures/figures.json"),
      JSON.stringify([{ chapter: "chapter-02", file: "../x.svg", alt: "a", caption: "c", beforeStep: "one" }]),
    );
    expect(() => buildSite(loadBook(dir))).toThrow(/'\.\.\/x\.svg' is not a plain \.svg file name/);
  });

  it("the shipped book: twelve chapter pages, four figures, every step on its page", () => {
    const root = join(import.meta.dirname, "../..");
    const book = loadBook(root);
    const files = buildSite(book);
    expect(files.filter((f) => /^chapter-\d\d\.html$/.test(f.path))).toHaveLength(12);
    expect(
      files
        .filter((f) => f.path.startsWith("figures/"))
        .map((f) => f.path)
        .sort(),
    ).toEqual(["figures/namespace-owners.svg", "figures/overlay-layers.svg", "figures/three-pids.svg", "figures/veth-pair.svg"]);
    for (const c of book.chapters) {
      const html = page(files, `${c.id}.html`);
      for (const b of c.blocks) if (b.kind === "step") expect(html, `${c.id} ${b.id}`).toContain(`id="step-${b.id}"`);
    }
  });
});

describe("writeSite", () => {
  const files: SiteFile[] = [
    { path: "index.html", content: "<p>index</p>" },
    { path: "figures/a.svg", content: "<svg/>" },
  ];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), "consh-html-out-"));
    dirs.push(d);
    return d;
  };

  it("writes a new directory, rewrites its own, and removes files an earlier build wrote that are gone", () => {
    const out = join(tmp(), "site");
    writeSite(out, [...files, { path: "old.html", content: "old" }]);
    expect(JSON.parse(readFileSync(join(out, MARKER), "utf8"))).toEqual(["index.html", "figures/a.svg", "old.html"]);
    writeSite(out, files);
    expect(readFileSync(join(out, "index.html"), "utf8")).toBe("<p>index</p>");
    expect(existsSync(join(out, "old.html"))).toBe(false);
  });

  it("refuses a non-empty directory it did not write, with exit code 2 and a hint", () => {
    const out = tmp();
    writeFileSync(join(out, "notes.txt"), "mine");
    const err = (() => {
      try {
        writeSite(out, files);
      } catch (e) {
        return e as ConshError;
      }
    })();
    expect(err?.exitCode).toBe(ExitCode.usage);
    expect(err?.message).toMatch(/is not empty and was not written by consh-book html/);
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("mine");
  });

  it("replaces a symlink in its directory instead of writing through it", () => {
    const out = join(tmp(), "site");
    writeSite(out, files);
    const victim = join(tmp(), "victim");
    writeFileSync(victim, "keep");
    rmSync(join(out, "index.html"));
    symlinkSync(victim, join(out, "index.html"));
    writeSite(out, files);
    expect(readFileSync(victim, "utf8")).toBe("keep");
    expect(() => readlinkSync(join(out, "index.html"))).toThrow();
  });

  it("reports a directory it cannot write as an environment error (exit 5)", () => {
    const parent = tmp();
    writeFileSync(join(parent, "file"), "x");
    expect(() => writeSite(join(parent, "file", "site"), files)).toThrow(expect.objectContaining({ exitCode: ExitCode.environment }));
  });
});

// list, show and read on the shipped book and a fixture: what a learner sees of
// steps that run only on some hosts, where the chapter file is, and a "did you
// mean" for a mistyped chapter; the glossary command.
import { describe, expect, it } from "vitest";
import { ROOT, cli, sandboxes } from "./helpers.js";

const box = sandboxes();

describe("steps that run only on some hosts", () => {
  it("list gives both counts", async () => {
    const r = await cli(["list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^chapter-01\s+Building a container from the shell\s+8 \(2 only on some hosts\)\s+-$/m);
    expect(r.stdout).toMatch(/^chapter-03\s+Isolating the container: namespaces\s+4\s+-$/m);
    const fixture = await cli(["list", "--book", box("basic").book]);
    expect(fixture.stdout).toMatch(/chapter-02\s+Shells change, terminals stay\s+10 \(2 only on some hosts\)\s+chapter-01/);
  });

  it("read says where such a step runs", async () => {
    const r = await cli(["read", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/step who-am-i · terminal host\n(?:.*\n)*?\s+⚑ runs only where the runner runs as an ordinary user .*: requires=unprivileged\n/);
    expect(r.stdout).toMatch(/step who-am-i-root · terminal host\n(?:.*\n)*?\s+⚑ runs only where the runner runs as root: requires=root\n\s+┌ output/);
    expect(r.stdout.match(/⚑/g)).toHaveLength(2);
  });
});

describe("show", () => {
  it("prints the chapter file relative to the working directory below it, and absolute where the relative path would climb", async () => {
    const here = await cli(["show", "7"], { cwd: ROOT });
    expect(here.stdout).toContain("\nfile:  chapters/chapter-07-starting-the-container.md\n");
    const b = box("basic");
    const away = await cli(["show", "1", "--book", b.book], { cwd: ROOT });
    expect(away.stdout).toContain(`\nfile:  ${b.book}/chapters/chapter-01-`);
    expect(away.stdout).not.toContain("../");
  });
});

describe("glossary", () => {
  it("prints the entry for a term (or another spelling of it), and the whole glossary without one", async () => {
    const r = await cli(["glossary", "Whiteouts"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^whiteout\nHow OverlayFS records that a file from a lower layer was deleted:/);
    const all = await cli(["glossary"]);
    expect(all.stdout).toMatch(/^GLOSSARY\n/);
    for (const term of ["copy-up", "mount propagation", "cgroup delegation", "capability"]) expect(all.stdout).toContain(`\n${term}\n`);
  });

  it("a term not in it gets a did-you-mean (exit 2); a book without one says so", async () => {
    const r = await cli(["glossary", "whiteot"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'whiteot' is not in the glossary\n\s+hint: did you mean 'whiteout'\?/);
    const none = await cli(["glossary", "--book", box("basic").book]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/has no glossary\n\s+hint: a glossary is chapters\/glossary\.md/);
  });
});

describe("a mistyped chapter", () => {
  it("gets a did-you-mean (exit 2)", async () => {
    const r = await cli(["show", "chapter-7x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no chapter 'chapter-7x' in .*\n\s+hint: did you mean chapter-07 \(Demo: starting up the container\)\? chapters are: chapter-01,/);
    const slug = await cli(["read", "namspaces"]);
    expect(slug.stderr).toMatch(/hint: did you mean chapter-03 \(Isolating the container: namespaces\)\?/);
  });
});

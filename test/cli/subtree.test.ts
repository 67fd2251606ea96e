// A controller a step switches on in cgroup2's root cgroup.subtree_control is
// switched off again at teardown, but not while another run's cgroup is there,
// and then by the run that ends last. On this real host, with a controller the
// cgroup2 root offers but does not hand down (hugetlb on a hybrid host).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeCgroups } from "../../src/host/probe.js";
import { readSubtree } from "../../src/host/subtree.js";
import { CLI, env, sandbox, type Sandbox } from "./helpers.js";

const cg2 = probeCgroups().v2Mount;
const spare = cg2 ? probeCgroups().v2Controllers.filter((c) => !readSubtree(cg2).includes(c)) : [];
const root = process.getuid?.() === 0;

let box: Sandbox;
let sync: string;
beforeAll(() => {
  box = sandbox("subtree");
  sync = mkdtempSync(join(tmpdir(), "consh-subtree-sync-"));
  for (const f of ["chapter-01-enable.md", "chapter-02-other.md"]) {
    const p = join(box.book, "chapters", f);
    writeFileSync(p, readFileSync(p, "utf8").replaceAll("SYNC", sync));
  }
});
afterAll(() => {
  box.remove();
  rmSync(sync, { recursive: true, force: true });
});

const run = (chapter: string) =>
  execa("node", [CLI, "run", chapter, "--book", box.book, "--work-dir", box.work], { reject: false, all: true, extendEnv: false, env: env({ CI: "true" }) });

async function until(file: string) {
  for (let i = 0; i < 300 && !existsSync(join(sync, file)); i++) await new Promise((r) => setTimeout(r, 100));
  expect(existsSync(join(sync, file)), `${file} never appeared`).toBe(true);
}

describe.skipIf(!cg2 || spare.length === 0 || !root)("a controller switched on in cgroup2's root", () => {
  it("is switched off at the end of the run that switched it on", async () => {
    const before = readSubtree(cg2!);
    writeFileSync(join(sync, "go-on-1"), "");
    const r = await run("1");
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/switched [a-z_]+ off in /);
    expect(readSubtree(cg2!)).toEqual(before);
    rmSync(join(sync, "go-on-1"));
    rmSync(join(sync, "enabled"));
  });

  it("stays on while another run's cgroup is there, and the other run switches it off when it ends", async () => {
    const before = readSubtree(cg2!);
    const a = run("1");
    await until("enabled");
    const switchedOn = readSubtree(cg2!).find((c) => !before.includes(c));
    expect(switchedOn).toBeDefined();
    const b = run("2");
    await until("other-started");
    writeFileSync(join(sync, "go-on-1"), "");
    const ra = await a;
    expect(ra.exitCode, ra.all).toBe(0);
    expect(ra.all).toMatch(new RegExp(`left ${switchedOn} on in ${cg2} for consh-[a-z0-9]{6}`));
    expect(readSubtree(cg2!)).toContain(switchedOn);
    writeFileSync(join(sync, "go-on-2"), "");
    const rb = await b;
    expect(rb.exitCode, rb.all).toBe(0);
    expect(readSubtree(cg2!)).toEqual(before);
    expect(existsSync("/run/consh-book")).toBe(false);
  });
});

// The README's setup script: apt-get as root (even where sudo is not
// installed), through sudo as an ordinary user; and the README's commands, as
// CI reads them, use it.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

let dir: string;
let script: string;
/** A PATH with the tools the script uses, but no sudo (a fresh container). */
let noSudo: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "consh-setup-"));
  chmodSync(dir, 0o755);
  script = join(dir, "setup-host.sh");
  copyFileSync(join(ROOT, ".ci/setup-host.sh"), script);
  chmodSync(script, 0o755);
  noSudo = join(dir, "bin");
  mkdirSync(noSudo);
  for (const tool of ["sh", "id", "env", "apt-get"]) {
    const at = (await execa("sh", ["-c", `command -v ${tool}`])).stdout;
    symlinkSync(at, join(noSudo, tool));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const asUser = (uid: number) => process.getuid?.() === uid;

describe(".ci/setup-host.sh", () => {
  it.runIf(asUser(0))("as root where sudo is not installed, runs apt-get itself", async () => {
    const r = await execa(join(noSudo, "sh"), [script, "--print"], { env: { PATH: noSudo }, reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
      "env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static util-linux iproute2 procps sudo",
    ]);
  });

  it.runIf(asUser(0))("as an ordinary user, goes through sudo; --tests adds tmux, less and chromium", async () => {
    const r = await execa("runuser", ["-u", "cloudsdk", "--", "sh", script, "--print", "--tests"], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq\nsudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static util-linux iproute2 procps sudo tmux less chromium$/,
    );
  });

  it.runIf(asUser(0))("as an ordinary user without sudo, says what to do instead of failing half-way", async () => {
    const r = await execa("runuser", ["-u", "cloudsdk", "--", "env", `PATH=${noSudo}`, "sh", script, "--print"], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/needs root, and sudo is not installed[\s\S]*run this script as root/);
  });

  it("rejects an unknown option", async () => {
    const r = await execa("sh", [script, "--nope"], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--nope'/);
  });
});

describe("the README's commands, as CI reads them", () => {
  it("both install through the setup script, then use npm", async () => {
    const run = (await execa("sh", [join(ROOT, ".ci/readme-command.sh"), "readme-run"])).stdout;
    const test = (await execa("sh", [join(ROOT, ".ci/readme-command.sh"), "readme-test"])).stdout;
    expect(run).toBe("sh .ci/setup-host.sh && npm ci && npm run build && node dist/bin/consh-book.js run chapter-07");
    expect(test).toBe("sh .ci/setup-host.sh --tests && npm ci && npm test");
    expect(run + test).not.toMatch(/(^|&& )sudo /); // root without sudo must work
  });
});

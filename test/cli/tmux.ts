// Drives the CLI in a real pseudo-terminal: a tmux session on a tmux server of
// the tests' own (its own socket, a long scrollback), keys sent with send-keys,
// the screen read with capture-pane.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Pane {
  send(...keys: string[]): void;
  /** Types `text` as it is (no key names), without Enter. */
  type(text: string): void;
  /** The scrollback and screen; `lines`: only the last so many. */
  screen(lines?: number): string;
  waitFor(text: string | RegExp, timeoutMs?: number, lines?: number): Promise<string>;
  /** The PID of the process the pane runs (the shell around the command). */
  pid(): number;
  close(): void;
}

const SOCKET = "consh-test";
const config = join(tmpdir(), "consh-test-tmux.conf");
writeFileSync(config, "set -g history-limit 200000\n");
const run = (args: string[]) =>
  execFileSync("tmux", ["-L", SOCKET, "-f", config, ...args], { encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "pipe"] });

/** A tmux command; again, a moment later, when it met the tests' server as it exited (its last session was just closed). */
function tmux(...args: string[]): string {
  for (let attempt = 0; ; attempt++) {
    try {
      return run(args);
    } catch (err) {
      if (attempt >= 5 || !/server exited unexpectedly|lost server|no server running/.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

/** Runs `command` (a shell command line) in a new detached tmux session; `EXIT=<status>` is printed when it ends. */
export function openPane(command: string, env: Record<string, string> = {}, size = { columns: 160, rows: 50 }): Pane {
  const name = `consh-test-${randomBytes(4).toString("hex")}`;
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, "'\\''")}'; `)
    .join("");
  // A local learner's terminal: the tmux server may have inherited CI (and colour
  // settings) from whoever started it, so they are unset unless `env` sets them.
  tmux(
    "new-session",
    "-d",
    "-s",
    name,
    "-x",
    String(size.columns),
    "-y",
    String(size.rows),
    `unset CI NO_COLOR FORCE_COLOR; ${exports}${command}; echo EXIT=$?; sleep 600`,
  );
  const screen = (lines = 200_000) => tmux("capture-pane", "-p", "-J", "-S", `-${lines}`, "-t", name);
  return {
    send: (...keys) => void tmux("send-keys", "-t", name, ...keys),
    // tmux takes a ';' that ends an argument for its own command separator: escape it.
    type: (text) => void tmux("send-keys", "-t", name, "-l", text.replace(/;$/, "\\;")),
    screen,
    async waitFor(text, timeoutMs = 20_000, lines = 200_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen(lines);
        if (typeof text === "string" ? s.includes(text) : text.test(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${s.split("\n").slice(-60).join("\n")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    pid: () => Number(tmux("display-message", "-p", "-t", name, "#{pane_pid}").trim()),
    close: () => {
      try {
        tmux("kill-session", "-t", name);
      } catch {
        // already gone
      }
    },
  };
}

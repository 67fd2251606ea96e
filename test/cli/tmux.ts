// Drives the CLI in a real pseudo-terminal: a tmux session, keys sent with
// send-keys, the screen read with capture-pane.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface Pane {
  send(...keys: string[]): void;
  screen(): string;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });

/** Runs `command` (a shell command line) in a new detached tmux session; `EXIT=<status>` is printed when it ends. */
export function openPane(command: string, env: Record<string, string> = {}): Pane {
  const name = `consh-test-${randomBytes(4).toString("hex")}`;
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, "'\\''")}'; `)
    .join("");
  // A local learner's terminal: the tmux server may have inherited CI (and colour
  // settings) from whoever started it, so they are unset unless `env` sets them.
  tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "50", `unset CI NO_COLOR FORCE_COLOR; ${exports}${command}; echo EXIT=$?; sleep 600`);
  const screen = () => tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", name);
  return {
    send: (...keys) => void tmux("send-keys", "-t", name, ...keys),
    screen,
    async waitFor(text, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (typeof text === "string" ? s.includes(text) : text.test(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${s}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => {
      try {
        tmux("kill-session", "-t", name);
      } catch {
        // already gone
      }
    },
  };
}

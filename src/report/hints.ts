// Likely causes of a failing step, read from what it ran and what it printed.

import type { Step } from "../book/model.js";
import type { PlatformFacts } from "../host/platform.js";
import { usernsFix } from "../host/userns-fix.js";
import type { StepResult } from "./results.js";

interface Rule {
  /** Matches the step's command text. */
  command?: RegExp;
  /** Matches the step's output. */
  output?: RegExp;
  /** The hint, or a function of the host's platform (a cause only the host can tell). */
  hint: string | ((platform: PlatformFacts | undefined) => string);
}

/** Why a step is failed when it printed the runner's own END command back. */
export const STDIN_CONSUMED = "the step read its terminal's standard input and consumed the runner's commands; give it < /dev/null";

const DOCTOR = "run `consh-book doctor` to see what this host lacks";

const RULES: Rule[] = [
  {
    command: /pivot_root/,
    output: /Invalid argument|EINVAL/,
    hint: "pivot_root refuses (EINVAL) when the new root is not a mount point or a mount has shared propagation: the set-up must run `mount --make-rprivate /` and bind-mount the new root onto itself first",
  },
  {
    output: /(uid_map|gid_map|setgroups)[^\n]*(Operation not permitted|Permission denied)|unshare: (write failed|cannot|unshare failed)/,
    hint: (platform) => {
      const { cause, fix } = usernsFix(platform);
      return `writing the uid map was refused: ${cause}; ${fix}; ${DOCTOR}`;
    },
  },
  {
    output: /sudo: (a password is required|a terminal is required|.*not in the sudoers)/,
    hint: "sudo asked for a password: the book runs sudo without a terminal, so it needs a sudoers rule with NOPASSWD for your user (e.g. in /etc/sudoers.d/consh-book)",
  },
  {
    output: /unknown filesystem type 'overlay'|overlay.*not supported/,
    hint: `the kernel has no OverlayFS (modprobe overlay); ${DOCTOR}`,
  },
  {
    output: /cgroup\.(procs|subtree_control).*(No such file|Permission denied|Device or resource busy)|No such file or directory.*cgroup/,
    hint: `the cgroup layout differs from what the step expects (v2 / hybrid / v1) or a controller is not available; ${DOCTOR}`,
  },
  {
    output: /Cannot find device|RTNETLINK answers: (File exists|Operation not permitted)/,
    hint: "a network device or address is already there, or the step lacks privilege in that network namespace; an earlier run may have left it: run `consh-book clean`",
  },
  {
    output: /not found|No such file or directory/,
    command: /busybox|unshare|nsenter|lsns|findmnt|ip /,
    hint: `a tool the book uses is missing (busybox-static, util-linux, iproute2); ${DOCTOR}`,
  },
];

export function hintsFor(step: Step, result: StepResult, platform?: PlatformFacts): string[] {
  if (result.status === "timeout") {
    return [
      "a command is waiting: for input (steps must not read stdin), for a network peer, or for a process that never ends; end a server with a background step",
    ];
  }
  const out: string[] = [];
  for (const rule of RULES) {
    if (rule.command && !rule.command.test(step.text)) continue;
    if (rule.output && !rule.output.test(result.output)) continue;
    out.push(typeof rule.hint === "string" ? rule.hint : rule.hint(platform));
  }
  return out;
}

/**
 * What the learner can do about a failed step, first: the author's fix (declare
 * exit=N, record with --update) is for authors (shown with --verbose or --update).
 */
export function adviceFor(step: Step, result: StepResult): string {
  const reason = result.reason ?? "";
  if (/ended its terminal's shell/.test(reason)) {
    return step.terminal === "host"
      ? "the terminal's shell ended during the step: run the chapter again"
      : `the ${step.terminal} terminal's shell ended during the step, so the container is gone: did something kill it? run the chapter again`;
  }
  if (result.status === "timeout")
    return `the step did not finish within ${Math.round(result.durationMs / 1000)} s: is the host busy? run the chapter again; if it happens again, consh-book doctor checks the host`;
  if (/its check .* failed/.test(reason))
    return "the step ran, but the host is not in the state the chapter needs afterwards (the check says what is missing): run the chapter again";
  if (result.status === "mismatch" && result.diff)
    return "this host printed something else than the book recorded (- the book, + this run): another kernel or tool version, or something left from an earlier run (consh-book clean); consh-book doctor checks the host";
  if (result.status === "mismatch") return "the book has no recorded output for this step to compare with";
  if (/exited with status/.test(reason))
    return "a command of the step failed on this host: its last output below says why; consh-book doctor checks what the host lacks";
  return "run the chapter again; consh-book doctor checks what this host lacks";
}

// Shows a long text through the learner's pager ($PAGER, else `less -R`).

import { execa } from "execa";

/** Whether the pager showed `text` (it ran and ended well); if not, the caller prints it. */
export async function page(text: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const [pager, ...args] = (env.PAGER || "less -R").split(/\s+/);
  const r = await execa(pager!, args, { input: text, stdout: "inherit", stderr: "inherit", reject: false });
  return r.exitCode === 0 || r.failed === false;
}

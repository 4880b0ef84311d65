/**
 * Entry point of the sandbox process (forked by `Sandbox`, never imported by the package).
 *
 * Loads everything it needs, then calls SES `lockdown()` — the only place in the package that does — and
 * serves evaluation requests one at a time over the IPC channel. Started as `child.ts` through tsx when the
 * package runs from source, as the compiled `child.js` from dist/.
 */
import "ses";
import { Evaluator, type CompartmentConstructor } from "./evaluator.js";
import type { ChildMessage, EvaluateRequest } from "./protocol.js";

if (typeof process.send !== "function") {
  process.stderr.write("guided-rl sandbox: child.js must be started by Sandbox.start() (no IPC channel)\n");
  process.exit(2);
}

// Keep real stacks (the candidate's line numbers are read from them) and every frame.
lockdown({ errorTaming: "unsafe", stackFiltering: "verbose", overrideTaming: "moderate", consoleTaming: "unsafe" });

const sesGlobals = globalThis as unknown as { Compartment: CompartmentConstructor; harden: <T>(x: T) => T };
const evaluator = new Evaluator(sesGlobals.Compartment, sesGlobals.harden);

const send = (msg: ChildMessage): void => {
  process.send!(msg);
};

process.on("message", (msg: EvaluateRequest) => {
  if (msg?.type !== "evaluate") return;
  send({ type: "result", id: msg.id, result: evaluator.evaluate(msg) });
});
// Candidate code cannot schedule work (no Promise, timers or async syntax), but never die of a stray rejection.
process.on("unhandledRejection", () => {});
process.on("disconnect", () => process.exit(0));

send({ type: "ready" });

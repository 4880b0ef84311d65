/**
 * Child-process entry of the training pool: receives one `TrainingJob`, runs it, sends back the result and
 * exits. Forked by pool.ts (through tsx from src/, directly from dist/).
 */
import { runTrainingJob, type TrainingJob, type TrainingResult } from "./training.js";

interface JobMessage {
  type: "job";
  job: TrainingJob;
}

export type WorkerReply = { type: "result"; result: TrainingResult } | { type: "error"; message: string };

// The parent went away (killed): stop, so a resumed run redoes this job instead of racing it.
process.on("disconnect", () => process.exit(1));

process.on("message", (msg: JobMessage) => {
  if (msg?.type !== "job") return;
  runTrainingJob(msg.job)
    .then((result) => send({ type: "result", result }))
    .catch((err: unknown) => send({ type: "error", message: (err as Error)?.stack ?? String(err) }));
});

function send(reply: WorkerReply): void {
  process.removeAllListeners("disconnect");
  process.send!(reply, () => process.disconnect());
}

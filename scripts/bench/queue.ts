import { SQSClient } from "@aws-sdk/client-sqs";
import { config } from "../../core/config";
import { sqs } from "../../core/platform/clients";
import * as Queue from "../../core/platform/queue";
import { freePort } from "../local/ports";
import { REGION } from "../local/resources";
import { startLocal } from "../local/runtime";
import { countCalls, measure, report } from "./harness";

/**
 * The fan-out path every campaign and import rides on: batch-enqueue jobs on the dispatch queue, let the
 * local event source mapping deliver them to the production handler, wait until all are consumed.
 */
export async function queueBench(count = Number(process.env.BENCH_MESSAGES ?? 5000)) {
  const pollerSqs = new SQSClient({ region: REGION, useQueueUrlAsEndpoint: false });
  const local = await startLocal({
    port: await freePort(),
    serve: false,
    pollers: { sqs: pollerSqs, concurrency: { dispatch: 4 } },
  });
  try {
    const producer = countCalls({ sqs: sqs() });
    const consumer = countCalls({ sqs: pollerSqs });
    const jobs = Array.from({ length: count }, (_, index) => ({
      id: `m${index}`,
      body: { kind: "bench", index },
    }));

    const enqueue = await measure(() => Queue.sendBatch(config("DISPATCH_QUEUE_URL"), jobs));
    const consumed = await measure(async () => {
      while (local.pollers.stats.dispatch.received - local.pollers.stats.dispatch.failed < count) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    const total = enqueue.seconds + consumed.seconds;
    const sqsCalls = [...producer.values(), ...consumer.values()].reduce((sum, value) => sum + value, 0);
    report(`queue — ${count.toLocaleString("fr-FR")} jobs through SQS dispatch → handler`, [
      ["enqueue (SendMessageBatch) msg/s", count / enqueue.seconds],
      ["end to end msg/s", count / total],
      ["SQS calls per message", sqsCalls / count],
      ["handler invocations", local.pollers.stats.dispatch.invocations],
      ["peak RSS MiB", Math.max(enqueue.peakMiB, consumed.peakMiB)],
    ]);
    for (const [operation, calls] of [...producer, ...consumer]) console.log(`    ${operation}: ${calls}`);
  } finally {
    await local.stop();
  }
}

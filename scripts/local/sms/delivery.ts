import { matches, smsEvent } from "./sms-events";
import type { Message, Store } from "./state";
import { outcomeFor } from "./test-numbers";

export type Publish = (topicArn: string, message: unknown) => Promise<void>;

export type Pace = { delayMs: number; slowDelayMs: number };

/**
 * Plays a sent message's outcome: waits, records the next event on the message, then publishes it to every
 * enabled SNS event destination of its configuration set that matches. Steps run in order, each publish
 * finished before the next wait, so a queue subscribed to the topic sees SUCCESSFUL before DELIVERED.
 */
export class Delivery {
  private stopped = false;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly publish: Publish,
    private readonly pace: Pace,
  ) {}

  start(message: Message) {
    const run = this.play(message).catch((error) => console.error("[sms-emulator] delivery failed:", error));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  async stop() {
    this.stopped = true;
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
    await Promise.all(this.running);
  }

  private async play(message: Message) {
    const { steps } = outcomeFor(message.to);
    for (const [index, step] of steps.entries()) {
      await this.sleep(step.pace === "slow" ? this.pace.slowDelayMs : this.pace.delayMs);
      if (this.stopped) return;
      const isFinal = index === steps.length - 1;
      const at = new Date();
      const event = smsEvent({
        eventType: step.eventType,
        isFinal,
        at,
        message: { ...message, messageType: message.messageType ?? "TRANSACTIONAL" },
      });
      const topics = this.topicsFor(message, step.eventType);
      message.status = step.eventType;
      message.events.push({ eventType: step.eventType, isFinal, at: at.toISOString(), publishedTo: topics });
      this.store.changed();
      await Promise.all(
        topics.map((topicArn) =>
          this.publish(topicArn, event).catch((error: Error) =>
            console.error(
              `[sms-emulator] could not publish ${step.eventType} to ${topicArn}: ${error.message}`,
            ),
          ),
        ),
      );
    }
  }

  /** Looked up at each step, as AWS does: a destination added or disabled meanwhile takes effect. */
  private topicsFor(message: Message, eventType: Parameters<typeof matches>[1]): string[] {
    if (!message.configurationSetName) return [];
    const set = this.store.data.configurationSets.find(
      (s) => s.ConfigurationSetName === message.configurationSetName,
    );
    return (set?.EventDestinations ?? [])
      .filter((d) => d.Enabled && d.SnsDestination && matches(d.MatchingEventTypes, eventType))
      .map((d) => d.SnsDestination?.TopicArn ?? "");
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}

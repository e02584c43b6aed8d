import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

export type WorkQueueProps = {
  /** At least six times the consumer's timeout, as AWS advises for Lambda event sources. */
  visibilityTimeout: Duration;
  /** Alarm when the oldest message has waited longer than this: the consumer is stuck or throttled. */
  maxAge: Duration;
  alarmTopic: ITopic;
  maxReceiveCount?: number;
  /**
   * The DLQ is named `<deadLetterName>-dlq`: the dead-letters consumer reads which queue a dead
   * message came from off that name, so « Relancer » can put it back there (core/dead-letter).
   */
  deadLetterName: string;
  /** A fixed name, for a consumer that reads who it is off its queue's ARN (subscriber queues). */
  queueName?: string;
};

const secured = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;

/**
 * A queue whose poison messages land in its own dead-letter queue after `maxReceiveCount` attempts,
 * with alarms on the first dead letter and on messages waiting too long.
 */
export function workQueue(scope: Construct, id: string, props: WorkQueueProps) {
  const deadLetters = new Queue(scope, `${id}Dlq`, {
    ...secured,
    queueName: `${props.deadLetterName}-dlq`,
    retentionPeriod: Duration.days(14),
  });
  const queue = new Queue(scope, id, {
    ...secured,
    ...(props.queueName ? { queueName: props.queueName } : {}),
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: props.maxReceiveCount ?? 5 },
  });
  const notify = new SnsAction(props.alarmTopic);

  const deadLetterAlarm = new Alarm(scope, `${id}DlqAlarm`, {
    alarmDescription: `A message of ${id} failed ${props.maxReceiveCount ?? 5} times and reached its DLQ`,
    // The dead-letters consumer drains DLQs at once (into the console's list), so count arrivals
    // rather than messages waiting.
    metric: deadLetters.metricNumberOfMessagesReceived({ period: Duration.minutes(1), statistic: "Sum" }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  deadLetterAlarm.addAlarmAction(notify);

  const ageAlarm = new Alarm(scope, `${id}AgeAlarm`, {
    alarmDescription: `Messages of ${id} wait longer than ${props.maxAge.toHumanString()}`,
    metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: "Maximum" }),
    threshold: props.maxAge.toSeconds(),
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  ageAlarm.addAlarmAction(notify);

  return { queue, deadLetters, alarms: [deadLetterAlarm, ageAlarm] };
}

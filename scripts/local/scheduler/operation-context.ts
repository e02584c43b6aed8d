import type { EmulatorClock } from "./clock";
import type { SchedulerState } from "./scheduler-state";

/** What an API operation may touch; `changed` asks for the state file to be rewritten. */
export interface OperationContext {
  state: SchedulerState;
  clock: EmulatorClock;
  changed(): void;
}

export interface ListQuery {
  MaxResults?: string;
  NextToken?: string;
}

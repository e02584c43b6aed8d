// Persistence to <dataDir>/scheduler-state.json. Writes are coalesced (a burst of changes makes one
// or two writes) and atomic (temp file, then rename) so a crash never leaves half a file.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PersistedState } from "./model";

export const STATE_FILE_NAME = "scheduler-state.json";

export async function readStateFile(dataDir: string): Promise<PersistedState | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, STATE_FILE_NAME), "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = PersistedState.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `${join(dataDir, STATE_FILE_NAME)} is not a scheduler state file: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

export class StateFileWriter {
  private dirty = false;
  private running: Promise<void> | undefined;
  private sequence = 0;

  constructor(
    private readonly dataDir: string,
    private readonly snapshot: () => PersistedState,
  ) {}

  request(): void {
    this.dirty = true;
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.write();
      } catch (error) {
        console.error("[scheduler] could not save state", error);
      }
    }
  }

  private async write(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const file = join(this.dataDir, STATE_FILE_NAME);
    const temp = `${file}.${process.pid}.${++this.sequence}.tmp`;
    await writeFile(temp, `${JSON.stringify(this.snapshot(), null, 2)}\n`, "utf8");
    await rename(temp, file);
  }
}

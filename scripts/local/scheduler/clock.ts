// The emulator's notion of "now": real time plus an offset that the control API can move, so a
// developer (or a test) can jump to tomorrow 9:00 without waiting for it.
export class EmulatorClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(instantMs: number): void {
    this.offsetMs = instantMs - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

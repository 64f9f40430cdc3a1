/** The time budget of one relay request: every Defender call is bounded by it. */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly at: number) {
    this.timer = setTimeout(() => this.controller.abort(new DeadlineExceeded()), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  static in(ms: number): Deadline {
    return new Deadline(Date.now() + ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }

  get expired(): boolean {
    return this.remaining() === 0;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

export class DeadlineExceeded extends Error {
  constructor() {
    super('request deadline exceeded');
    this.name = 'DeadlineExceeded';
  }
}

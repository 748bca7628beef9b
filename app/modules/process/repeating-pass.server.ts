/**
 * A background task run in passes (the outbox's deliveries, the mail worker's sends): one pass at a
 * time, a call during a pass asks for one more right after it, a pass every `intervalMs`, and the first
 * one as soon as the caller has finished setting up (next microtask).
 */
export interface RepeatingPass {
  /** A pass now, or one more after the pass in progress; resolves when the passes stop. */
  run(): Promise<void>;
  /** Passes while `dueNow` says work is due (retries a test clock put in the past); at most 1,000. */
  drain(dueNow: () => Promise<boolean>): Promise<void>;
  /** No more passes; resolves once the pass in progress ends. */
  stop(): Promise<void>;
  readonly stopped: boolean;
}

export function startRepeatingPass(pass: () => Promise<void>, options: { intervalMs: number; onError: (error: unknown) => void }): RepeatingPass {
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass().catch(options.onError);
        } while (again && !stopped);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  const timer = setInterval(() => {
    if (!stopped) void run();
  }, options.intervalMs);
  timer.unref?.();
  queueMicrotask(() => {
    if (!stopped) void run();
  });

  return {
    run,
    get stopped() {
      return stopped;
    },
    async drain(dueNow) {
      for (let i = 0; i < 1000 && !stopped; i++) {
        if (running) await running;
        await run();
        if (stopped || !(await dueNow())) return;
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Load figures of the whole agent process (all threads, the rule-host worker included). */
export interface ProcessSample {
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface ProcessStats {
  sample(): ProcessSample;
}

/**
 * CPU% from process.cpuUsage() over the time since the previous sample (100 = one core busy),
 * memory from process.memoryUsage(): synchronous and without spawning anything.
 */
export class NodeProcessStats implements ProcessStats {
  private lastCpu = process.cpuUsage();
  private lastAt = process.hrtime.bigint();

  sample(): ProcessSample {
    const cpu = process.cpuUsage();
    const at = process.hrtime.bigint();
    const usedMicros = cpu.user - this.lastCpu.user + (cpu.system - this.lastCpu.system);
    const elapsedMicros = Number(at - this.lastAt) / 1000;
    this.lastCpu = cpu;
    this.lastAt = at;
    const memory = process.memoryUsage();
    return {
      cpuPercent: elapsedMicros > 0 ? Math.round((usedMicros / elapsedMicros) * 1000) / 10 : 0,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
  }
}

/** ~200-byte JSON sensor events, the same for every benchmark and every engine. */
export interface BenchEvent {
  deviceId: string;
  seq: number;
  sentAt: number;
  temperature: number;
  humidity: number;
  site: string;
  firmware: string;
  status: string;
}

export function benchEvent(seq: number, devices = 1000, sentAt = 0): BenchEvent {
  return {
    deviceId: `device-${String(seq % devices).padStart(5, '0')}`,
    seq,
    sentAt,
    temperature: 15 + (seq % 20),
    humidity: 40 + (seq % 30),
    site: 'turin-plant-2/building-c/floor-3',
    firmware: 'v4.2.17-edge-gateway-release',
    status: 'nominal-operating-range-ok',
  };
}

export const eventBytes = (seq: number, devices?: number): Buffer =>
  Buffer.from(JSON.stringify(benchEvent(seq, devices)));

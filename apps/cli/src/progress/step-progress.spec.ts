import { StepProgress } from './step-progress';

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
};

describe('StepProgress', () => {
  it('writes nothing when stderr is not a terminal', () => {
    const err = stream(false);
    const progress = new StepProgress(err);
    progress.step('stopping on edge/gw1');
    progress.finish('RUNNING');
    expect(err.written).toEqual([]);
  });

  it('redraws one line with the steps so far and ends it with the result', () => {
    const err = stream(true);
    const progress = new StepProgress(err);
    progress.step('stopping on edge/gw1');
    progress.step('stopping on edge/gw1');
    progress.step('installing on flink/flink');
    progress.finish('RUNNING on flink/flink');
    const last = err.written[err.written.length - 1];
    expect(last).toBe(
      '\r\x1b[2Kstopping on edge/gw1 -> installing on flink/flink -> RUNNING on flink/flink\n',
    );
    expect(err.written.slice(0, -1).every((line) => line.startsWith('\r\x1b[2K'))).toBe(true);
    expect(err.written.filter((line) => line.includes('-> -> '))).toEqual([]);
  });
});

import { vmHwmBytes, vmRssBytes } from './proc-status';

describe('vmRssBytes', () => {
  it('reads VmRSS (kB) as bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t   81234 kB\nRssAnon:\t 70000 kB\n';
    expect(vmRssBytes(status)).toBe(81234 * 1024);
  });

  it('is NaN without a VmRSS line (a kernel thread)', () => {
    expect(vmRssBytes('Name:\tkthreadd\n')).toBeNaN();
  });
});

describe('vmHwmBytes', () => {
  it('reads VmHWM (peak resident, kB) as bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  878424 kB\nVmRSS:\t   81234 kB\n';
    expect(vmHwmBytes(status)).toBe(878424 * 1024);
  });
});

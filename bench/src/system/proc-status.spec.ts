import { vmRssBytes } from './proc-status';

describe('vmRssBytes', () => {
  it('reads VmRSS (kB) as bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t   81234 kB\nRssAnon:\t 70000 kB\n';
    expect(vmRssBytes(status)).toBe(81234 * 1024);
  });

  it('is NaN without a VmRSS line (a kernel thread)', () => {
    expect(vmRssBytes('Name:\tkthreadd\n')).toBeNaN();
  });
});

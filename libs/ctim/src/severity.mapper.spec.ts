import { ctimSeverity } from './severity.mapper';

describe('ctimSeverity', () => {
  it.each([
    ['Informational', 'Info'],
    ['Low', 'Low'],
    ['Medium', 'Medium'],
    ['High', 'High'],
    ['UnSpecified', 'Unknown'],
    ['Critical', 'Unknown'],
    ['', 'Unknown'],
    [null, 'Unknown'],
    [undefined, 'Unknown'],
  ])('maps Defender %p to CTIM %p', (defender, ctim) => {
    expect(ctimSeverity(defender)).toBe(ctim);
  });

  it('ignores case and surrounding spaces', () => {
    expect(ctimSeverity(' high ')).toBe('High');
    expect(ctimSeverity('unspecified')).toBe('Unknown');
  });
});

import { isClientId, isTenantId } from './credential-format';

describe('credential claim formats', () => {
  it.each(['dad06cfa-6552-4c43-af40-7cc2de5fd068', 'DAD06CFA-6552-4C43-AF40-7CC2DE5FD068'])('accepts the GUID %s as client and tenant', (guid) => {
    expect(isClientId(guid)).toBe(true);
    expect(isTenantId(guid)).toBe(true);
  });

  it.each(['contoso.onmicrosoft.com', 'Contoso.COM', 'xn--mnchen-3ya.de', 'a-b.c-d.example', `${'a'.repeat(63)}.com`])('accepts the tenant domain %s', (domain) => {
    expect(isTenantId(domain)).toBe(true);
    expect(isClientId(domain)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['one label', 'contoso'],
    ['a path', '../common'],
    ['a trailing dot', 'contoso.com.'],
    ['a leading hyphen', '-contoso.com'],
    ['a numeric top-level label', 'contoso.123'],
    ['a 64-character label', `${'a'.repeat(64)}.com`],
    ['more than 253 characters', `${'a'.repeat(62)}.`.repeat(4) + 'com'],
    ['a lone surrogate', '\ud800'],
    ['non-ASCII', 'münchen.de'],
    ['a GUID with braces', '{dad06cfa-6552-4c43-af40-7cc2de5fd068}'],
    ['a space', 'contoso .com'],
  ])('refuses %s as tenant', (_name, value) => {
    expect(isTenantId(value)).toBe(false);
  });

  it.each(['', 'defender-relay', 'dad06cfa65524c43af407cc2de5fd068', 'dad06cfa-6552-4c43-af40-7cc2de5fd06', 'gad06cfa-6552-4c43-af40-7cc2de5fd068'])('refuses %j as client id', (value) => {
    expect(isClientId(value)).toBe(false);
  });
});

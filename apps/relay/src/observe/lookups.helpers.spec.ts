import {
  MACHINE_ID,
  MD5,
  PARENT_MD5,
  PARENT_SHA1,
  PARENT_SHA256,
  SHA1,
  SHA256,
  aFileEvent,
  aFileProfile,
  aMachine,
  aNetworkEvent,
  aNonFileEvidence,
  anAlert,
  anEvidence,
} from '../../../../libs/ctim/test-support/builders';
import { completeHashes } from '@app/ctim';
import { completeFilesIn, fileProfileIndex, hashesNeedingCompletion, machineIdsOf, machineIndex } from './lookups.helpers';

describe('hashesNeedingCompletion', () => {
  it('asks for the sha1 of evidence files (evidence never carries md5)', () => {
    const alert = anAlert({ evidence: [anEvidence(), aNonFileEvidence('Ip', { ipAddress: '1.2.3.4' })] });
    expect(hashesNeedingCompletion([alert], [])).toEqual(new Set([SHA1]));
  });

  it('falls back to sha256 when no sha1 is known, lower-cased', () => {
    const alert = anAlert({ evidence: [anEvidence({ sha1: null, sha256: SHA256.toUpperCase() })] });
    expect(hashesNeedingCompletion([alert], [])).toEqual(new Set([SHA256]));
  });

  it('skips files whose three hashes are all in the payload', () => {
    const event = aFileEvent({ SHA1, SHA256, MD5 });
    expect(hashesNeedingCompletion([], [event])).toEqual(new Set());
  });

  it('covers both the file and the initiating process of file events', () => {
    const event = aFileEvent({ SHA256: '', InitiatingProcessSHA256: '' });
    expect(hashesNeedingCompletion([], [event])).toEqual(new Set([SHA1, PARENT_SHA1]));
  });

  it('covers the initiating process of network events', () => {
    const event = aNetworkEvent({ InitiatingProcessMD5: '' });
    expect(hashesNeedingCompletion([], [event])).toEqual(new Set([PARENT_SHA1]));
  });

  it('asks once per file, also when evidence and a row know it by different sibling sets', () => {
    const alert = anAlert({ evidence: [anEvidence({ sha1: SHA1, sha256: SHA256 })] });
    const event = aFileEvent({ SHA1, SHA256: '', MD5, InitiatingProcessSHA256: '' });
    expect(hashesNeedingCompletion([alert], [event])).toEqual(new Set([SHA1, PARENT_SHA1]));
  });

  it('skips files already known, by any of their hashes', () => {
    // The evidence (sha1 + sha256) and the row (sha1 + md5) meet a profile that lacks the sha1.
    const alert = anAlert({ evidence: [anEvidence({ sha1: SHA1.toUpperCase(), sha256: SHA256 })] });
    const event = aFileEvent({ SHA256: '', InitiatingProcessSHA256: '' });
    const known = fileProfileIndex([aFileProfile({ sha1: null }), { sha1: PARENT_SHA1, md5: PARENT_MD5 }]);
    expect(hashesNeedingCompletion([alert], [event], known)).toEqual(new Set());
    expect(hashesNeedingCompletion([alert], [event], fileProfileIndex([aFileProfile()]))).toEqual(new Set([PARENT_SHA1]));
  });

  it('ignores md5-only files and malformed hashes', () => {
    const event = aFileEvent({ SHA1: '', SHA256: 'zz', MD5, InitiatingProcessSHA1: '', InitiatingProcessSHA256: '' });
    expect(hashesNeedingCompletion([], [event])).toEqual(new Set());
  });
});

describe('completeFilesIn', () => {
  it('takes the complete hash sets of rows, for the file and for the initiating process', () => {
    expect(completeFilesIn([aFileEvent({ SHA256 })])).toEqual([
      { sha1: SHA1, sha256: SHA256, md5: MD5 },
      { sha1: PARENT_SHA1, sha256: PARENT_SHA256, md5: PARENT_MD5 },
    ]);
  });

  it('leaves out incomplete or malformed sets', () => {
    expect(completeFilesIn([aFileEvent({ SHA256: '', InitiatingProcessMD5: 'not-a-hash' }), aNetworkEvent({ InitiatingProcessSHA256: null })])).toEqual([]);
  });

  it('completes other mentions of the same file once indexed', () => {
    const files = fileProfileIndex(completeFilesIn([aNetworkEvent()]));
    expect(completeHashes({ sha1: PARENT_SHA1 }, files)).toEqual({ sha1: PARENT_SHA1, sha256: PARENT_SHA256, md5: PARENT_MD5 });
  });
});

describe('fileProfileIndex', () => {
  it('indexes profiles by every lower-case hash, tolerating a missing md5', () => {
    const index = fileProfileIndex([aFileProfile({ sha1: SHA1.toUpperCase(), md5: null })]);
    expect([...index.keys()]).toEqual([SHA1, SHA256]);
  });

  it('keeps the first profile of a hash', () => {
    const first = aFileProfile({ determinationType: 'Malware' });
    expect(fileProfileIndex([first, aFileProfile()]).get(SHA1)).toBe(first);
  });
});

describe('machineIdsOf', () => {
  it('collects alert machine ids and event device ids once each', () => {
    const other = 'aaaa6dd8c833c8a052ea231ec1b19adaf497b625';
    const ids = machineIdsOf([anAlert(), anAlert({ machineId: null })], [aFileEvent(), aNetworkEvent({ DeviceId: other }), aNetworkEvent({ DeviceId: ' ' })]);
    expect(ids).toEqual(new Set([MACHINE_ID, other]));
  });
});

describe('machineIndex', () => {
  const OTHER_ID = 'FFEE'.repeat(10);

  it('keys each profile by the id it was requested with, lower-case, whatever its own id says', () => {
    const withoutId = aMachine({ id: undefined, computerDnsName: 'no-id' });
    const wrongId = aMachine({ id: 'something-else', computerDnsName: 'wrong-id' });
    const index = machineIndex([MACHINE_ID.toUpperCase(), OTHER_ID], [withoutId, wrongId]);
    expect([...index.keys()]).toEqual([MACHINE_ID, OTHER_ID.toLowerCase()]);
    expect(index.get(MACHINE_ID)?.computerDnsName).toBe('no-id');
    expect(index.get(OTHER_ID.toLowerCase())?.computerDnsName).toBe('wrong-id');
  });

  it.each([
    ['unknown to Defender', undefined],
    ['null', null],
    ['a string', 'Machine'],
    ['an array', [aMachine()]],
  ])('drops an answer that is %s', (_name, answer) => {
    expect(machineIndex([MACHINE_ID, OTHER_ID], [answer, aMachine()]).has(MACHINE_ID)).toBe(false);
    expect(machineIndex([MACHINE_ID, OTHER_ID], [answer, aMachine()]).has(OTHER_ID.toLowerCase())).toBe(true);
  });
});

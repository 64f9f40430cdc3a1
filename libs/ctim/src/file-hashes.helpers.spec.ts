import { MD5, PARENT_MD5, PARENT_SHA1, PARENT_SHA256, SHA1, SHA256, aFileEvent, aFileProfile, aNetworkEvent, anEvidence, filesIndex } from '../test-support/builders';
import { completeHashes, eventFileHashes, evidenceHashes, fileHashes, initiatingProcessHashes, isComplete } from './file-hashes.helpers';

describe('fileHashes', () => {
  it('lower-cases well-formed hashes and drops malformed or blank ones', () => {
    expect(fileHashes(SHA1.toUpperCase(), 'zz', '')).toEqual({ sha1: SHA1 });
    expect(fileHashes(null, SHA256, MD5)).toEqual({ sha256: SHA256, md5: MD5 });
  });

  it('reads evidence, the file of a file event and the initiating process of any event', () => {
    expect(evidenceHashes(anEvidence())).toEqual({ sha1: SHA1, sha256: SHA256 });
    expect(eventFileHashes(aFileEvent())).toEqual({ sha1: SHA1, md5: MD5 });
    expect(eventFileHashes(aNetworkEvent())).toEqual({});
    expect(initiatingProcessHashes(aNetworkEvent())).toEqual({ sha1: PARENT_SHA1, sha256: PARENT_SHA256, md5: PARENT_MD5 });
  });

  it('is complete with all three hashes only', () => {
    expect(isComplete({ sha1: SHA1, sha256: SHA256, md5: MD5 })).toBe(true);
    expect(isComplete({ sha1: SHA1, sha256: SHA256 })).toBe(false);
  });
});

describe('completeHashes', () => {
  it('fills missing siblings from the profile found by any known hash', () => {
    const files = filesIndex(aFileProfile(), aFileProfile({ sha1: PARENT_SHA1, sha256: PARENT_SHA256, md5: PARENT_MD5 }));
    expect(completeHashes({ sha256: SHA256 }, files)).toEqual({ sha1: SHA1, sha256: SHA256, md5: MD5 });
    expect(completeHashes({ md5: PARENT_MD5 }, files)).toEqual({ sha1: PARENT_SHA1, sha256: PARENT_SHA256, md5: PARENT_MD5 });
  });

  it('keeps the hashes it was given over the profile’s', () => {
    const files = filesIndex(aFileProfile({ md5: PARENT_MD5 }));
    expect(completeHashes({ sha1: SHA1, md5: MD5 }, files)).toEqual({ sha1: SHA1, sha256: SHA256, md5: MD5 });
  });

  it('leaves hashes alone when no profile is known', () => {
    expect(completeHashes({ sha1: SHA1 }, new Map())).toEqual({ sha1: SHA1 });
  });
});

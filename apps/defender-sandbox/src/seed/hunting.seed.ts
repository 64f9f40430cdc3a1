import { HuntingTableName, makeRow } from '../hunting/hunting-tables.schema';
import { HuntingRow, HuntingValue } from '../model/entities';
import { SEED_PROCESSES, SEED_USERS, SeedProcess } from './processes.seed';
import { ago } from './seed.builders';
import { DEMO_MACHINE_IDS, OTHER_MACHINE_ID, SEED_FILES, SEED_NETWORK, SEED_REGISTRY, SeedFileHashes } from './seed.constants';
import { SEED_ADAPTERS, seedMachine } from './machines.seed';

let reportId = 9100;

/** A row of a device-event table: when, on which device, what happened, and the table's own columns. */
function deviceEvent(table: HuntingTableName, machineId: string, minutesAgo: number, actionType: string, columns: Record<string, HuntingValue>): HuntingRow {
  const d = seedMachine(machineId);
  return makeRow(table, { Timestamp: ago(minutesAgo), DeviceId: d.id, DeviceName: d.computerDnsName, ActionType: actionType, ...columns });
}

function initiatorColumns(p: SeedProcess): Record<string, HuntingValue> {
  return {
    InitiatingProcessAccountDomain: p.account.domain,
    InitiatingProcessAccountName: p.account.name,
    InitiatingProcessAccountSid: p.account.sid,
    InitiatingProcessAccountUpn: p.account.upn ?? '',
    InitiatingProcessAccountObjectId: p.account.aadUserId ?? '',
    InitiatingProcessMD5: p.file.md5,
    InitiatingProcessSHA1: p.file.sha1,
    InitiatingProcessSHA256: p.file.sha256,
    // The folder path of the initiating process includes its file name.
    InitiatingProcessFolderPath: joinPath(p.folder, p.file.fileName),
    InitiatingProcessFileName: p.file.fileName,
    InitiatingProcessFileSize: p.size,
    InitiatingProcessId: p.processId,
    InitiatingProcessCommandLine: p.commandLine,
    InitiatingProcessCreationTime: p.created,
    InitiatingProcessIntegrityLevel: p.integrity ?? 'Medium',
    InitiatingProcessTokenElevation: 'TokenElevationTypeDefault',
    InitiatingProcessParentId: p.parent.processId,
    InitiatingProcessParentFileName: p.parent.fileName,
    InitiatingProcessParentCreationTime: p.parent.created,
    InitiatingProcessSessionId: p.folder.startsWith('/') ? null : 1,
    IsInitiatingProcessRemoteSession: false,
  };
}

function joinPath(folder: string, name: string): string {
  return folder.startsWith('/') ? `${folder}/${name}` : `${folder}\\${name}`;
}

interface FileEventInput {
  machineId: string;
  minutesAgo: number;
  actionType: 'FileCreated' | 'FileModified' | 'FileRenamed' | 'FileDeleted';
  file: SeedFileHashes;
  folder: string;
  size: number;
  /** DeviceFileEvents.SHA256 is often empty in real data. */
  withSha256: boolean;
  by: SeedProcess;
  extra?: Record<string, HuntingValue>;
}

function fileEvent(e: FileEventInput): HuntingRow {
  return deviceEvent('DeviceFileEvents', e.machineId, e.minutesAgo, e.actionType, {
    FileName: e.file.fileName,
    FolderPath: joinPath(e.folder, e.file.fileName),
    SHA1: e.file.sha1,
    SHA256: e.withSha256 ? e.file.sha256 : '',
    MD5: e.file.md5,
    FileSize: e.size,
    RequestProtocol: 'Local',
    ReportId: (reportId += 7),
    ...initiatorColumns(e.by),
    ...e.extra,
  });
}

interface NetworkEventInput {
  machineId: string;
  minutesAgo: number;
  actionType: 'ConnectionSuccess' | 'ConnectionFailed' | 'InboundConnectionAccepted' | 'ConnectionRequest';
  remoteIp: string;
  remotePort: number;
  remoteUrl: string;
  localIp: string;
  localPort: number;
  by: SeedProcess;
}

function networkEvent(e: NetworkEventInput): HuntingRow {
  return deviceEvent('DeviceNetworkEvents', e.machineId, e.minutesAgo, e.actionType, {
    RemoteIP: e.remoteIp,
    RemotePort: e.remotePort,
    RemoteUrl: e.remoteUrl,
    LocalIP: e.localIp,
    LocalPort: e.localPort,
    Protocol: 'Tcp',
    LocalIPType: e.localIp.includes(':') ? 'Public' : 'Private',
    RemoteIPType: 'Public',
    ReportId: (reportId += 7),
    ...initiatorColumns(e.by),
  });
}

/** One DeviceNetworkInfo row per adapter, plus an older row where the adapter had another address. */
function networkInfoRows(machineId: string, minutesAgo: number): HuntingRow[] {
  const d = seedMachine(machineId);
  return (SEED_ADAPTERS[machineId] ?? []).flatMap((a) => {
    const row = (ipv4: string, when: number): HuntingRow =>
      makeRow('DeviceNetworkInfo', {
        Timestamp: ago(when),
        DeviceId: d.id,
        DeviceName: d.computerDnsName,
        NetworkAdapterName: a.name,
        MacAddress: a.mac,
        NetworkAdapterType: a.type,
        NetworkAdapterStatus: a.status,
        ConnectedNetworks:
          a.status === 'Up'
            ? JSON.stringify([{ Name: a.network.name, Description: a.network.name, IsConnectedToInternet: true, Category: a.network.category }])
            : '',
        DnsAddresses: JSON.stringify(a.dns),
        IPv4Dhcp: a.gateway ? a.gateway.replace(/\.\d+$/, '.5') : '',
        DefaultGateways: JSON.stringify(a.gateway ? [a.gateway] : []),
        IPAddresses: JSON.stringify([
          { IPAddress: ipv4, SubnetPrefix: a.prefix, AddressType: ipv4.startsWith('169.254.') ? 'LinkLocal' : 'Private' },
          ...a.ipv6.map((ip) => ({
            IPAddress: ip,
            SubnetPrefix: 64,
            AddressType: ip.startsWith('fe80:') ? 'LinkLocal' : 'Public',
          })),
        ]),
        ReportId: (reportId += 7),
        NetworkAdapterVendor: a.vendor,
      });
    const rows = [row(a.ipv4, minutesAgo)];
    if (a.previousIpv4) rows.push(row(a.previousIpv4, minutesAgo + 6 * 24 * 60));
    return rows;
  });
}

const M = DEMO_MACHINE_IDS;

export const DEMO_HUNTING: Record<HuntingTableName, HuntingRow[]> = {
  DeviceFileEvents: [
    fileEvent({
      machineId: M.win10, minutesAgo: 3050, actionType: 'FileCreated', file: SEED_FILES.emotetDropper,
      folder: 'C:\\Users\\jdoe\\Downloads', size: 284_672, withSha256: true, by: SEED_PROCESSES.outlook,
    }),
    fileEvent({
      machineId: M.win10, minutesAgo: 3047, actionType: 'FileCreated', file: { ...SEED_FILES.emotetDropper, fileName: 'OneDriveSync.exe' },
      folder: 'C:\\Users\\jdoe\\AppData\\Roaming\\OneDriveSync', size: 284_672, withSha256: false, by: SEED_PROCESSES.dropper,
    }),
    fileEvent({
      machineId: M.win11, minutesAgo: 1560, actionType: 'FileCreated', file: SEED_FILES.svcUpdater,
      folder: 'C:\\ProgramData\\SvcUpdater', size: 118_784, withSha256: true, by: SEED_PROCESSES.cradle,
      extra: {
        FileOriginUrl: `https://${SEED_NETWORK.payloadSubdomain}/u/svc-updater.dll`,
        FileOriginIP: SEED_NETWORK.payloadSubdomainIp,
      },
    }),
    fileEvent({
      machineId: M.server2019, minutesAgo: 1500, actionType: 'FileCreated', file: SEED_FILES.svcUpdater,
      folder: 'C:\\Windows\\System32', size: 118_784, withSha256: false, by: SEED_PROCESSES.systemSmb,
      extra: {
        RequestProtocol: 'SMB', RequestSourceIP: '10.20.30.18', RequestSourcePort: 50112,
        RequestAccountName: 'adm-asmith', RequestAccountDomain: 'CONTOSODEMO',
        RequestAccountSid: SEED_USERS.admAsmith.sid, ShareName: 'ADMIN$',
      },
    }),
    fileEvent({
      machineId: M.server2019, minutesAgo: 1481, actionType: 'FileCreated', file: SEED_FILES.credDumper,
      folder: 'C:\\Windows\\Temp', size: 424_856, withSha256: false, by: SEED_PROCESSES.systemSmb,
      extra: { RequestProtocol: 'SMB', RequestSourceIP: '10.20.30.18', ShareName: 'ADMIN$' },
    }),
    fileEvent({
      machineId: M.server2022, minutesAgo: 6000, actionType: 'FileCreated', file: SEED_FILES.sevenZip,
      folder: 'C:\\Users\\svc-deploy\\Downloads', size: 1_613_600, withSha256: true, by: SEED_PROCESSES.edge,
      extra: {
        FileOriginUrl: 'https://www.7-zip.org/a/7z2408-x64.exe',
        FileOriginReferrerUrl: 'https://www.7-zip.org/download.html',
        FileOriginIP: SEED_NETWORK.benignIp,
      },
    }),
    fileEvent({
      machineId: M.server2022, minutesAgo: 4300, actionType: 'FileCreated', file: SEED_FILES.webShell,
      folder: 'C:\\inetpub\\wwwroot\\aspnet_client', size: 2_214, withSha256: true, by: SEED_PROCESSES.w3wp,
    }),
    fileEvent({
      machineId: M.server2022, minutesAgo: 4100, actionType: 'FileModified', file: SEED_FILES.webShell,
      folder: 'C:\\inetpub\\wwwroot\\aspnet_client', size: 2_214, withSha256: false, by: SEED_PROCESSES.w3wp,
    }),
    fileEvent({
      machineId: M.linux, minutesAgo: 717, actionType: 'FileCreated', file: SEED_FILES.xmrig,
      folder: '/tmp/.cache', size: 8_454_136, withSha256: true, by: SEED_PROCESSES.bash,
    }),
    fileEvent({
      machineId: M.macos, minutesAgo: 5001, actionType: 'FileCreated', file: SEED_FILES.macCleaner,
      folder: '/Applications/MacCleanerPro.app/Contents/MacOS', size: 3_145_728, withSha256: true, by: SEED_PROCESSES.launchd,
    }),
  ],
  DeviceNetworkEvents: [
    networkEvent({
      machineId: M.win10, minutesAgo: 3046, actionType: 'ConnectionSuccess', remoteIp: SEED_NETWORK.c2Ip, remotePort: 443,
      remoteUrl: '', localIp: '10.20.14.37', localPort: 52114, by: SEED_PROCESSES.dropper,
    }),
    networkEvent({
      machineId: M.win10, minutesAgo: 2820, actionType: 'ConnectionSuccess', remoteIp: SEED_NETWORK.c2Ip, remotePort: 443,
      remoteUrl: '', localIp: '10.20.14.37', localPort: 53390, by: SEED_PROCESSES.dropper,
    }),
    networkEvent({
      machineId: M.win11, minutesAgo: 1561, actionType: 'ConnectionSuccess', remoteIp: SEED_NETWORK.c2Ip, remotePort: 80,
      remoteUrl: SEED_NETWORK.payloadDomain, localIp: '192.168.1.54', localPort: 61022, by: SEED_PROCESSES.cradle,
    }),
    networkEvent({
      machineId: M.win11, minutesAgo: 1560.5, actionType: 'ConnectionSuccess', remoteIp: SEED_NETWORK.payloadSubdomainIp,
      remotePort: 443, remoteUrl: SEED_NETWORK.payloadSubdomain, localIp: '192.168.1.54', localPort: 61030, by: SEED_PROCESSES.cradle,
    }),
    networkEvent({
      machineId: M.win11, minutesAgo: 1150, actionType: 'ConnectionFailed', remoteIp: SEED_NETWORK.c2Ip, remotePort: 80,
      remoteUrl: SEED_NETWORK.payloadDomain, localIp: '192.168.1.54', localPort: 61877, by: SEED_PROCESSES.cradle,
    }),
    networkEvent({
      machineId: M.server2022, minutesAgo: 6005, actionType: 'ConnectionSuccess', remoteIp: SEED_NETWORK.benignIp, remotePort: 443,
      remoteUrl: SEED_NETWORK.benignDomain, localIp: '10.20.2.21', localPort: 49822, by: SEED_PROCESSES.edge,
    }),
    networkEvent({
      machineId: M.server2022, minutesAgo: 4200, actionType: 'InboundConnectionAccepted', remoteIp: SEED_NETWORK.webShellClientIpv6,
      remotePort: 51544, remoteUrl: '', localIp: '2001:db8:4a2f:10::21', localPort: 443, by: SEED_PROCESSES.w3wp,
    }),
    networkEvent({
      machineId: M.server2022, minutesAgo: 600, actionType: 'InboundConnectionAccepted', remoteIp: SEED_NETWORK.webShellClientIpv6,
      remotePort: 51980, remoteUrl: '', localIp: '2001:db8:4a2f:10::21', localPort: 443, by: SEED_PROCESSES.w3wp,
    }),
    networkEvent({
      machineId: M.linux, minutesAgo: 715, actionType: 'ConnectionSuccess', remoteIp: SEED_NETWORK.miningPoolIp, remotePort: 3333,
      remoteUrl: SEED_NETWORK.miningPoolDomain, localIp: '10.20.3.40', localPort: 40122, by: SEED_PROCESSES.xmrig,
    }),
    networkEvent({
      machineId: M.macos, minutesAgo: 4998, actionType: 'ConnectionSuccess', remoteIp: '203.0.113.99', remotePort: 443,
      remoteUrl: 'telemetry.maccleanerpro.example', localIp: '192.168.7.23', localPort: 50331, by: SEED_PROCESSES.macCleaner,
    }),
  ],
  DeviceNetworkInfo: [
    ...networkInfoRows(M.win10, 30),
    ...networkInfoRows(M.win11, 1190),
    ...networkInfoRows(M.server2019, 15),
    ...networkInfoRows(M.server2022, 20),
    ...networkInfoRows(M.linux, 45),
    ...networkInfoRows(M.macos, 60),
  ],
  DeviceProcessEvents: [
    deviceEvent('DeviceProcessEvents', M.win10, 3048, 'ProcessCreated', {
      FileName: SEED_FILES.emotetDropper.fileName,
      FolderPath: `C:\\Users\\jdoe\\Downloads\\${SEED_FILES.emotetDropper.fileName}`,
      SHA1: SEED_FILES.emotetDropper.sha1,
      SHA256: SEED_FILES.emotetDropper.sha256,
      MD5: SEED_FILES.emotetDropper.md5,
      FileSize: 284_672,
      ProcessId: 7412,
      ProcessCommandLine: '"invoice_2026_11.pdf.exe"',
      ProcessIntegrityLevel: 'Medium',
      ProcessTokenElevation: 'TokenElevationTypeLimited',
      ProcessCreationTime: ago(3048),
      AccountDomain: 'contosodemo',
      AccountName: 'jdoe',
      AccountSid: SEED_USERS.jdoe.sid,
      AccountUpn: SEED_USERS.jdoe.upn,
      ReportId: 8801,
      InitiatingProcessFileName: 'OUTLOOK.EXE',
      InitiatingProcessId: 5120,
    }),
  ],
  DeviceRegistryEvents: [
    // The dropper's persistence: a Run value pointing at its second copy.
    deviceEvent('DeviceRegistryEvents', M.win10, 3046.5, 'RegistryValueSet', {
      RegistryKey: SEED_REGISTRY.runKey,
      RegistryValueType: 'String',
      RegistryValueName: 'OneDriveSync',
      RegistryValueData: 'C:\\Users\\jdoe\\AppData\\Roaming\\OneDriveSync\\OneDriveSync.exe',
      ReportId: 8811,
      ...initiatorColumns(SEED_PROCESSES.dropper),
    }),
    // Same hive, a neighbouring key: never a match for the Run key.
    deviceEvent('DeviceRegistryEvents', M.win10, 3046.4, 'RegistryValueSet', {
      RegistryKey: `${SEED_REGISTRY.runKey}Once`,
      RegistryValueType: 'String',
      RegistryValueName: 'Cleanup',
      RegistryValueData: 'cmd /c del %TEMP%\\*.tmp',
      ReportId: 8812,
      ...initiatorColumns(SEED_PROCESSES.dropper),
    }),
  ],
  DeviceLogonEvents: [
    deviceEvent('DeviceLogonEvents', M.win10, 3200, 'LogonSuccess', {
      LogonType: 'Interactive',
      AccountDomain: 'contosodemo',
      AccountName: 'jdoe',
      AccountSid: SEED_USERS.jdoe.sid,
      Protocol: 'Negotiate',
      IsLocalAdmin: false,
      LogonId: 998877,
      ReportId: 8821,
    }),
  ],
};

export const OTHER_HUNTING: Record<HuntingTableName, HuntingRow[]> = {
  DeviceFileEvents: [
    fileEvent({
      machineId: OTHER_MACHINE_ID, minutesAgo: 407, actionType: 'FileCreated', file: SEED_FILES.otherLoader,
      folder: 'C:\\Users\\labuser\\Desktop', size: 96_256, withSha256: true, by: SEED_PROCESSES.otherLoader,
    }),
  ],
  DeviceNetworkEvents: [
    networkEvent({
      machineId: OTHER_MACHINE_ID, minutesAgo: 405, actionType: 'ConnectionSuccess', remoteIp: SEED_NETWORK.c2Ip, remotePort: 443,
      remoteUrl: '', localIp: '172.16.4.20', localPort: 55001, by: SEED_PROCESSES.otherLoader,
    }),
  ],
  DeviceNetworkInfo: networkInfoRows(OTHER_MACHINE_ID, 25),
  DeviceProcessEvents: [],
  DeviceRegistryEvents: [],
  DeviceLogonEvents: [],
};

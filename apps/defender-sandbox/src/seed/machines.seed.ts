import { Machine } from '../model/entities';
import { ago } from './seed.builders';
import { DEMO_FLEET_IDS, DEMO_MACHINE_IDS, OTHER_MACHINE_ID, REAL_PAYLOADS } from './seed.constants';

const DAY = 24 * 60;

/** Network adapters per machine; shared by the Machine entity and DeviceNetworkInfo rows. */
export interface SeedAdapter {
  name: string;
  type: 'Ethernet' | 'Wireless80211';
  status: 'Up' | 'Down';
  mac: string;
  vendor: string;
  ipv4: string;
  prefix: number;
  /** Address before the latest DHCP lease; an older DeviceNetworkInfo row carries it. */
  previousIpv4?: string;
  ipv6: string[];
  gateway: string;
  dns: string[];
  network: { name: string; category: 'Domain' | 'Private' | 'Public' };
}

export const SEED_ADAPTERS: Record<string, SeedAdapter[]> = {
  [DEMO_MACHINE_IDS.win10]: [
    {
      name: 'Intel(R) Ethernet Connection (16) I219-LM',
      type: 'Ethernet',
      status: 'Up',
      mac: '3C7C3FA1B2C4',
      vendor: 'Intel Corporation',
      ipv4: '10.20.14.37',
      prefix: 24,
      previousIpv4: '10.20.14.35',
      ipv6: ['fe80::8d4c:2b1e:4f6a:91c3'],
      gateway: '10.20.14.1',
      dns: ['10.20.0.10', '10.20.0.11'],
      network: { name: 'corp.contosodemo.example', category: 'Domain' },
    },
    {
      name: 'Intel(R) Wi-Fi 6E AX211 160MHz',
      type: 'Wireless80211',
      status: 'Down',
      mac: 'F4A4754C9D10',
      vendor: 'Intel Corporation',
      ipv4: '169.254.12.7',
      prefix: 16,
      ipv6: [],
      gateway: '',
      dns: [],
      network: { name: 'Contoso-Guest', category: 'Public' },
    },
  ],
  [DEMO_MACHINE_IDS.win11]: [
    {
      name: 'Intel(R) Wi-Fi 6E AX211 160MHz',
      type: 'Wireless80211',
      status: 'Up',
      mac: 'A0B3CCE4F901',
      vendor: 'Intel Corporation',
      ipv4: '192.168.1.54',
      prefix: 24,
      ipv6: ['fe80::1c2d:7aa1:9b3e:5d10'],
      gateway: '192.168.1.1',
      dns: ['192.168.1.1'],
      network: { name: 'HOME-5G', category: 'Private' },
    },
    {
      name: 'Realtek USB GbE Family Controller',
      type: 'Ethernet',
      status: 'Up',
      mac: '00E04C68A2F3',
      vendor: 'Realtek Semiconductor Corp.',
      ipv4: '10.20.30.18',
      prefix: 24,
      ipv6: [],
      gateway: '10.20.30.1',
      dns: ['10.20.0.10'],
      network: { name: 'corp.contosodemo.example', category: 'Domain' },
    },
  ],
  [DEMO_MACHINE_IDS.server2019]: [
    {
      name: 'vmxnet3 Ethernet Adapter',
      type: 'Ethernet',
      status: 'Up',
      mac: '005056A1C3D2',
      vendor: 'VMware, Inc.',
      ipv4: '10.20.1.15',
      prefix: 24,
      ipv6: [],
      gateway: '10.20.1.1',
      dns: ['10.20.0.10', '10.20.0.11'],
      network: { name: 'corp.contosodemo.example', category: 'Domain' },
    },
  ],
  [DEMO_MACHINE_IDS.server2022]: [
    {
      name: 'Microsoft Hyper-V Network Adapter',
      type: 'Ethernet',
      status: 'Up',
      mac: '00155D0A1B2C',
      vendor: 'Microsoft Corporation',
      ipv4: '10.20.2.21',
      prefix: 24,
      ipv6: ['2001:db8:4a2f:10::21', 'fe80::215:5dff:fe0a:1b2c'],
      gateway: '10.20.2.1',
      dns: ['10.20.0.10'],
      network: { name: 'dmz.contosodemo.example', category: 'Domain' },
    },
  ],
  [DEMO_MACHINE_IDS.linux]: [
    {
      name: 'eth0',
      type: 'Ethernet',
      status: 'Up',
      mac: '525400A8C1E7',
      vendor: '',
      ipv4: '10.20.3.40',
      prefix: 24,
      ipv6: ['fe80::5054:ff:fea8:c1e7'],
      gateway: '10.20.3.1',
      dns: ['10.20.0.10'],
      network: { name: 'build', category: 'Private' },
    },
  ],
  [DEMO_MACHINE_IDS.macos]: [
    {
      name: 'en0',
      type: 'Wireless80211',
      status: 'Up',
      mac: 'ACDE48001122',
      vendor: 'Apple Inc.',
      ipv4: '192.168.7.23',
      prefix: 24,
      ipv6: [],
      gateway: '192.168.7.1',
      dns: ['192.168.7.1'],
      network: { name: 'Studio-WiFi', category: 'Private' },
    },
  ],
  [OTHER_MACHINE_ID]: [
    {
      name: 'Intel(R) Ethernet Controller I225-V',
      type: 'Ethernet',
      status: 'Up',
      mac: '04D9F5A1B2C3',
      vendor: 'Intel Corporation',
      ipv4: '172.16.4.20',
      prefix: 22,
      ipv6: [],
      gateway: '172.16.4.1',
      dns: ['172.16.0.2'],
      network: { name: 'fabrikam.lab', category: 'Domain' },
    },
  ],
};

function ipAddresses(id: string): Machine['ipAddresses'] {
  return (SEED_ADAPTERS[id] ?? []).flatMap((a) =>
    [a.ipv4, ...a.ipv6].map((ipAddress) => ({ ipAddress, macAddress: a.mac, type: a.type, operationalStatus: a.status })),
  );
}

interface MachineInput {
  id: string;
  computerDnsName: string;
  osPlatform: string;
  osProcessor?: string;
  version: string;
  osBuild: number | null;
  firstSeenDaysAgo: number;
  lastSeenMinutesAgo: number;
  lastExternalIpAddress: string;
  riskScore: string;
  exposureLevel: string;
  deviceValue?: Machine['deviceValue'];
  rbacGroupId: number;
  rbacGroupName: string;
  isAadJoined: boolean;
  aadDeviceId: string | null;
  machineTags?: string[];
  healthStatus?: string;
}

function machine(m: MachineInput): Machine {
  const ips = ipAddresses(m.id);
  return {
    id: m.id,
    computerDnsName: m.computerDnsName,
    firstSeen: ago(m.firstSeenDaysAgo * DAY),
    lastSeen: ago(m.lastSeenMinutesAgo),
    osPlatform: m.osPlatform,
    osProcessor: m.osProcessor ?? 'x64',
    version: m.version,
    lastIpAddress: ips[0]?.ipAddress ?? '',
    lastExternalIpAddress: m.lastExternalIpAddress,
    osBuild: m.osBuild,
    healthStatus: m.healthStatus ?? 'Active',
    deviceValue: m.deviceValue ?? 'Normal',
    rbacGroupId: m.rbacGroupId,
    rbacGroupName: m.rbacGroupName,
    riskScore: m.riskScore,
    exposureLevel: m.exposureLevel,
    isAadJoined: m.isAadJoined,
    aadDeviceId: m.aadDeviceId,
    machineTags: m.machineTags ?? [],
    onboardingStatus: 'Onboarded',
    osArchitecture: '64-bit',
    ipAddresses: ips,
  };
}

export const DEMO_MACHINES: Machine[] = [
  machine({
    id: DEMO_MACHINE_IDS.win10,
    computerDnsName: 'fin-wks-017.corp.contosodemo.example',
    osPlatform: 'Windows10',
    version: '22H2',
    osBuild: 19045,
    firstSeenDaysAgo: 412,
    lastSeenMinutesAgo: 14,
    lastExternalIpAddress: '203.0.113.10',
    riskScore: 'High',
    exposureLevel: 'Medium',
    rbacGroupId: 210,
    rbacGroupName: 'Finance',
    isAadJoined: true,
    aadDeviceId: '7f18848b-d494-4151-a4c5-447e0c67ac5a',
    machineTags: ['Finance', 'VIP'],
  }),
  machine({
    id: DEMO_MACHINE_IDS.win11,
    computerDnsName: 'dev-lt-042.corp.contosodemo.example',
    osPlatform: 'Windows11',
    version: '23H2',
    osBuild: 22631,
    firstSeenDaysAgo: 188,
    lastSeenMinutesAgo: 1190,
    lastExternalIpAddress: '198.18.44.7',
    riskScore: 'High',
    exposureLevel: 'High',
    rbacGroupId: 220,
    rbacGroupName: 'Engineering',
    isAadJoined: true,
    aadDeviceId: 'd3ab9020-9765-4eaf-b0a2-010736006859',
    machineTags: ['Engineering'],
  }),
  machine({
    id: DEMO_MACHINE_IDS.server2019,
    computerDnsName: 'srv-file-01.corp.contosodemo.example',
    osPlatform: 'WindowsServer2019',
    version: '1809',
    osBuild: 17763,
    firstSeenDaysAgo: 1020,
    lastSeenMinutesAgo: 6,
    lastExternalIpAddress: '203.0.113.10',
    riskScore: 'Medium',
    exposureLevel: 'Medium',
    deviceValue: 'High',
    rbacGroupId: 230,
    rbacGroupName: 'Servers',
    isAadJoined: false,
    aadDeviceId: null,
    machineTags: ['Tier1'],
  }),
  machine({
    id: DEMO_MACHINE_IDS.server2022,
    computerDnsName: 'srv-web-02.dmz.contosodemo.example',
    osPlatform: 'WindowsServer2022',
    version: '21H2',
    osBuild: 20348,
    firstSeenDaysAgo: 305,
    lastSeenMinutesAgo: 3,
    lastExternalIpAddress: '203.0.113.21',
    riskScore: 'Medium',
    exposureLevel: 'High',
    deviceValue: 'High',
    rbacGroupId: 230,
    rbacGroupName: 'Servers',
    isAadJoined: false,
    aadDeviceId: null,
    machineTags: ['DMZ', 'IIS'],
  }),
  machine({
    id: DEMO_MACHINE_IDS.linux,
    computerDnsName: 'lnx-build-03.corp.contosodemo.example',
    osPlatform: 'Linux',
    version: '22.04',
    osBuild: null,
    firstSeenDaysAgo: 97,
    lastSeenMinutesAgo: 22,
    lastExternalIpAddress: '203.0.113.10',
    riskScore: 'Medium',
    exposureLevel: 'Low',
    rbacGroupId: 220,
    rbacGroupName: 'Engineering',
    isAadJoined: false,
    aadDeviceId: null,
    machineTags: ['CI', REAL_PAYLOADS.deviceSpelledTag],
  }),
  machine({
    id: DEMO_MACHINE_IDS.macos,
    computerDnsName: 'mac-design-07.corp.contosodemo.example',
    osPlatform: 'macOS',
    osProcessor: 'arm64',
    version: '14.6',
    osBuild: null,
    firstSeenDaysAgo: 143,
    lastSeenMinutesAgo: 41,
    lastExternalIpAddress: '198.18.9.77',
    riskScore: 'Low',
    exposureLevel: 'Low',
    rbacGroupId: 240,
    rbacGroupName: 'Design',
    isAadJoined: true,
    aadDeviceId: 'c0954383-08a4-4ad1-b626-694e9cbca22a',
  }),
];

export const OTHER_MACHINES: Machine[] = [
  machine({
    id: OTHER_MACHINE_ID,
    computerDnsName: 'fab-wks-001.fabrikam.lab',
    osPlatform: 'Windows11',
    version: '24H2',
    osBuild: 26100,
    firstSeenDaysAgo: 60,
    lastSeenMinutesAgo: 30,
    lastExternalIpAddress: '198.18.120.5',
    riskScore: 'Medium',
    exposureLevel: 'Medium',
    rbacGroupId: 10,
    rbacGroupName: 'Lab',
    isAadJoined: true,
    aadDeviceId: '41a8e436-49b2-4a44-bd59-6781ff4ba4a0',
  }),
];

/** The demo tenant's other devices (see DEMO_FLEET_IDS): every health state the posture tile counts. */
export const DEMO_FLEET: Machine[] = [
  machine({
    id: DEMO_FLEET_IDS.hrWorkstation,
    computerDnsName: 'hr-wks-031.corp.contosodemo.example',
    osPlatform: 'Windows11',
    version: '23H2',
    osBuild: 22631,
    firstSeenDaysAgo: 220,
    lastSeenMinutesAgo: 4,
    lastExternalIpAddress: '203.0.113.10',
    riskScore: 'High',
    exposureLevel: 'Medium',
    rbacGroupId: 230,
    rbacGroupName: 'HR',
    isAadJoined: true,
    aadDeviceId: '5b0c8f2e-6a1d-4c3b-9e7f-2d4a6b8c0e13',
  }),
  machine({
    id: DEMO_FLEET_IDS.sqlServer,
    computerDnsName: 'srv-sql-04.corp.contosodemo.example',
    osPlatform: 'WindowsServer2022',
    version: '21H2',
    osBuild: 20348,
    firstSeenDaysAgo: 700,
    lastSeenMinutesAgo: 2,
    lastExternalIpAddress: '203.0.113.11',
    riskScore: 'Medium',
    exposureLevel: 'High',
    deviceValue: 'High',
    rbacGroupId: 240,
    rbacGroupName: 'Servers',
    isAadJoined: false,
    aadDeviceId: null,
  }),
  machine({
    id: DEMO_FLEET_IDS.posTerminal,
    computerDnsName: 'pos-store-07.retail.contosodemo.example',
    osPlatform: 'Windows10',
    version: '21H2',
    osBuild: 19044,
    firstSeenDaysAgo: 900,
    lastSeenMinutesAgo: 95,
    lastExternalIpAddress: '198.51.100.140',
    riskScore: 'Medium',
    exposureLevel: 'Low',
    rbacGroupId: 250,
    rbacGroupName: 'Retail',
    isAadJoined: false,
    aadDeviceId: null,
    healthStatus: 'ImpairedCommunication',
  }),
  machine({
    id: DEMO_FLEET_IDS.labVm,
    computerDnsName: 'lab-vm-12.lab.contosodemo.example',
    osPlatform: 'Windows11',
    version: '24H2',
    osBuild: 26100,
    firstSeenDaysAgo: 35,
    lastSeenMinutesAgo: 180,
    lastExternalIpAddress: '203.0.113.12',
    riskScore: 'None',
    exposureLevel: 'High',
    rbacGroupId: 260,
    rbacGroupName: 'Lab',
    isAadJoined: false,
    aadDeviceId: null,
    healthStatus: 'NoSensorData',
  }),
  machine({
    id: DEMO_FLEET_IDS.kiosk,
    computerDnsName: 'kiosk-lobby-01.corp.contosodemo.example',
    osPlatform: 'Windows10',
    version: '22H2',
    osBuild: 19045,
    firstSeenDaysAgo: 500,
    lastSeenMinutesAgo: 43_800,
    lastExternalIpAddress: '203.0.113.10',
    riskScore: 'Low',
    exposureLevel: 'Medium',
    rbacGroupId: 210,
    rbacGroupName: 'Facilities',
    isAadJoined: false,
    aadDeviceId: null,
    healthStatus: 'Inactive',
  }),
  {
    ...machine({
      id: DEMO_FLEET_IDS.printer,
      computerDnsName: 'printer-3f.corp.contosodemo.example',
      osPlatform: 'Windows10',
      version: '',
      osBuild: null,
      firstSeenDaysAgo: 90,
      lastSeenMinutesAgo: 600,
      lastExternalIpAddress: '',
      riskScore: 'None',
      exposureLevel: 'None',
      rbacGroupId: 0,
      rbacGroupName: 'Unassigned',
      isAadJoined: false,
      aadDeviceId: null,
      healthStatus: 'Unknown',
    }),
    onboardingStatus: 'CanBeOnboarded',
  },
];

/** A seed device by id; the inventory is the one source of its DNS name. */
export function findSeedMachine(machineId: string): Machine | undefined {
  return [...DEMO_MACHINES, ...OTHER_MACHINES, ...DEMO_FLEET].find((m) => m.id === machineId);
}

export function seedMachine(machineId: string): Machine {
  const machine = findSeedMachine(machineId);
  if (!machine) throw new Error(`unknown seed machine ${machineId}`);
  return machine;
}

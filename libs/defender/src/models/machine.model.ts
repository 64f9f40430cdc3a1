export type MachineHealthStatus =
  | 'Active'
  | 'Inactive'
  | 'ImpairedCommunication'
  | 'NoSensorData'
  | 'NoSensorDataImpairedCommunication'
  | 'Unknown';

export type MachineOnboardingStatus = 'Onboarded' | 'CanBeOnboarded' | 'Unsupported' | 'InsufficientInfo';

export interface MachineIpAddress {
  ipAddress?: string | null;
  /** 12 upper-case hex digits without separators, e.g. `8CEC4B897E73`. */
  macAddress?: string | null;
  operationalStatus?: string | null;
}

/** `GET /api/machines/{id}`. Profiles without `id` exist (the original relay's own fixture). */
export interface Machine {
  id?: string | null;
  computerDnsName?: string | null;
  firstSeen?: string | null;
  lastSeen?: string | null;
  osPlatform?: string | null;
  /** Deprecated by Defender in favour of `osArchitecture`. */
  osProcessor?: string | null;
  version?: string | null;
  lastIpAddress?: string | null;
  lastExternalIpAddress?: string | null;
  osBuild?: number | null;
  healthStatus?: MachineHealthStatus | string | null;
  deviceValue?: string | null;
  rbacGroupId?: number | null;
  rbacGroupName?: string | null;
  riskScore?: string | null;
  exposureLevel?: string | null;
  isAadJoined?: boolean | null;
  aadDeviceId?: string | null;
  machineTags?: string[] | null;
  onboardingStatus?: MachineOnboardingStatus | string | null;
  osArchitecture?: string | null;
  ipAddresses?: MachineIpAddress[] | null;
}

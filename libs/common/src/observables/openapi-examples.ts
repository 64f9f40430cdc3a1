// The demo tenant's values, as in observables.json. No imports: the demo script compiles this file on its own.
export const EXAMPLE_OBSERVABLES = [
  { type: 'ip', value: '198.51.100.23' },
  { type: 'domain', value: 'badcdn-delivery.example' },
  { type: 'sha256', value: '14ccd2eb3090980862108e13b519ad84f8b7832092002e8f2edf26f87cca6230' },
  { type: 'sha1', value: '4fb1cc732f4ef37e830af5cda20b3aadf133d1e2' },
];

/** fin-wks-017 by short name and id, the user who ran the dropper there, the payload URL dev-lt-042 reached. */
export const EXAMPLE_PIVOT_OBSERVABLES = [
  { type: 'hostname', value: 'fin-wks-017' },
  { type: 'ms_machine_id', value: '985ecec0d21c0c98890573e3a094474a2b6dbf6a' },
  { type: 'user', value: 'jdoe@contosodemo.example' },
  { type: 'url', value: 'http://badcdn-delivery.example/' },
];

export const EXAMPLE_MORE_OBSERVABLES = [
  { type: 'md5', value: 'ef89d496a2a4f16819ed667c16a9c42a' },
  { type: 'ipv6', value: '2001:db8:4a2f::25' },
  { type: 'file_name', value: 'invoice_2026_11.pdf.exe' },
  { type: 'file_path', value: 'C:\\Users\\jdoe\\Downloads\\invoice_2026_11.pdf.exe' },
  { type: 'process_name', value: 'OUTLOOK.EXE' },
  { type: 'registry_key', value: 'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' },
  { type: 'mac_address', value: '3C-7C-3F-A1-B2-C4' },
  { type: 'email', value: 'jdoe@contosodemo.onmicrosoft.com' },
];

export const EXAMPLE_SHA1 = '4fb1cc732f4ef37e830af5cda20b3aadf133d1e2';

/** fin-wks-017, the demo tenant's infected Windows 10 device. */
export const EXAMPLE_MACHINE_ID = '985ecec0d21c0c98890573e3a094474a2b6dbf6a';

/** The demo tenant's custom indicator on badcdn-delivery.example (what remove-indicator takes). */
export const EXAMPLE_INDICATOR_ID = '102';

export const EXAMPLE_TRIGGER = {
  'action-id': 'microsoft-defender-RunAntiVirusScanQuick',
  observable_type: 'ms_machine_id',
  observable_value: EXAMPLE_MACHINE_ID,
};

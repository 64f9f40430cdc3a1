import { FileProfile } from '../model/entities';
import { ago } from './seed.builders';
import { SEED_FILES, SeedFileHashes, SYSTEM_FILES } from './seed.constants';

const DAY = 24 * 60;

interface ProfileInput {
  file: SeedFileHashes;
  prevalence: number;
  firstSeenDaysAgo: number;
  size: number;
  isPe: boolean;
  determinationType: FileProfile['determinationType'];
  determinationValue?: string;
  publisher?: string;
  product?: string;
  signer?: string;
  issuer?: string;
  signerHash?: string;
}

function profile(p: ProfileInput): FileProfile {
  return {
    sha1: p.file.sha1,
    sha256: p.file.sha256,
    md5: p.file.md5,
    globalPrevalence: p.prevalence,
    globalFirstObserved: ago(p.firstSeenDaysAgo * DAY),
    globalLastObserved: ago(90),
    size: p.size,
    fileType: p.isPe ? 'PortableExecutable' : null,
    isPeFile: p.isPe,
    filePublisher: p.publisher ?? null,
    fileProductName: p.product ?? null,
    signer: p.signer ?? null,
    issuer: p.issuer ?? null,
    signerHash: p.signerHash ?? null,
    isValidCertificate: p.signer ? true : null,
    determinationType: p.determinationType,
    determinationValue: p.determinationValue ?? '',
  };
}

const microsoftSigned = (file: SeedFileHashes, size: number): FileProfile =>
  profile({
    file,
    prevalence: 1_000_000,
    firstSeenDaysAgo: 900,
    size,
    isPe: true,
    determinationType: 'Clean',
    publisher: 'Microsoft Corporation',
    product: 'Microsoft® Windows® Operating System',
    signer: 'Microsoft Windows',
    issuer: 'Microsoft Windows Production PCA 2011',
    signerHash: '9dc17888b5cfad98b3cb35c1994e96227f061675',
  });

export const DEMO_FILES: FileProfile[] = [
  profile({
    file: SEED_FILES.emotetDropper,
    prevalence: 37,
    firstSeenDaysAgo: 3,
    size: 284_672,
    isPe: true,
    determinationType: 'Malware',
    determinationValue: 'Trojan:Win32/Emotet.RPX!MTB',
  }),
  profile({ file: SEED_FILES.svcUpdater, prevalence: 4, firstSeenDaysAgo: 2, size: 118_784, isPe: true, determinationType: 'Unknown' }),
  profile({ file: SEED_FILES.webShell, prevalence: 1, firstSeenDaysAgo: 3, size: 2_214, isPe: false, determinationType: 'Unknown' }),
  profile({
    file: SEED_FILES.sevenZip,
    prevalence: 250_000,
    firstSeenDaysAgo: 480,
    size: 1_613_600,
    isPe: true,
    determinationType: 'Clean',
    publisher: 'Igor Pavlov',
    product: '7-Zip',
  }),
  profile({
    file: SEED_FILES.xmrig,
    prevalence: 5_200,
    firstSeenDaysAgo: 200,
    size: 8_454_136,
    isPe: false,
    determinationType: 'Pua',
    determinationValue: 'PUA:Linux/CoinMiner',
  }),
  profile({
    file: SEED_FILES.macCleaner,
    prevalence: 910,
    firstSeenDaysAgo: 75,
    size: 3_145_728,
    isPe: false,
    determinationType: 'Pua',
    determinationValue: 'PUA:MacOS/MacCleanerPro',
  }),
  profile({
    file: SEED_FILES.credDumper,
    prevalence: 80_000,
    firstSeenDaysAgo: 700,
    size: 424_856,
    isPe: true,
    determinationType: 'Clean',
    publisher: 'Sysinternals - www.sysinternals.com',
    product: 'ProcDump',
    signer: 'Microsoft Corporation',
    issuer: 'Microsoft Code Signing PCA 2011',
    signerHash: 'f252e794fe5d36c2b0c1d1ea6a4b1f2e0c3d4a5b',
  }),
  microsoftSigned(SYSTEM_FILES.powershell, 452_608),
  microsoftSigned(SYSTEM_FILES.explorer, 5_634_944),
  microsoftSigned(SYSTEM_FILES.sc, 71_168),
  microsoftSigned(SYSTEM_FILES.w3wp, 31_232),
  microsoftSigned(SYSTEM_FILES.services, 722_448),
  microsoftSigned(SYSTEM_FILES.outlook, 42_125_736),
  microsoftSigned(SYSTEM_FILES.msedge, 4_262_936),
];

export const OTHER_FILES: FileProfile[] = [
  profile({
    file: SEED_FILES.otherLoader,
    prevalence: 12,
    firstSeenDaysAgo: 1,
    size: 96_256,
    isPe: true,
    determinationType: 'Malware',
    determinationValue: 'Trojan:Win32/Bumblebee.A',
  }),
];

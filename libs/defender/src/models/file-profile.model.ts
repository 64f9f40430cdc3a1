/** `determinationType` values seen (list unconfirmed, kept open). */
export type FileDeterminationType = 'Unknown' | 'Pua' | 'Malware' | 'Clean';

/** `GET /api/files/{sha1|sha256|md5}`. `md5` and `sha256` may be missing for some files. */
export interface FileProfile {
  sha1?: string | null;
  sha256?: string | null;
  md5?: string | null;
  globalPrevalence?: number | null;
  globalFirstObserved?: string | null;
  globalLastObserved?: string | null;
  size?: number | null;
  fileType?: string | null;
  isPeFile?: boolean | null;
  filePublisher?: string | null;
  fileProductName?: string | null;
  signer?: string | null;
  issuer?: string | null;
  signerHash?: string | null;
  isValidCertificate?: boolean | null;
  determinationType?: FileDeterminationType | string | null;
  determinationValue?: string | null;
}

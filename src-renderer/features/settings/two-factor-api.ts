import {
  backupCodesSchema,
  twoFactorSetupSchema,
  twoFactorStatusSchema,
  type DisableTwoFactorInput,
} from '../../../shared/accounts/two-factor.ts';
import { api } from '../session/api.ts';

/** The two-factor endpoints of `/api/v1/auth/2fa`, each answer checked against its schema. */

export const getTwoFactorStatus = () => api.json('GET', '/auth/2fa', twoFactorStatusSchema);

export const startTwoFactorSetup = () => api.json('POST', '/auth/2fa/setup', twoFactorSetupSchema);

export const confirmTwoFactor = (code: string) =>
  api.json('POST', '/auth/2fa/confirm', backupCodesSchema, { code });

export const regenerateBackupCodes = (code: string) =>
  api.json('POST', '/auth/2fa/backup-codes/regenerate', backupCodesSchema, { code });

export const disableTwoFactor = (input: DisableTwoFactorInput) =>
  api.send('POST', '/auth/2fa/disable', input);

// The emulator's shared mutable context (identity side and Graph side both read it).
import type { Faults, RequestInfo } from './faults';
import type { SigningKey } from './jwt';
import type { AuthorizeBehaviour, DeviceCodeInfo, EmuState, EmuStats, EmuUser } from './types';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface AuthCodeInfo {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshInfo {
  userId: string;
  clientId: string;
  expiresAt: number;
  revoked: boolean;
}

export interface Ctx {
  state: EmuState;
  stats: EmuStats;
  faults: Faults;
  key: SigningKey;
  loginUrl: string;
  graphUrl: string;
  graphAudience: string;
  accessTokenLifetimeSec: number;
  deviceCodeIntervalSec: number;
  deviceCodeExpiresInSec: number;
  autoApprove?: { afterMs: number; as?: string };
  deviceCodes: Map<string, DeviceCodeInfo>;
  deviceCodeWaiters: Array<(d: DeviceCodeInfo) => void>;
  authCodes: Map<string, AuthCodeInfo>;
  refreshTokens: Map<string, RefreshInfo>;
  /** `${userId}|${clientId}|${resourceKey}` -> consented scope names (resourceKey 'graph' or the resource appId). */
  consents: Map<string, Set<string>>;
  authorize: AuthorizeBehaviour;
  /** The user the emulated browser / device approval signs in as. */
  currentUserId: string;
  findUser(idOrUpn: string): EmuUser | undefined;
  /** Whether an object is visible; `consume` counts a lagged look-up against a request-count lag. */
  isVisible(id: string, consume: boolean): boolean;
  /** Records a create (replication lag applies when a lag fault matches `r`). */
  markCreated(id: string, r: RequestInfo): void;
}

// Users, sessions and OAuth: the org id, the users the server created, their access and
// refresh tokens and the one connected app (client id / secret). Persisted as JSON.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { newAccessToken, newSfId, randomToken } from './ids.ts';
import { invalidSession, restError, type SfHttpError } from './http.ts';

/** What Salesforce answers a user without the "API Enabled" permission (REST: HTTP 403). */
export const API_DISABLED = {
  errorCode: 'API_CURRENTLY_DISABLED',
  message: 'API is disabled for this User'
} as const;

export const apiDisabled = (): SfHttpError =>
  restError(403, API_DISABLED.errorCode, API_DISABLED.message);

export interface OrgUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  profile: string;
  permissionSets: string[];
  /** scrypt `salt:hash` (hex) for the OAuth password grant; absent = no password login. */
  passwordHash?: string;
}

export interface Session {
  token: string;
  userId: string;
  issuedAt: number;
  lastUsedAt: number;
  /** Session ids minted by the server at start-up never expire while it runs. */
  pinned?: boolean;
}

export interface AuthState {
  orgId: string;
  orgName: string;
  users: OrgUser[];
  sessions: Session[];
  refreshTokens: { token: string; userId: string }[];
  oauth: { clientId: string; clientSecret: string; runAsUsername: string };
  revoked: string[];
}

export function newAuthState(orgName: string): AuthState {
  return {
    orgId: newSfId('00D'),
    orgName,
    users: [],
    sessions: [],
    refreshTokens: [],
    oauth: {
      clientId: `3MVG9${randomToken(80)}`,
      clientSecret: randomToken(64).toUpperCase(),
      runAsUsername: ''
    },
    revoked: []
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Auth {
  readonly state: AuthState;
  /** Inactivity timeout of a session (Salesforce's default is 2 hours). */
  sessionTimeoutMs: number;
  private readonly onChange: () => void;
  /**
   * Whether a user may call the APIs (REST, SOAP, Apex REST, Tooling, Metadata, Streaming):
   * the "API Enabled" permission of the profile or a permission set. Set by the org.
   */
  apiEnabled: (user: OrgUser) => boolean = () => true;

  constructor(state: AuthState, sessionTimeoutMs: number, onChange: () => void) {
    this.state = state;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.onChange = onChange;
  }

  userById(id: string): OrgUser | undefined {
    return this.state.users.find((u) => u.id === id);
  }

  userByUsername(username: string): OrgUser | undefined {
    const wanted = username.toLowerCase();
    return this.state.users.find((u) => u.username.toLowerCase() === wanted);
  }

  issueSession(userId: string, pinned = false): Session {
    const now = Date.now();
    const session: Session = {
      token: newAccessToken(this.state.orgId),
      userId,
      issuedAt: now,
      lastUsedAt: now
    };
    if (pinned) session.pinned = true;
    this.state.sessions.push(session);
    this.onChange();
    return session;
  }

  issueRefreshToken(userId: string): string {
    const token = `5Aep861${randomToken(80)}`;
    this.state.refreshTokens.push({ token, userId });
    this.onChange();
    return token;
  }

  /** The user behind an `Authorization: Bearer`/`OAuth` header, or 401 INVALID_SESSION_ID. */
  authenticate(authorization: string | undefined): { user: OrgUser; session: Session } {
    const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) throw invalidSession();
    return this.authenticateToken(m[1]!);
  }

  authenticateToken(token: string): { user: OrgUser; session: Session } {
    const session = this.state.sessions.find((s) => safeEqual(s.token, token));
    if (!session) throw invalidSession();
    const now = Date.now();
    if (!session.pinned && now - session.lastUsedAt > this.sessionTimeoutMs) {
      this.state.sessions = this.state.sessions.filter((s) => s !== session);
      this.onChange();
      throw invalidSession();
    }
    const user = this.userById(session.userId);
    if (!user) throw invalidSession();
    session.lastUsedAt = now;
    return { user, session };
  }

  refresh(refreshToken: string): { user: OrgUser; session: Session } | undefined {
    const entry = this.state.refreshTokens.find((r) => safeEqual(r.token, refreshToken));
    if (!entry) return undefined;
    const user = this.userById(entry.userId);
    if (!user) return undefined;
    return { user, session: this.issueSession(user.id) };
  }

  /**
   * Revokes an access token (that session only) or a refresh token (it and every session of
   * its user, as Salesforce does). Returns false when the token is unknown.
   */
  revoke(token: string): boolean {
    const session = this.state.sessions.find((s) => safeEqual(s.token, token));
    if (session) {
      this.state.sessions = this.state.sessions.filter((s) => s !== session);
      this.onChange();
      return true;
    }
    const refresh = this.state.refreshTokens.find((r) => safeEqual(r.token, token));
    if (refresh) {
      this.state.refreshTokens = this.state.refreshTokens.filter((r) => r !== refresh);
      this.state.sessions = this.state.sessions.filter((s) => s.userId !== refresh.userId);
      this.onChange();
      return true;
    }
    return false;
  }

  setPassword(user: OrgUser, password: string): void {
    const salt = randomBytes(16);
    user.passwordHash = `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
    this.onChange();
  }

  checkPassword(user: OrgUser, password: string): boolean {
    if (!user.passwordHash) return false;
    const [salt, hash] = user.passwordHash.split(':');
    const actual = scryptSync(password, Buffer.from(salt!, 'hex'), 32);
    return timingSafeEqual(actual, Buffer.from(hash!, 'hex'));
  }

  checkClient(clientId: string, clientSecret: string | undefined): 'ok' | 'bad-id' | 'bad-secret' {
    if (!safeEqual(clientId, this.state.oauth.clientId)) return 'bad-id';
    if (clientSecret === undefined || !safeEqual(clientSecret, this.state.oauth.clientSecret)) {
      return 'bad-secret';
    }
    return 'ok';
  }
}

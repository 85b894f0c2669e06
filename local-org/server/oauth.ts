// OAuth 2.0 endpoints: token (client_credentials, refresh_token, password), userinfo, the
// identity URL and revoke. Error bodies follow Salesforce's OAuth error shapes.
import type { Auth, OrgUser, Session } from './auth.ts';
import { SfHttpError, type Reply, type Request, type Router } from './http.ts';

export interface OAuthContext {
  auth: Auth;
  instanceUrl: () => string;
  apiVersion: string;
}

function oauthError(status: number, error: string, description: string): SfHttpError {
  return new SfHttpError(status, { error, error_description: description });
}

function formParams(req: Request): URLSearchParams {
  const params = new URLSearchParams(req.query);
  const type = String(req.headers['content-type'] ?? '');
  if (req.body.length > 0 && (type.includes('x-www-form-urlencoded') || type === '')) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
  }
  return params;
}

function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, i)),
    secret: decodeURIComponent(decoded.slice(i + 1))
  };
}

export function identityUrl(ctx: OAuthContext, user: OrgUser): string {
  return `${ctx.instanceUrl()}/id/${ctx.auth.state.orgId}/${user.id}`;
}

function tokenResponse(
  ctx: OAuthContext,
  user: OrgUser,
  session: Session,
  refreshToken?: string
): Reply {
  const body: Record<string, string> = {
    access_token: session.token,
    signature: Buffer.from(`${user.id}${session.issuedAt}`).toString('base64'),
    scope: 'api refresh_token full',
    instance_url: ctx.instanceUrl(),
    id: identityUrl(ctx, user),
    token_type: 'Bearer',
    issued_at: String(session.issuedAt)
  };
  if (refreshToken) body.refresh_token = refreshToken;
  return { status: 200, body };
}

export function userInfo(ctx: OAuthContext, user: OrgUser): Record<string, unknown> {
  const base = ctx.instanceUrl();
  const v = ctx.apiVersion;
  const orgId = ctx.auth.state.orgId;
  return {
    sub: identityUrl(ctx, user),
    user_id: user.id,
    organization_id: orgId,
    preferred_username: user.username,
    nickname: user.username.split('@')[0],
    name: `${user.firstName} ${user.lastName}`.trim(),
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: 'America/Los_Angeles',
    locale: 'en_US',
    language: 'en_US',
    active: true,
    user_type: 'STANDARD',
    utcOffset: -28800000,
    is_app_installed: true,
    urls: {
      enterprise: `${base}/services/Soap/c/{version}/${orgId.slice(0, 15)}`,
      metadata: `${base}/services/Soap/m/{version}/${orgId.slice(0, 15)}`,
      partner: `${base}/services/Soap/u/{version}/${orgId.slice(0, 15)}`,
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      search: `${base}/services/data/v{version}/search/`,
      query: `${base}/services/data/v{version}/query/`,
      tooling_rest: `${base}/services/data/v{version}/tooling/`,
      profile: `${base}/${user.id}`,
      custom_domain: base
    },
    // The identity service also names the user/org directly (used by some clients).
    username: user.username,
    display_name: `${user.firstName} ${user.lastName}`.trim(),
    id: identityUrl(ctx, user),
    asserted_user: true,
    api_version: v
  };
}

export function registerOAuth(router: Router, ctx: OAuthContext): void {
  router.add('POST', /^\/services\/oauth2\/token\/?$/, (req) => {
    const p = formParams(req);
    const basic = basicCredentials(req);
    const grant = p.get('grant_type');
    const clientId = p.get('client_id') ?? basic?.id;
    const clientSecret = p.get('client_secret') ?? basic?.secret;
    const { auth } = ctx;
    if (!grant) throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');

    if (grant === 'client_credentials') {
      if (!clientId) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
      const check = auth.checkClient(clientId, clientSecret);
      if (check === 'bad-id')
        throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
      if (check === 'bad-secret')
        throw oauthError(400, 'invalid_client', 'invalid client credentials');
      const user = auth.userByUsername(auth.state.oauth.runAsUsername);
      if (!user) {
        throw oauthError(400, 'invalid_grant', 'no client credentials user enabled');
      }
      return tokenResponse(ctx, user, auth.issueSession(user.id));
    }

    if (grant === 'refresh_token') {
      // The sf CLI's own connected app ("PlatformCLI") is a public client with no secret.
      if (!clientId) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
      if (clientId !== 'PlatformCLI') {
        const check = auth.checkClient(clientId, clientSecret);
        if (check === 'bad-id')
          throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
        if (check === 'bad-secret') {
          throw oauthError(400, 'invalid_client', 'invalid client credentials');
        }
      }
      const refreshed = auth.refresh(p.get('refresh_token') ?? '');
      if (!refreshed) throw oauthError(400, 'invalid_grant', 'expired access/refresh token');
      return tokenResponse(ctx, refreshed.user, refreshed.session);
    }

    if (grant === 'password') {
      if (!clientId) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
      const check = auth.checkClient(clientId, clientSecret);
      if (check === 'bad-id')
        throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
      if (check === 'bad-secret')
        throw oauthError(400, 'invalid_client', 'invalid client credentials');
      const user = auth.userByUsername(p.get('username') ?? '');
      if (!user || !auth.checkPassword(user, p.get('password') ?? '')) {
        throw oauthError(400, 'invalid_grant', 'authentication failure');
      }
      return tokenResponse(ctx, user, auth.issueSession(user.id));
    }

    throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  });

  const whoAmI = (req: Request): Reply => {
    let found;
    try {
      found = ctx.auth.authenticate(
        String(req.headers.authorization ?? '') ||
          (req.query.get('oauth_token') ? `Bearer ${req.query.get('oauth_token')}` : '')
      );
    } catch {
      // The identity service answers a bad token with 403 and a plain-text code.
      return { status: 403, raw: 'Bad_OAuth_Token', contentType: 'text/plain;charset=UTF-8' };
    }
    return { status: 200, body: userInfo(ctx, found.user) };
  };
  router.add(['GET', 'POST'], /^\/services\/oauth2\/userinfo\/?$/, whoAmI);
  router.add(
    ['GET', 'POST'],
    /^\/id\/(?<org>[A-Za-z0-9]{15,18})\/(?<user>[A-Za-z0-9]{15,18})\/?$/,
    whoAmI
  );

  router.add(['POST', 'GET'], /^\/services\/oauth2\/revoke\/?$/, (req) => {
    const token = formParams(req).get('token');
    if (!token || !ctx.auth.revoke(token)) {
      throw oauthError(400, 'unsupported_token_type', 'this token type is not supported');
    }
    return { status: 200 };
  });
}

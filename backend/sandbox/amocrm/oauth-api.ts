import type { AmoAccount } from './account';
import type { HttpExchange } from './http-exchange';
import { PLAIN_JSON } from './http-exchange';
import { isRecord } from './json-input';
import type { GrantKind } from './oauth-tokens';
import { httpProblem, oauthProblem } from './problems';
import { nowSeconds } from './sandbox-runtime';

/** `POST /<sub>/oauth2/access_token` and the consent-page emulation `GET /oauth`. */

const INVALID_GRANT =
  'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token ' +
  'is invalid, expired, revoked, does not match the redirection URI used in the authorization request, ' +
  'or was issued to another client.';
const MISSING_PARAMETER =
  'The request is missing a required parameter, includes an invalid parameter value, includes a parameter ' +
  'more than once, or is otherwise malformed.';

export async function handleTokenRequest(
  exchange: HttpExchange,
  account: AmoAccount,
  maxBodyBytes: number,
): Promise<void> {
  const body = await exchange.readPayload(maxBodyBytes);
  const params = isRecord(body) ? body : {};
  const grantType = typeof params.grant_type === 'string' ? params.grant_type : '';
  const grant: GrantKind =
    grantType === 'authorization_code' || grantType === 'refresh_token' ? grantType : 'other';
  try {
    const pair = exchangeGrant(account, params, grantType);
    account.countTokenCall(grant, false);
    exchange.sendJson(
      200,
      {
        token_type: 'Bearer',
        expires_in: pair.expiresIn,
        server_time: nowSeconds(),
        access_token: pair.accessToken,
        refresh_token: pair.refreshToken,
      },
      PLAIN_JSON,
    );
  } catch (error) {
    account.countTokenCall(grant, true);
    throw error;
  }
}

function text(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function exchangeGrant(
  account: AmoAccount,
  params: Record<string, unknown>,
  grantType: string,
): { accessToken: string; refreshToken: string; expiresIn: number } {
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw oauthProblem(
      400,
      'The authorization grant type is not supported by the authorization server.',
      'Check that all required parameters have been provided',
    );
  }
  const clientId = text(params, 'client_id');
  if (!clientId) throw oauthProblem(400, MISSING_PARAMETER, 'Check the `client_id` parameter');
  if (clientId !== account.clientId || text(params, 'client_secret') !== account.clientSecret) {
    throw oauthProblem(401, 'Client authentication failed');
  }
  if (grantType === 'authorization_code') {
    const code = text(params, 'code');
    if (!code) throw oauthProblem(400, MISSING_PARAMETER, 'Check the `code` parameter');
    const verdict = account.tokens.consumeCode(code, text(params, 'redirect_uri'));
    const hints: Record<Exclude<typeof verdict, 'ok'>, string> = {
      unknown: 'Cannot decrypt the authorization code',
      used: 'Authorization code has been revoked',
      expired: 'Authorization code has expired',
      'redirect-mismatch': 'Invalid redirect URI',
    };
    if (verdict !== 'ok') throw oauthProblem(400, INVALID_GRANT, hints[verdict]);
    return account.tokens.issuePair();
  }
  const refreshToken = text(params, 'refresh_token');
  if (!refreshToken) throw oauthProblem(400, MISSING_PARAMETER, 'Check the `refresh_token` parameter');
  const rotated = account.tokens.rotate(refreshToken);
  if (!rotated.ok) {
    const hints = {
      unknown: 'Cannot decrypt the refresh token',
      revoked: 'Token has been revoked',
      expired: 'Token has expired',
    };
    throw oauthProblem(401, 'The refresh token is invalid.', hints[rotated.reason]);
  }
  return rotated.pair;
}

/**
 * The consent page, already accepted: 302 to `redirect_uri?code=…&state=…&referer=<host>/<sub>`.
 * `mode=post_message|popup` is accepted and ignored (there is no browser window to talk to).
 */
export function handleConsent(exchange: HttpExchange, account: AmoAccount): void {
  const params = exchange.url.searchParams;
  const clientId = params.get('client_id');
  if (clientId !== account.clientId) throw httpProblem(400, 'Unknown client_id for this account');
  const redirectUri = params.get('redirect_uri') || account.redirectUri;
  if (!redirectUri)
    throw httpProblem(400, 'redirect_uri is required (none is registered for this integration)');
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    throw httpProblem(400, 'redirect_uri is not a valid URL');
  }
  const { code } = account.tokens.issueCode(redirectUri);
  target.searchParams.set('code', code);
  const state = params.get('state');
  if (state !== null) target.searchParams.set('state', state);
  target.searchParams.set('referer', `${account.publicHost}/${account.subdomain}`);
  target.searchParams.set('platform', '1');
  exchange.redirect(target.toString());
}

import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthorizedProblem } from './auth.problems';
import { AuthenticationGuard } from './authentication.guard';
import type { Principal } from './principal';
import type { PrincipalsService } from './principals.service';

const KEY = 'lpk_0123456789abcdefghijklmnop';
const PRINCIPAL: Principal = {
  kind: 'api_key',
  id: 'k1',
  workspaceId: 'w1',
  role: 'viewer',
  isSuperAdmin: false,
  label: 'API key «test»',
};

function contextOf(request: Record<string, unknown>): ExecutionContext {
  return {
    getHandler: () => () => undefined,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('AuthenticationGuard: an API key alone', () => {
  const passport = jest.spyOn(
    Object.getPrototypeOf(AuthenticationGuard.prototype) as { canActivate: () => unknown },
    'canActivate',
  );
  const forApiKey = jest.fn<Promise<Principal | null>, [string]>();
  const guard = new AuthenticationGuard(new Reflector(), { forApiKey } as unknown as PrincipalsService);
  beforeEach(() => {
    passport.mockReset().mockReturnValue(true);
    forApiKey.mockReset();
  });
  afterAll(() => passport.mockRestore());

  it('is checked by the principals service and set as the request user, passport left out', async () => {
    forApiKey.mockResolvedValue(PRINCIPAL);
    const request: Record<string, unknown> = { headers: { 'x-api-key': KEY } };
    expect(await guard.canActivate(contextOf(request))).toBe(true);
    expect([forApiKey.mock.calls, request.user, passport.mock.calls.length]).toEqual([[[KEY]], PRINCIPAL, 0]);
  });

  it('unknown or revoked: 401 invalid-api-key, as the strategy answers', async () => {
    forApiKey.mockResolvedValue(null);
    const refused = guard.canActivate(contextOf({ headers: { 'x-api-key': KEY } })) as Promise<boolean>;
    await expect(refused).rejects.toBeInstanceOf(UnauthorizedProblem);
    await expect(refused).rejects.toMatchObject({ response: { type: 'urn:problem-type:invalid-api-key' } });
  });

  it('an empty key, or a key with another Authorization header, still goes through passport', async () => {
    await guard.canActivate(contextOf({ headers: { 'x-api-key': '' } }));
    await guard.canActivate(contextOf({ headers: { 'x-api-key': KEY, authorization: 'Basic eDp5' } }));
    expect([passport.mock.calls.length, forApiKey.mock.calls.length]).toEqual([2, 0]);
  });
});

import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AuthService, type Session } from './auth.service';
import { CurrentPrincipal, RequestActor } from './current-principal.decorator';
import { ChangePasswordDto, LoginDto, RefreshDto } from './dto/login.dto';
import { SessionDto, UserDto } from './dto/user.dto';
import type { Actor, Principal } from './principal';
import { Public } from './public.decorator';
import { UsersOnly } from './roles.decorator';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with e-mail and password' })
  @ApiOkResponse({ type: SessionDto })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts: see Retry-After' })
  async login(@Body() body: LoginDto, @RequestActor() actor: Actor): Promise<SessionDto> {
    return sessionDto(await this.auth.login(body.email, body.password, actor.ip));
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair; a reused token closes the whole session',
  })
  @ApiOkResponse({ type: SessionDto })
  async refresh(@Body() body: RefreshDto, @RequestActor() actor: Actor): Promise<SessionDto> {
    return sessionDto(await this.auth.refresh(body.refreshToken, actor.ip));
  }

  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session of this refresh token' })
  @ApiNoContentResponse()
  async logout(@Body() body: RefreshDto, @RequestActor() actor: Actor): Promise<void> {
    await this.auth.logout(body.refreshToken, actor);
  }

  @UsersOnly()
  @Get('me')
  @ApiOperation({ summary: 'The logged-in user' })
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return UserDto.from(await this.auth.me(principal));
  }

  // Rule for changing a user (nobody changes what outranks them): this route only ever changes the caller's own
  // password, after checking the current one; other users' passwords go through PATCH /users/:id and its checks.
  @UsersOnly()
  @Post('password')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Change your own password; other sessions end, a new pair is returned' })
  @ApiOkResponse({ type: SessionDto })
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentPrincipal() principal: Principal,
    @RequestActor() actor: Actor,
  ): Promise<SessionDto> {
    return sessionDto(
      await this.auth.changeOwnPassword(principal, body.currentPassword, body.newPassword, actor.ip),
    );
  }
}

function sessionDto(session: Session): SessionDto {
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    expiresIn: session.expiresIn,
    user: UserDto.from(session.user),
  };
}

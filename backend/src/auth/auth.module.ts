import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config/app-config';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { JwtStrategy } from './jwt.strategy';
import { LoginThrottleService } from './login-throttle.service';
import { PasswordService } from './password.service';
import { PrincipalCacheService } from './principal-cache.service';
import { PrincipalsService } from './principals.service';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { RolesGuard } from './roles.guard';
import { TokensService, JWT_ALGORITHM } from './tokens.service';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { WorkspaceEntity } from './workspace.entity';
import { CurrentWorkspaceController, WorkspacesController } from './workspaces.controller';
import { WorkspacesRepository } from './workspaces.repository';
import { WorkspacesService } from './workspaces.service';

/** Users, workspaces, roles, tokens and API keys; authentication and roles are enforced globally. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WorkspaceEntity, UserEntity, RefreshTokenEntity, ApiKeyEntity]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: JWT_ALGORITHM },
        verifyOptions: { algorithms: [JWT_ALGORITHM] },
      }),
    }),
    AuditModule,
  ],
  controllers: [
    AuthController,
    UsersController,
    ApiKeysController,
    WorkspacesController,
    CurrentWorkspaceController,
  ],
  providers: [
    WorkspacesRepository,
    UsersRepository,
    RefreshTokensRepository,
    ApiKeysRepository,
    PasswordService,
    TokensService,
    LoginThrottleService,
    PrincipalCacheService,
    PrincipalsService,
    AuthService,
    UsersService,
    WorkspacesService,
    ApiKeysService,
    BootstrapAdminService,
    JwtStrategy,
    ApiKeyStrategy,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [BootstrapAdminService, WorkspacesRepository],
})
export class AuthModule {}

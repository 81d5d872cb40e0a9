import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'auth:isPublic';
/** OpenAPI marker read when the document is built: operations without it require authentication. */
export const OPENAPI_PUBLIC_EXTENSION = 'x-public';

/** Opts a controller or route out of authentication (health, webhooks, login, refresh, OAuth callbacks). */
export const Public = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(OPENAPI_PUBLIC_EXTENSION, true));

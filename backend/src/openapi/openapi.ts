import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { OPENAPI_PUBLIC_EXTENSION } from '../auth/public.decorator';

export const API_KEY_HEADER = 'X-Api-Key';

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:problem-type:validation-error' },
    title: { type: 'string', example: 'Validation failed' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'The request has invalid fields: see errors.' },
    instance: { type: 'string', example: '/api/v1/contacts' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string', example: 'phone' }, message: { type: 'string' } },
      },
    },
  },
};

const PROBLEM_RESPONSE = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

type Operation = {
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
} & Record<string, unknown>;

/** Builds the OpenAPI document; each operation gets the problem+json error responses that can really happen. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('amoCRM ⇄ LPTracker integration API')
    .setDescription(
      'REST API for client apps and the admin console. Errors are application/problem+json. ' +
        'Authenticate with `Authorization: Bearer <access token>` or `X-Api-Key: <key>`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
  };
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(pathItem)) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      describeErrors(path, method, value as Operation);
    }
  }
  return document;
}

function describeErrors(path: string, method: string, operation: Operation): void {
  const add = (status: string, description: string): void => {
    operation.responses[status] ??= PROBLEM_RESPONSE(description);
  };
  const isPublic = operation[OPENAPI_PUBLIC_EXTENSION] === true;
  delete operation[OPENAPI_PUBLIC_EXTENSION];
  if (!isPublic) {
    operation.security = [{ bearer: [] }, { apiKey: [] }];
    add('401', 'Not authenticated: missing, expired or revoked token or API key');
    add('403', 'Authenticated, but the role does not allow this');
  }
  if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) {
    add('400', 'Invalid input: `errors` lists each field and the reason');
  }
  if (path.includes('{')) add('404', 'Not found (also for objects of another workspace)');
  if (operation.requestBody && ['post', 'put', 'patch'].includes(method))
    add('413', 'Request body too large');
  add('500', 'Unexpected server error (quote requestId when reporting it)');
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'Integration API',
  });
}

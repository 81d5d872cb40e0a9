import { Catch, PayloadTooLargeException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { sendProblem } from '../http/send-problem';
import { ImportTooLarge } from './imports.problems';

/** multer stops an upload over IMPORT_MAX_MB with a bare 413; answer it as a problem naming the limit. */
@Catch(PayloadTooLargeException)
export class UploadLimitFilter implements ExceptionFilter {
  constructor(private readonly config: AppConfig) {}

  catch(_exception: PayloadTooLargeException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const problem = new ImportTooLarge(this.config.importMaxMb).problem;
    sendProblem(http.getRequest<Request>(), http.getResponse<Response>(), problem);
  }
}

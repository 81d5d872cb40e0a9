import { HttpStatus } from '@nestjs/common';
import { ConflictProblem, ProblemException } from '../http/problem';

/** An upload refused for what the file is (type, damage, zip bomb, missing sheet): 400 naming the field. */
export class ImportFileRefused extends ProblemException {
  constructor(field: 'file' | 'sheet', code: string, message: string) {
    super(HttpStatus.BAD_REQUEST, {
      type: 'import-file-refused',
      title: 'The file cannot be imported',
      detail: message,
      errors: [{ field, code, message }],
    });
  }
}

/** The upload is larger than IMPORT_MAX_MB (413). */
export class ImportTooLarge extends ProblemException {
  constructor(maxMb: number) {
    super(HttpStatus.PAYLOAD_TOO_LARGE, {
      type: 'import-too-large',
      detail: `The file is larger than ${maxMb} MB, the most an import takes (IMPORT_MAX_MB).`,
      errors: [{ field: 'file', code: 'maxSize', message: `file must be at most ${maxMb} MB` }],
    });
  }
}

/** The import has moved past the step the request belongs to (e.g. a new mapping while it runs). */
export class ImportStateConflict extends ConflictProblem {
  constructor(status: string) {
    super(
      `The import is ${status}: its file, sheet and mapping can be changed only while it is uploaded.`,
      'import-state',
    );
  }
}

/**
 * A mapping names amoCRM custom fields while amoCRM is not connected (409, not the client's 503 for amoCRM itself):
 * the admin connects amoCRM first, then maps the columns. Each such column is named in `errors`.
 */
export class ImportTargetNotConnected extends ProblemException {
  constructor(columns: readonly string[]) {
    const named = columns.map((column) => `«${column}»`).join(', ');
    super(HttpStatus.CONFLICT, {
      type: 'import-target-not-connected',
      title: 'amoCRM is not connected',
      detail: `Connect amoCRM first (Connections), then map the columns to its fields: ${named}.`,
      errors: columns.map((column) => ({
        field: `columns.${column}`,
        code: 'amocrmNotConnected',
        message: `columns.${column}: amoCRM is not connected, so its fields cannot be checked: connect amoCRM first`,
      })),
    });
  }
}

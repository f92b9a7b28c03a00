import { ConflictError } from '../../platform/errors';

/** A change that would leave a firm without an active admin (demotion or deactivation of the last one). */
export class LastAdminError extends ConflictError {
  constructor(cause?: unknown) {
    super('A firm must keep at least one active admin: make another user an admin first.', cause);
  }
}

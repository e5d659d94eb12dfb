import { ArgusError } from '../errors.ts';

/** A list name that no list file defines (the HTTP layer answers 404). */
export class UnknownListError extends ArgusError {
  constructor(readonly list: string) {
    super(`unknown list ${JSON.stringify(list)}`, { code: 'LIST_NOT_FOUND' });
  }
}

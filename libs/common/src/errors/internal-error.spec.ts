import { internalError } from './internal-error';

describe('internalError', () => {
  it('logs the error with its stack under the id the user sees, and tells the user only the id', () => {
    const logger = { error: jest.fn() };
    const cause = new Error('secret=hunter2 went wrong');
    const body = internalError(cause, logger);
    const [id] = /error id ([0-9a-f-]{36})\)$/.exec(body.message)?.slice(1) ?? [];

    expect(body).toEqual({ type: 'fatal', code: 'internal error', message: `Internal error in the relay (error id ${id})` });
    expect(logger.error).toHaveBeenCalledWith({ errorId: id, err: cause }, `Unhandled error ${id}`);
    expect(body.message).not.toContain('hunter2');
  });

  it('gives every error its own id', () => {
    const logger = { error: jest.fn() };
    expect(internalError(new Error('a'), logger).message).not.toBe(internalError(new Error('a'), logger).message);
  });
});

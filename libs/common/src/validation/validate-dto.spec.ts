import { RelayError } from '../errors';
import { ObservableDto } from '../observables/observable.dto';
import { validateDto } from './validate-dto';

describe('validateDto', () => {
  const dto = (fields: Record<string, unknown>) => Object.assign(new ObservableDto(), fields);
  const rejection = (run: () => unknown): RelayError => {
    try {
      run();
    } catch (error) {
      return error as RelayError;
    }
    throw new Error('expected a rejection');
  };

  it('returns a valid DTO as it is', () => {
    const valid = dto({ type: 'sha1', value: 'x' });
    expect(validateDto(valid)).toBe(valid);
  });

  it('rejects with the first broken constraint as invalid payload, after where when given', () => {
    const error = rejection(() => validateDto(dto({ type: 7, value: '' }), 'item 2'));
    expect(error).toBeInstanceOf(RelayError);
    expect(error.toBody()).toEqual({ type: 'fatal', code: 'invalid payload', message: "Invalid JSON payload received: item 2: 'type' must be a non-empty string" });
    expect(rejection(() => validateDto(dto({ type: 'ip' }))).message).toBe("Invalid JSON payload received: 'value' must be a non-empty string");
  });
});

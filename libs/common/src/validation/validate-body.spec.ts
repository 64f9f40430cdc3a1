import { IsIn, IsString } from 'class-validator';
import { RelayError } from '../errors';
import { bodyObject, failsAs, validateBody } from './validate-body';

class ColourDto {
  @IsIn(['red', 'blue'], { message: 'no such colour', context: failsAs('not found') })
  @IsString({ message: "'colour' must be a string" })
  colour!: unknown;
}

const colour = (value: unknown) => Object.assign(new ColourDto(), { colour: value });
const body = (run: () => unknown) => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as RelayError).toBody();
  }
};

describe('validateBody', () => {
  it('returns a valid DTO as it is', () => {
    const dto = colour('red');
    expect(validateBody(dto)).toBe(dto);
  });

  it('makes the first failure an invalid payload, naming where it is', () => {
    expect(body(() => validateBody(colour(3), 'item 2: '))).toEqual({ type: 'fatal', code: 'invalid payload', message: "Invalid JSON payload received: item 2: 'colour' must be a string" });
  });

  it('gives a constraint marked with failsAs its own code and message', () => {
    expect(body(() => validateBody(colour('green')))).toEqual({ type: 'fatal', code: 'not found', message: 'no such colour' });
  });

  it('bodyObject refuses anything but an object', () => {
    for (const value of [null, [], 'x', 3, undefined]) expect(body(() => bodyObject(value, 'an object'))?.message).toBe('Invalid JSON payload received: expected an object');
    expect(bodyObject({ a: 1 }, 'an object')).toEqual({ a: 1 });
  });
});

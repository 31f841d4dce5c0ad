import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { validateBody } from './validation.js';

class Line {
  @IsInt() @Min(1) quantity: number;
}

class Body {
  @IsString() @MinLength(1) @MaxLength(100) @Matches(/^[^\u0000]*$/) reason: string;
  @IsOptional() @IsString() @MaxLength(10) note?: string;
  @ValidateNested({ each: true }) @Type(() => Line) lines: Line[];
}

const details = async (body: unknown) => {
  try {
    await validateBody(Body, body);
  } catch (e) {
    return (e as { details: unknown }).details;
  }
  throw new Error('expected a validation error');
};

describe('validation words (SPEC §4)', () => {
  it('a missing or null required field says "<field> is required" once', async () => {
    expect(await details({ lines: [] })).toEqual([{ field: 'reason', errors: ['reason is required'] }]);
    expect(await details({ reason: null, lines: [] })).toEqual([{ field: 'reason', errors: ['reason is required'] }]);
    expect(await details({ reason: 'x', lines: [{}] })).toEqual([{ field: 'lines.0.quantity', errors: ['lines.0.quantity is required'] }]);
  });

  it('a present but wrong field still lists what is wrong; unknown fields are refused by name', async () => {
    expect(await details({ reason: '', lines: [] })).toEqual([{ field: 'reason', errors: ['reason must be longer than or equal to 1 characters'] }]);
    expect(await details({ reason: 'x', note: 'far too long a note', lines: [] })).toEqual([{ field: 'note', errors: ['note must be shorter than or equal to 10 characters'] }]);
    expect(await details({ reason: 'x', lines: [], extra: null })).toEqual([{ field: 'extra', errors: ['property extra should not exist'] }]);
  });
});

import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidateIf, type ValidationOptions } from 'class-validator';
import { InvalidInput } from './domain-errors.js';

export interface FieldError {
  field: string;
  errors: string[];
}

/**
 * SPEC §4: a missing required field says "<field> is required" once, not every constraint it also
 * fails (type, length, format…). Absent and null count as missing; an unknown field is not "required".
 */
function isMissing(err: ValidationError): boolean {
  return (err.value === undefined || err.value === null) && !!err.constraints && !('whitelistValidation' in err.constraints);
}

/** Flattens class-validator errors to `{field: 'lines.0.quantity', errors: [...]}` entries. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const err of errors) {
    const field = prefix ? `${prefix}.${err.property}` : err.property;
    if (err.constraints) out.push({ field, errors: isMissing(err) ? [`${field} is required`] : Object.values(err.constraints) });
    if (err.children?.length) out.push(...flattenValidationErrors(err.children, field));
  }
  return out;
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  // value is read to tell a missing field from a wrong one; flattenValidationErrors never echoes it.
  validationError: { target: false, value: true },
} as const;

/** The one global pipe: unknown fields are rejected, errors listed field by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => new InvalidInput('Validation failed', flattenValidationErrors(errors)),
  });
}

/** Validates a plain body against a DTO class outside the Nest pipeline (dynamic routes). */
export async function validateBody<T extends object>(cls: new () => T, body: unknown): Promise<T> {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new InvalidInput('Body must be a JSON object');
  }
  const instance = plainToInstance(cls, body ?? {}) as T;
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length) throw new InvalidInput('Validation failed', flattenValidationErrors(errors));
  return instance;
}

/**
 * Like `@IsOptional()`, but only an absent field is skipped: `null` is validated like any other
 * value (and so refused by `@IsString()`, `@IsInt()`...). For PATCH-style bodies where an omitted
 * field keeps its value and `null` would otherwise reach the service as if it were one.
 */
export function Omittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}

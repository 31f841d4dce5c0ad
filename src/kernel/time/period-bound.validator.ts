import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isMonth, isPeriodBound, PERIOD_BOUND_HINT } from './report-period.js';

const missing = (v: unknown) => v === undefined || v === null || v === '';

/**
 * A required report period bound (src/kernel/time/report-period.ts). One message per field
 * (SPEC §4): "<field> is required" when absent, else what a bound may look like.
 */
export function IsPeriodBound(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPeriodBound',
      target: object.constructor,
      propertyName,
      options: {
        message: (a: ValidationArguments) => (missing(a.value) ? `${a.property} is required` : `${a.property} must be ${PERIOD_BOUND_HINT}`),
        ...options,
      },
      validator: { validate: (v: unknown) => isPeriodBound(v) },
    });
}

/** A required `YYYY-MM` month (reports by month, e.g. agent KPIs). */
export function IsReportMonth(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isReportMonth',
      target: object.constructor,
      propertyName,
      options: {
        message: (a: ValidationArguments) => (missing(a.value) ? `${a.property} is required` : `${a.property} must be YYYY-MM, e.g. 2026-11`),
        ...options,
      },
      validator: { validate: (v: unknown) => isMonth(v) },
    });
}

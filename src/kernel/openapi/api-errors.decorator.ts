import { SetMetadata } from '@nestjs/common';

export const API_ERRORS_KEY = 'aso:api-errors';

/**
 * Error statuses of a route beyond what the document derives from its metadata (see
 * `deriveErrorStatuses`): a description adds the status or says what it means here; `false`
 * removes a derived status the route cannot give. On a controller it applies to every route,
 * and a route's own entries win.
 *
 * ```ts
 * @ApiErrors({ 404: 'No shop with this id (shopId)', 422: 'The report has too many rows; ask for format=csv' })
 * ```
 */
export type ApiErrorsSpec = Record<number, string | true | false>;

export const ApiErrors = (spec: ApiErrorsSpec) => SetMetadata(API_ERRORS_KEY, spec);

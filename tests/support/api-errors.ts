import { expect } from 'vitest';
import type { ApiResponse } from './api-client';

/** An answer in the error envelope: this status and code, a message, and a request id. */
export function expectApiError(response: ApiResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(response.headers['x-request-id']).toMatch(/\S/);
}

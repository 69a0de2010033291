import type { Before } from 'adminjs';

/**
 * A write-only secret's field left blank on editing keeps the current secret: the form never holds
 * the secret, so a blank field means "unchanged", not "none".
 */
export function blankKeepsSecret(field: string): Before {
  return async (request, context) => {
    const value = request.payload?.[field];
    if (request.method !== 'post' || !context.record || (value !== '' && value !== null)) return request;
    const payload = { ...request.payload };
    delete payload[field];
    return { ...request, payload };
  };
}

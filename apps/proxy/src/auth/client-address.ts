import type { Request } from 'express';

/** The peer address (express `trust proxy` decides whether X-Forwarded-For counts). */
export function clientAddressOf(request: Request): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

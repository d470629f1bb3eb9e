/**
 * The admin token: when the sandbox has one, every control-plane request but GET /__sandbox/health must
 * carry `Authorization: Bearer <token>`. Vendor routes never do (they have the vendors' own credentials).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { SandboxError } from '../core/errors.js';

export function requireAdminToken(token: string) {
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '')?.[1];
    // Digests of equal length, compared in constant time: neither the token nor its length leaks.
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="card-sandbox control plane"');
    next(
      new SandboxError('unauthenticated', {
        field: 'authorization',
        diagnostic:
          given === undefined
            ? 'the control plane needs "Authorization: Bearer <admin token>" (SANDBOX_ADMIN_TOKEN)'
            : 'the bearer token is not the admin token',
      }),
    );
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

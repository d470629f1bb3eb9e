/**
 * /__sandbox/faults: fault rules (src/core/faults.ts). GET lists them, POST adds one (201, with its id;
 * a bad rule is a 400 naming the field, and nothing changes), DELETE clears them, DELETE /:id removes one.
 */
import type { Router } from 'express';
import { SandboxError } from '../core/errors.js';
import type { Runtime } from '../core/runtime.js';

export function faultRoutes(router: Router, rt: Runtime): void {
  router.get('/faults', (_req, res) => void res.json({ faults: rt.faults.list() }));
  router.post('/faults', (req, res) => void res.status(201).json(rt.faults.add(req.body)));
  router.delete('/faults', (_req, res) => void res.json({ status: 'ok', removed: rt.faults.clear() }));
  router.delete('/faults/:id', (req, res) => {
    const id = String(req.params.id);
    if (!rt.faults.remove(id))
      throw new SandboxError('resource_not_found', {
        diagnostic: `no fault rule ${id} (GET /__sandbox/faults lists them; a rule with times is removed once used up)`,
      });
    res.json({ status: 'ok', id });
  });
}

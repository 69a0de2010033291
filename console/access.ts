import type { ActionContext, CurrentAdmin } from 'adminjs';
import type { NextFunction, Request, Response } from 'express';
import { consoleRoleMayChange } from '../appliance/domain/console.ts';
import type { ConsoleAdmin } from './auth/console-users.ts';

export function signedIn(req: Request): ConsoleAdmin | undefined {
  return (req.session as { adminUser?: ConsoleAdmin } | undefined)?.adminUser;
}

export function mayChange(admin: CurrentAdmin | undefined): boolean {
  return admin !== undefined && consoleRoleMayChange(admin.role);
}

/** isAccessible of every action that changes or hands out something: auditors neither see nor run them. */
export const adminsOnly = ({ currentAdmin }: Pick<ActionContext, 'currentAdmin'>): boolean => mayChange(currentAdmin);

const off = { isAccessible: false, isVisible: false };

/** The actions of a resource the console only shows. */
export const READ_ONLY_ACTIONS = { new: off, edit: off, delete: off, bulkDelete: off };

/**
 * Refuses an auditor's changes at the door, whatever AdminJS would make of them: every change in the
 * console is a POST to its API.
 */
export function refuseAuditorChanges(req: Request, res: Response, next: NextFunction): void {
  const admin = signedIn(req);
  if (admin && !mayChange(admin)) {
    res.status(403).json({ notice: { message: 'auditorsReadOnly', type: 'error' } });
    return;
  }
  next();
}

/** For the console's own routes outside AdminJS: signed-in admins only. */
export function adminsOnlyRoute(loginPath: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const admin = signedIn(req);
    if (!admin) return res.redirect(loginPath);
    if (!mayChange(admin)) {
      res.status(403).type('text/plain; charset=utf-8').send('Скачивать записи могут только администраторы консоли.');
      return;
    }
    next();
  };
}

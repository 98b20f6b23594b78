import { z } from 'zod';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_TYPES = ['question', 'incident', 'problem', 'task'] as const;
export const ROLES = ['admin', 'agent'] as const;

export const TicketStatus = z.enum(TICKET_STATUSES);
export const TicketPriority = z.enum(TICKET_PRIORITIES);
export const TicketType = z.enum(TICKET_TYPES);
export const Role = z.enum(ROLES);

export type TicketStatus = z.infer<typeof TicketStatus>;
export type TicketPriority = z.infer<typeof TicketPriority>;
export type TicketType = z.infer<typeof TicketType>;
export type Role = z.infer<typeof Role>;
